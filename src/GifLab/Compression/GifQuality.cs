using GifLab.Core.Decoding;
using GifLab.Core.Metrics;

namespace GifLab.Compression;

/// <summary>
/// Measures a compressed GIF against its original with every metric of <see cref="MetricRegistry"/>: the same code
/// (<see cref="MetricSuite"/>) and, by default, the same options as <c>giflab run</c>.
/// </summary>
public static class GifQuality
{
    /// <summary>Decodes both files and measures every metric (values by key in <see cref="MetricResult.Values"/>, e.g. <c>ssimulacra2</c>).</summary>
    /// <param name="originalPath">The original GIF.</param>
    /// <param name="compressedPath">The GIF to compare with it.</param>
    /// <param name="options">Measurement options (null: <c>run</c>'s defaults; <c>Exact: true</c> as <c>giflab measure</c>).</param>
    /// <exception cref="IOException">A file cannot be read.</exception>
    /// <exception cref="GifFormatException">A file is not a decodable GIF.</exception>
    public static MetricResult Measure(string originalPath, string compressedPath, MetricOptions? options = null)
    {
        var original = File.ReadAllBytes(originalPath);
        var compressed = File.ReadAllBytes(compressedPath);
        return Measure(original, compressed, options);
    }

    /// <summary>Measures two GIFs given as bytes (see <see cref="Measure(string, string, MetricOptions?)"/>).</summary>
    /// <exception cref="GifFormatException">The bytes are not a decodable GIF.</exception>
    public static MetricResult Measure(byte[] original, byte[] compressed, MetricOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(compressed);
        options ??= MetricOptions.Default;
        var suite = new MetricSuite();
        return suite.Measure(suite.Prepare(GifDecoder.Decode(original), options), GifDecoder.Decode(compressed), options,
            original.LongLength, compressed.LongLength);
    }
}
