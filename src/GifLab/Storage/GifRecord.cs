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

    /// <summary>A file that does not decode as a GIF: its identity and size only, <c>decode_status = error</c>.</summary>
    public static GifRecord Undecodable(string sha256, string fileName, string? filePath, long fileSizeBytes, DateTimeOffset processedAt) =>
        new(sha256, fileName, filePath, fileSizeBytes, Width: null, Height: null, FrameCount: null, DurationMs: null, LoopCount: null,
            FeaturesJson: null, FeatureVersion: null, processedAt, DecodeStatus: "error");
}
