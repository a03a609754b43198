using GifLab.Core.Features;

namespace GifLab.Storage;

/// <summary>
/// Read side for the answers (leaderboard, BD-rate, report): every GIF with its runs reduced to size and one quality
/// value, streamed one GIF at a time (two forward cursors ordered by GIF id; no metrics JSON reaches .NET), so memory
/// does not grow with the number of runs. Not thread-safe.
/// </summary>
public interface IAnswersReader : IDisposable
{
    /// <summary>Human-readable location (file path or connection without password).</summary>
    string Location { get; }

    /// <summary>
    /// All GIFs ordered by id, each with every stored run of it and the value of <paramref name="metric"/> (a key of
    /// <c>metrics_json</c>; null when absent, null or not a number).
    /// </summary>
    IEnumerable<AnswersGif> ReadGifs(string metric, CancellationToken ct);

    /// <summary>Counts for the dataset summary.</summary>
    AnswersSummary ReadSummary(CancellationToken ct);

    /// <summary>GIFs per content type (stored, else classified from features; <c>unknown</c> without features), in <see cref="ContentTypes.All"/> order.</summary>
    IReadOnlyList<NamedCount> CountContentTypes(CancellationToken ct);

    /// <summary>Failures grouped by pipeline (or <c>(file)</c> for file-level ones) and error type, most frequent first.</summary>
    IReadOnlyList<FailureGroup> ReadFailureGroups(CancellationToken ct);
}

/// <summary>A GIF and its runs as the answers read them.</summary>
/// <param name="ContentType">The stored <c>content_type</c>, else <see cref="ContentTypeClassifier"/> over <c>features_json</c>; null without features.</param>
public sealed record AnswersGif(long Id, string Sha256, string FileName, string? FilePath, long FileSizeBytes,
                                int? Width, int? Height, int? FrameCount, ContentType? ContentType, IReadOnlyList<AnswersRun> Runs);

/// <summary>One run: pipeline identifier, preset, output size, validation status and the chosen metric's value.</summary>
public readonly record struct AnswersRun(string Pipeline, int LossyLevel, int ColorCount, double FrameRatio,
                                         long? OutputSizeBytes, string ValidationStatus, double? Quality)
{
    /// <summary>Valid output with a size and a finite quality value: usable as a size-vs-quality point.</summary>
    public bool IsPoint => ValidationStatus == "valid" && OutputSizeBytes > 0 && Quality is { } q && double.IsFinite(q);
}

/// <summary>Dataset counts for the report.</summary>
public sealed record AnswersSummary(long Gifs, long GifsWithFeatures, long Runs, long ValidRuns, long Failures,
                                    long Pipelines, long InputBytes, IReadOnlyList<(string Tool, string? Version)> Tools);

/// <summary>Failures of one pipeline and error type.</summary>
public sealed record FailureGroup(string Pipeline, string ErrorType, long Count, string ExampleMessage);
