using GifLab.Core.Curves;

namespace GifLab.Storage;

/// <summary>
/// Read side of the store for export and statistics. Every sequence streams from a data reader (nothing is
/// buffered beyond one row), so exports of millions of runs run in bounded memory. Not thread-safe.
/// </summary>
public interface IDatasetReader : IDisposable
{
    /// <summary>Human-readable location (file path).</summary>
    string Location { get; }

    /// <summary>All GIFs ordered by SHA-256 (stable across runs and machines).</summary>
    IEnumerable<DatasetGif> ReadGifs(CancellationToken ct);

    /// <summary>Just the SHA-256 of every GIF, ordered.</summary>
    IEnumerable<string> ReadGifShas(CancellationToken ct);

    /// <summary>
    /// The runs of one GIF, ordered by engine (the lossy tool order given to the reader; other tools after, by name),
    /// then pipeline identifier, lossy level, colour count descending, frame ratio descending.
    /// </summary>
    IEnumerable<DatasetRun> ReadRuns(long gifId);

    /// <summary>The latest recorded failure of each run key of a GIF, as <c>error_type: error_message</c>.</summary>
    IReadOnlyDictionary<PresetKey, string> ReadRunFailures(long gifId);

    /// <summary>Every tool row with its probed version.</summary>
    IReadOnlyList<ToolVersionRow> ReadTools();

    /// <summary>
    /// Metric keys found in <c>metrics_json</c>, first-seen order, from one stored run per metric_set_version (the
    /// writer stores every key of a set, null or not). Excludes <c>metric_set_version</c> and <c>null_reasons</c>.
    /// </summary>
    IReadOnlyList<string> SampleMetricKeys();

    /// <summary>Feature names found in <c>features_json</c>, first-seen order, from one GIF per feature_version; identity fields excluded.</summary>
    IReadOnlyList<string> SampleFeatureNames();

    /// <summary>Completeness of one curve (pipeline identifier + type) across all GIFs.</summary>
    CurveCompleteness CountCurveCompleteness(string pipeline, CurveType type);
}
