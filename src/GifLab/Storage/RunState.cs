namespace GifLab.Storage;

/// <summary>What is stored about one run key already.</summary>
/// <param name="HasRun">A compression_runs row exists.</param>
/// <param name="ValidationStatus">Its status (valid/corrupted/error) when it exists.</param>
/// <param name="MetricSetVersion">Metric set version it was measured with.</param>
/// <param name="FailurePermanent">When the last failure of this key is recorded: whether it was permanent.</param>
public sealed record RunState(bool HasRun, string? ValidationStatus, int? MetricSetVersion, bool? FailurePermanent);
