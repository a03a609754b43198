using GifLab.Core.Curves;

namespace GifLab.Storage;

/// <summary>A GIF as the dataset reader returns it (read side of <c>gifs</c>).</summary>
public sealed record DatasetGif(
    long Id, string Sha256, string FileName, long FileSizeBytes, int? Width, int? Height, int? FrameCount,
    string? FeaturesJson, string? FeatureVersion, string DecodeStatus);

/// <summary>One compression run joined with its pipeline identifier, lossy tool name and preset values.</summary>
public sealed record DatasetRun(
    string Pipeline, string LossyTool, int LossyLevel, int ColorCount, double FrameRatio,
    long? OutputSizeBytes, double? CompressionRatio, string? MetricsJson, string ValidationStatus,
    long? DurationMs, int? MetricSetVersion)
{
    public PresetKey Key => new(Pipeline, LossyLevel, ColorCount, FrameRatio);
}

/// <summary>A tool row's probed version (for export provenance).</summary>
public sealed record ToolVersionRow(string Name, string? Engine, string? Version, bool? Available);

/// <summary>How many GIFs have runs on a curve, and how many have every grid point measured (valid, non-empty).</summary>
public sealed record CurveCompleteness(long GifsWithRuns, long GifsComplete);
