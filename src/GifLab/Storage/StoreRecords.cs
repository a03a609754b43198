using GifLab.Core.Model;

namespace GifLab.Storage;

/// <summary>A row of <c>tools</c>.</summary>
public sealed record ToolRow(string Name, string Category, string? Engine, string Description, string Family,
                             bool Available, string? BinaryPath, string? Version, string? UnavailableReason);

/// <summary>A row of <c>gifs</c> (features as the GifFeaturesV1 JSON text).</summary>
public sealed record GifRecord(
    string Sha256, string FileName, string? FilePath, long FileSizeBytes,
    int? Width, int? Height, int? FrameCount, int? DurationMs, int? LoopCount,
    string? FeaturesJson, string? FeatureVersion, DateTimeOffset? ProcessedAt, string DecodeStatus);

/// <summary>What is stored about one run key already.</summary>
/// <param name="HasRun">A compression_runs row exists.</param>
/// <param name="ValidationStatus">Its status (valid/corrupted/error) when it exists.</param>
/// <param name="MetricSetVersion">Metric set version it was measured with.</param>
/// <param name="FailurePermanent">When the last failure of this key is recorded: whether it was permanent.</param>
public sealed record RunState(bool HasRun, string? ValidationStatus, int? MetricSetVersion, bool? FailurePermanent);

/// <summary>One finished run, ready to store (success or failed; failed runs also carry a <see cref="FailureRecord"/>).</summary>
public sealed record RunRecord(
    long GifId, long PipelineId, long PresetId,
    long? OutputSizeBytes, double? CompressionRatio, string? MetricsJson, string ValidationStatus,
    long DurationMs, int MetricSetVersion, string? ValidationJson, double? EngineCpuMs, string? ToolVersionsJson,
    FailureRecord? Failure);

/// <summary>A failure: a run key (ids set) or a file that never became a GIF row (FilePath set).</summary>
public sealed record FailureRecord(
    long? GifId, long? PipelineId, long? PresetId, string ErrorType, string ErrorMessage,
    bool Permanent, string? CommandLine = null, string? FilePath = null);

/// <summary>Counts for <c>giflab stats</c>.</summary>
public sealed record StoreStats(
    long Gifs, long GifsWithFeatures, long Runs, long Failures, long PermanentFailures, long TransientFailures,
    long Pipelines, long Presets, long Tools,
    IReadOnlyList<EngineRunCounts> RunsPerEngine,
    IReadOnlyList<NamedCount> RunsPerPipeline,
    IReadOnlyList<NamedCount> RunsPerGif,
    IReadOnlyList<NamedCount> FailuresByType);

public sealed record NamedCount(string Name, long Count);

/// <summary>Runs of one engine (the lossy tool's engine; tool name for tools outside the enum) by validation status.</summary>
public sealed record EngineRunCounts(string Engine, long Runs, long Valid, long Corrupted, long Error);

/// <summary>Stable identity of a pipeline or preset in the store.</summary>
public readonly record struct StoredIds(IReadOnlyDictionary<PipelineId, long> Pipelines, IReadOnlyDictionary<ParamPreset, long> Presets);
