using GifLab.Core.Curves;

namespace GifLab.Storage;

/// <summary>One compression run joined with its pipeline identifier, lossy tool name and preset values.</summary>
public sealed record DatasetRun(
    string Pipeline, string LossyTool, int LossyLevel, int ColorCount, double FrameRatio,
    long? OutputSizeBytes, double? CompressionRatio, string? MetricsJson, string ValidationStatus,
    long? DurationMs, int? MetricSetVersion)
{
    /// <summary>CPU time of the engine processes (<c>engine_cpu_ms</c>); null when unknown.</summary>
    public double? EngineCpuMs { get; init; }

    /// <summary>The run's exact engine command lines (<c>command_lines</c>, a JSON array of strings); null for rows stored before schema v3.</summary>
    public string? CommandLinesJson { get; init; }

    public PresetKey Key => new(Pipeline, LossyLevel, ColorCount, FrameRatio);
}
