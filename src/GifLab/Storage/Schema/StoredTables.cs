using static GifLab.Storage.Schema.ColumnType;

namespace GifLab.Storage.Schema;

/// <summary>
/// Declarations of the tables written from records: <c>gifs</c> (<see cref="GifRecord"/>), <c>compression_runs</c>
/// (<see cref="RunRecord"/>) and <c>failures</c> (<see cref="FailureRecord"/>). To add a stored column: a numbered migration per backend
/// (<c>Sqlite/Migrations</c>, <c>Postgres/Migrations</c>), one line here and the record property.
/// </summary>
public static class StoredTables
{
    /// <summary>GIFs by SHA-256. A save without features keeps the stored ones (and their version and content type).</summary>
    public static Table<GifRecord> Gifs { get; } = new("gifs", ["sha256"],
        new("sha256", Text, g => g.Sha256),
        new("file_name", Text, g => g.FileName),
        new("file_path", Text, g => g.FilePath),
        new("file_size_bytes", BigInt, g => g.FileSizeBytes),
        new("width", Integer, g => g.Width),
        new("height", Integer, g => g.Height),
        new("frame_count", Integer, g => g.FrameCount),
        new("duration_ms", Integer, g => g.DurationMs),
        new("loop_count", Integer, g => g.LoopCount),
        new("features_json", Text, g => g.FeaturesJson) { OnConflict = ColumnUpdate.KeepWhenNull },
        new("feature_version", Text, g => g.FeatureVersion)
        {
            OnConflict = ColumnUpdate.KeepWhenNull,
            // A merge takes the version that belongs to the features it keeps.
            MergeSet = "CASE WHEN excluded.features_json IS NOT NULL THEN excluded.feature_version ELSE gifs.feature_version END",
        },
        new("processed_at", Timestamp, g => g.ProcessedAt),
        new("decode_status", Text, g => g.DecodeStatus),
        new("content_type", Text, g => g.ContentType) { OnConflict = ColumnUpdate.KeepWhenNull },
        Column<GifRecord>.TableDefault("created_at", Timestamp));

    public static Table<RunRecord> Runs { get; } = new("compression_runs", ["gif_id", "pipeline_id", "param_preset_id"],
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
        Column<RunRecord>.GifLabVersion("giflab_version"),
        new("command_lines", Text, r => r.CommandLinesJson));

    /// <summary>Failures are appended; the three ids name a run key, or are NULL for a file-level failure.</summary>
    public static Table<FailureRecord> Failures { get; } = new("failures", [],
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
