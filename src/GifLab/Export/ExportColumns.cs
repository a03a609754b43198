namespace GifLab.Export;

/// <summary>
/// The metric keys and feature names an export writes, in order. Exporters never keep their own list: the caller
/// passes the registries' lists (<c>MetricRegistry.OutputKeys</c>, <c>FeatureRegistry.Names</c>) or keys derived from
/// the data. Values missing from a row are written empty (CSV) or null (JSON).
/// </summary>
/// <param name="MetricKeys">metrics_json keys (e.g. ssim, psnr, ms_ssim, …, composite_score).</param>
/// <param name="FeatureNames">GifFeaturesV1 field names without the identity fields (written as <c>feature_&lt;name&gt;</c>).</param>
public sealed record ExportColumns(IReadOnlyList<string> MetricKeys, IReadOnlyList<string> FeatureNames)
{
    /// <summary>The seed's leading columns, before the metric columns.</summary>
    public static IReadOnlyList<string> LeadingColumns { get; } =
        ["gif_sha", "gif_name", "original_size", "pipeline", "lossy_level", "color_count", "output_size", "compression_ratio"];

    /// <summary>GifLab's columns after the seed's (the seed's order stays a prefix).</summary>
    /// <c>duration_ms</c> (wall time of the engine steps), <c>engine_cpu_ms</c> (CPU time of the engine processes) and
    /// <c>command_lines</c> (the run's exact engine command lines as a JSON array of strings) make every row reproducible and timed.
    public static IReadOnlyList<string> TrailingColumns { get; } =
        ["frame_ratio", "engine", "validation_status", "metric_set_version", "duration_ms", "engine_cpu_ms", "command_lines"];

    /// <summary>The seed puts these two metrics first, right after compression_ratio.</summary>
    public static IReadOnlyList<string> FirstMetrics { get; } = ["ssim", "psnr"];

    /// <summary>
    /// Metric columns in CSV order: ssim, psnr, then every other key in the given order, except keys that are already
    /// leading columns (the efficiency metric's <c>compression_ratio</c> is the run's own column 8, not a second one).
    /// </summary>
    public IReadOnlyList<string> CsvMetricOrder()
    {
        var list = new List<string>(FirstMetrics);
        foreach (var k in MetricKeys)
            if (!list.Contains(k, StringComparer.Ordinal) && !LeadingColumns.Contains(k, StringComparer.Ordinal)) list.Add(k);
        return list;
    }

    /// <summary>The full CSV header.</summary>
    public IReadOnlyList<string> CsvHeader()
    {
        var header = new List<string>(LeadingColumns);
        header.AddRange(CsvMetricOrder());
        foreach (var f in FeatureNames) header.Add("feature_" + f);
        header.AddRange(TrailingColumns);
        return header;
    }
}
