using GifLab.Core.Curves;

namespace GifLab.Storage;

/// <summary>One compression run joined with its pipeline identifier, lossy tool name and preset values.</summary>
public sealed record DatasetRun(
    string Pipeline, string LossyTool, int LossyLevel, int ColorCount, double FrameRatio,
    long? OutputSizeBytes, double? CompressionRatio, string? MetricsJson, string ValidationStatus,
    long? DurationMs, int? MetricSetVersion)
{
    public PresetKey Key => new(Pipeline, LossyLevel, ColorCount, FrameRatio);
}
