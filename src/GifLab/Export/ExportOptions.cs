using GifLab.Core.Curves;

namespace GifLab.Export;

/// <summary>What to export and how.</summary>
/// <param name="Format">csv, json or jsonl.</param>
/// <param name="Columns">Metric keys and feature names to write.</param>
/// <param name="DatasetVersion">Semantic version of the dataset (TrainingRecordV2.dataset_version, record ids).</param>
/// <param name="Ratios">Split ratios (default 80/10/10).</param>
/// <param name="Split">Only GIFs of this split, or all.</param>
/// <param name="CreatedAt">Timestamp written into curves and records (one per export, so records of one export agree).</param>
/// <param name="QualityKey">Metric used as quality by the Pareto frontier (higher is better).</param>
public sealed record ExportOptions(
    ExportFormat Format,
    ExportColumns Columns,
    string DatasetVersion,
    SplitRatios Ratios,
    DatasetSplit? Split,
    DateTimeOffset CreatedAt,
    string QualityKey = "composite_score");
