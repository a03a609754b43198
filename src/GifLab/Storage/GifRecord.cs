using GifLab.Core.Features;

namespace GifLab.Storage;

/// <summary>A row of <c>gifs</c> (features as the GifFeaturesV1 JSON text).</summary>
public sealed record GifRecord(
    string Sha256, string FileName, string? FilePath, long FileSizeBytes,
    int? Width, int? Height, int? FrameCount, int? DurationMs, int? LoopCount,
    string? FeaturesJson, string? FeatureVersion, DateTimeOffset? ProcessedAt, string DecodeStatus)
{
    /// <summary>The <c>content_type</c> column: <see cref="ContentTypeClassifier"/> over the features (null without features).</summary>
    public string? ContentType => ContentTypeClassifier.FromJson(FeaturesJson)?.Name();
}
