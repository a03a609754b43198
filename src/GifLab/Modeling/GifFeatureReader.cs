using System.Security.Cryptography;
using GifLab.Core.Decoding;
using GifLab.Core.Features;

namespace GifLab.Modeling;

/// <summary>Reads a GIF file and extracts its features with the same decoder and extractor as <c>giflab run</c>.</summary>
public static class GifFeatureReader
{
    /// <summary>The features, plus the basic facts of the decoded GIF where the record lacks them (<see cref="ModelInputs.WithBasics"/>).</summary>
    /// <exception cref="IOException">The file cannot be read, is not a regular file (FIFO, device) or is over the size cap.</exception>
    /// <exception cref="GifFormatException">The bytes are not a decodable GIF.</exception>
    public static (GifFeatures Features, IReadOnlyDictionary<string, double?> Inputs, long FileSizeBytes) Read(string path)
    {
        var (features, inputs, source) = ReadSource(path);
        return (features, inputs, source.FileSizeBytes);
    }

    /// <summary>As <see cref="Read"/>, also returning the decoded GIF (for a calibration run, <c>GifLab.Compression.CurveCalibrator</c>).</summary>
    /// <exception cref="IOException">The file cannot be read, is not a regular file (FIFO, device) or is over the size cap.</exception>
    /// <exception cref="GifFormatException">The bytes are not a decodable GIF.</exception>
    public static (GifFeatures Features, IReadOnlyDictionary<string, double?> Inputs, Engines.SourceGif Source) ReadSource(string path)
    {
        var bytes = Discovery.InputFile.ReadAllBytes(path); // regular files only, size-capped
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var frames = GifDecoder.Decode(bytes);
        var features = FeatureExtractor.Extract(frames, bytes, sha, Path.GetFileName(path), DateTimeOffset.UtcNow);
        var inputs = ModelInputs.WithBasics(features.Values, frames.Width, frames.Height, frames.FrameCount, frames.DurationMs, bytes.LongLength);
        return (features, inputs, new Engines.SourceGif(path, sha, bytes.LongLength, frames));
    }
}
