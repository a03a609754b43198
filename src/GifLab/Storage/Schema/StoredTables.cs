using static GifLab.Storage.Schema.ColumnType;

namespace GifLab.Storage.Schema;

/// <summary>
/// Declarations of the tables written from records: <c>compression_runs</c> (<see cref="RunRecord"/>) and
/// <c>failures</c> (<see cref="FailureRecord"/>). To add a stored column: a numbered migration per backend
/// (<c>Sqlite/Migrations</c>, <c>Postgres/Migrations</c>), one line here and the record property.
/// </summary>
public static class StoredTables
{
    public static Table<RunRecord> Runs { get; } = new("compression_runs", uniqueRowIds: true,
        Column<RunRecord>.RowId("gif_id", r => r.GifId),
        Column<RunRecord>.RowId("pipeline_id", r => r.PipelineId),
        Column<RunRecord>.RowId("param_preset_id", r => r.PresetId),
        new("output_size_bytes", BigInt, r => r.OutputSizeBytes),
        new("compression_ratio", Real, r => r.CompressionRatio),
        new("metrics_json", Text, r => r.MetricsJson),
        new("validation_status", Text, r => r.ValidationStatus),
        new("duration_ms", BigInt, r => r.DurationMs),
        Column<RunRecord>.SavedAt("created_at"),
        new("metric_set_version", Integer, r => r.MetricSetVersion),
        new("validation_json", Text, r => r.ValidationJson),
        new("engine_cpu_ms", Real, r => r.EngineCpuMs),
        new("tool_versions", Text, r => r.ToolVersionsJson),
        Column<RunRecord>.GifLabVersion("giflab_version"));

    /// <summary>Failures are appended; the three ids name a run key, or are NULL for a file-level failure.</summary>
    public static Table<FailureRecord> Failures { get; } = new("failures", uniqueRowIds: false,
        Column<FailureRecord>.RowId("gif_id", f => f.GifId),
        Column<FailureRecord>.RowId("pipeline_id", f => f.PipelineId),
        Column<FailureRecord>.RowId("param_preset_id", f => f.PresetId),
        new("error_type", Text, f => f.ErrorType),
        new("error_message", Text, f => f.ErrorMessage),
        Column<FailureRecord>.SavedAt("created_at"),
        new("file_path", Text, f => f.FilePath),
        new("permanent", ColumnType.Boolean, f => f.Permanent, MergeDefault: "TRUE"),
        new("command_line", Text, f => f.CommandLine));
}
