using GifLab.Export;
using GifLab.Storage;

namespace GifLab.Cli.Commands;

/// <summary>
/// Where the export's metric keys and feature names come from: the registries (the one list each; nobody keeps a parallel one).
/// </summary>
internal static class ColumnSources
{
    /// <summary>Metric keys, in column order. Registry swap: <c>=> GifLab.Core.Metrics.MetricRegistry.OutputKeys;</c></summary>
    public static IReadOnlyList<string> MetricKeys(IDatasetReader reader) => GifLab.Core.Metrics.MetricRegistry.OutputKeys;

    /// <summary>Feature names (no identity fields), in column order. Registry swap: <c>=> GifLab.Core.Features.FeatureRegistry.Names;</c></summary>
    public static IReadOnlyList<string> FeatureNames(IDatasetReader reader) => GifLab.Core.Features.FeatureRegistry.Names;

    public static ExportColumns For(IDatasetReader reader) => new(MetricKeys(reader), FeatureNames(reader));
}
