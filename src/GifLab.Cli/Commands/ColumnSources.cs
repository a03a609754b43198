using GifLab.Export;
using GifLab.Storage;

namespace GifLab.Cli.Commands;

/// <summary>
/// Where the export's metric keys and feature names come from. Until <c>MetricRegistry.OutputKeys</c> and
/// <c>FeatureRegistry.Names</c> are on this branch they are derived from the data (first-seen order, one stored row per
/// metric-set / feature version); each method is the one line to switch to the registry.
/// </summary>
internal static class ColumnSources
{
    /// <summary>Metric keys, in column order. Registry swap: <c>=> GifLab.Core.Metrics.MetricRegistry.OutputKeys;</c></summary>
    public static IReadOnlyList<string> MetricKeys(IDatasetReader reader) => reader.SampleMetricKeys();

    /// <summary>Feature names (no identity fields), in column order. Registry swap: <c>=> GifLab.Core.Features.FeatureRegistry.Names;</c></summary>
    public static IReadOnlyList<string> FeatureNames(IDatasetReader reader) => reader.SampleFeatureNames();

    public static ExportColumns For(IDatasetReader reader) => new(MetricKeys(reader), FeatureNames(reader));
}
