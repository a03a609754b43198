namespace GifLab.Storage;

/// <summary>A GIF as the dataset reader returns it (read side of <c>gifs</c>).</summary>
public sealed record DatasetGif(
    long Id, string Sha256, string FileName, long FileSizeBytes, int? Width, int? Height, int? FrameCount,
    string? FeaturesJson, string? FeatureVersion, string DecodeStatus)
{
    /// <summary>Total display time (<c>gifs.duration_ms</c>).</summary>
    public int? DurationMs { get; init; }
}
