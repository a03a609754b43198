using GifLab.Core.Model;
using GifLab.Engines;

namespace GifLab.Pipelines;

/// <summary>
/// What a pipeline does to one source for one preset, without running anything: the tools that actually run and the
/// timing the output should have. The executor runs <see cref="Active"/>; validation expects <see cref="ExpectedTimeline"/>.
/// </summary>
public static class PipelineSteps
{
    /// <summary>The tools that will actually run for this preset, in order (no-op and inactive slots left out).</summary>
    public static IReadOnlyList<ToolDescriptor> Active(PipelineId pipeline, ParamPreset preset, int sourceFrameCount, FamilyRegistry? registry = null)
    {
        registry ??= FamilyRegistry.Default;
        var steps = new List<ToolDescriptor>(3);
        var frame = registry.Get(pipeline.FrameTool);
        var color = registry.Get(pipeline.ColorTool);
        var lossy = registry.Get(pipeline.LossyTool);
        if (frame.Category != ToolCategory.FrameReduction || color.Category != ToolCategory.ColorReduction || lossy.Category != ToolCategory.LossyCompression)
            throw new ArgumentException($"Pipeline '{pipeline}' does not have a frame, a colour and a lossy tool in that order.", nameof(pipeline));
        if (!frame.IsNoOp && FrameSelection.Reduces(sourceFrameCount, preset.FrameRatio)) steps.Add(frame);
        if (!color.IsNoOp) steps.Add(color);
        if (!lossy.IsNoOp) steps.Add(lossy);
        return steps;
    }

    /// <summary>The timing the final output should have: the source's, with frame reduction applied when it runs.</summary>
    public static Timeline ExpectedTimeline(PipelineId pipeline, ParamPreset preset, Timeline source, FamilyRegistry? registry = null)
    {
        registry ??= FamilyRegistry.Default;
        var t = source;
        foreach (var tool in Active(pipeline, preset, source.FrameCount, registry))
            t = registry.FamilyOf(tool).OutputTimeline(tool, t, preset.FrameRatio);
        return t;
    }

    /// <summary>The largest palette the final output may show (the smallest bound any active step sets below 256), or null.</summary>
    public static int? MaxColors(PipelineId pipeline, ParamPreset preset, int sourceFrameCount, FamilyRegistry? registry = null)
    {
        registry ??= FamilyRegistry.Default;
        int? maxColors = null;
        foreach (var tool in Active(pipeline, preset, sourceFrameCount, registry))
            if (registry.FamilyOf(tool).MaxColors(tool, preset) is { } v && v < 256)
                maxColors = maxColors is { } m ? Math.Min(m, v) : v;
        return maxColors;
    }
}
