namespace GifLab.Export;

/// <summary>Export file formats (<c>--format</c>).</summary>
public enum ExportFormat
{
    /// <summary>The seed's flat table: one row per compression run.</summary>
    Csv,

    /// <summary>One JSON document: per GIF (identity, features) → per engine → curves, Pareto frontier and runs.</summary>
    Json,

    /// <summary>One TrainingRecordV2 per line.</summary>
    Jsonl,
}
