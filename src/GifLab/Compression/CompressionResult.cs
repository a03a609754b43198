namespace GifLab.Compression;

/// <summary>What <see cref="GifCompressor.CompressToQualityAsync"/> did with one GIF.</summary>
/// <param name="InputPath">The input GIF.</param>
/// <param name="OutputPath">The file written (the compressed GIF, or a copy of the input).</param>
/// <param name="InputBytes">Input size.</param>
/// <param name="OutputBytes">Output size (equal to <paramref name="InputBytes"/> when the input was copied).</param>
/// <param name="Chosen">The attempt written, or null when the input was copied unchanged.</param>
/// <param name="Attempts">Every compression tried, in order (at most the try budget).</param>
/// <param name="Reason">Why the input was copied unchanged; null when a compressed output was written.</param>
/// <param name="StartedFrom">How the search began: <c>model</c> (predicted candidates) or <c>coarse</c> (no model covers the GIF).</param>
/// <param name="Elapsed">Wall time for this GIF.</param>
public sealed record CompressionResult(string InputPath, string OutputPath, long InputBytes, long OutputBytes, CompressionAttempt? Chosen,
                                       IReadOnlyList<CompressionAttempt> Attempts, string? Reason, string StartedFrom, TimeSpan Elapsed)
{
    /// <summary>True when the input was copied unchanged (see <see cref="Reason"/>).</summary>
    public bool Copied => Chosen is null;

    /// <summary>Compressions run.</summary>
    public int Tries => Attempts.Count;

    /// <summary>Bytes saved (0 when copied).</summary>
    public long BytesSaved => InputBytes - OutputBytes;
}
