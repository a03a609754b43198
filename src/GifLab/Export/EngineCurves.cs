using GifLab.Core.Curves;
using GifLab.Core.Model;
using GifLab.Engines;

namespace GifLab.Export;

/// <summary>The curve pipelines of every engine, from <see cref="ToolRegistry"/> (the same rule the single-mode planner uses).</summary>
public static class EngineCurves
{
    /// <summary>One spec per engine, in the seed's engine order.</summary>
    public static IReadOnlyList<CurveSpec> Specs { get; } = EngineNames.All.Select(e =>
    {
        var lossy = ToolRegistry.LossyToolFor(e).Name;
        var color = ToolRegistry.ColorToolFor(e);
        return new CurveSpec(e, new PipelineId("none-frame", "none-color", lossy).Identifier,
            color is null ? null : new PipelineId("none-frame", color.Name, lossy).Identifier);
    }).ToList();

    /// <summary>The engines' lossy tool names in engine order (the dataset reader orders runs by it).</summary>
    public static IReadOnlyList<string> LossyToolOrder { get; } = EngineNames.All.Select(e => ToolRegistry.LossyToolFor(e).Name).ToList();

    /// <summary>The engine of a lossy tool, or null for tools outside the engine enum (none-lossy, gifsicle -O variants).</summary>
    public static Engine? EngineOfLossyTool(string lossyTool) => ToolRegistry.TryGet(lossyTool, out var t) ? t.Engine : null;
}
