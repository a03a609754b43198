namespace GifLab.Storage;

/// <summary>A row of <c>gifs</c> (features as the GifFeaturesV1 JSON text).</summary>
public sealed record GifRecord(
    string Sha256, string FileName, string? FilePath, long FileSizeBytes,
    int? Width, int? Height, int? FrameCount, int? DurationMs, int? LoopCount,
    string? FeaturesJson, string? FeatureVersion, DateTimeOffset? ProcessedAt, string DecodeStatus);
