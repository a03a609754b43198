using GifLab.Core.Model;
using GifLab.Engines;

namespace GifLab.Runs;

/// <summary>Grid options of a run (null = the mode's default).</summary>
public sealed record GridOptions(
    string Mode = "single",
    IReadOnlyList<int>? Levels = null,
    IReadOnlyList<int>? Colors = null,
    IReadOnlyList<double>? FrameRatios = null,
    IReadOnlyList<Engine>? Engines = null);

/// <summary>Turns a mode and grid options into the per-GIF work list, leaving out unavailable tools.</summary>
public static class RunPlanner
{
    public static RunPlan Plan(GridOptions grid, EngineCatalog catalog)
    {
        var levels = grid.Levels ?? ParamPreset.DefaultLossyLevels;
        var colors = grid.Colors ?? ParamPreset.DefaultColorCounts;
        var ratios = grid.FrameRatios ?? [1.0];
        var engines = grid.Engines ?? EngineNames.All;
        var all = new List<PlannedItem>();
        if (grid.Mode == "single")
        {
            foreach (var engine in engines)
            {
                var lossy = ToolRegistry.LossyToolFor(engine).Name;
                foreach (var l in levels)
                    all.Add(new(new PipelineId("none-frame", "none-color", lossy), new ParamPreset(l, 256, 1.0)));
                if (ToolRegistry.ColorToolFor(engine) is { } color)
                    foreach (var c in colors)
                        all.Add(new(new PipelineId("none-frame", color.Name, lossy), new ParamPreset(0, c, 1.0)));
            }
        }
        else if (grid.Mode == "full")
        {
            var engineSet = engines.ToHashSet();
            foreach (var f in ToolRegistry.InCategory(ToolCategory.FrameReduction))
            foreach (var c in ToolRegistry.InCategory(ToolCategory.ColorReduction))
            foreach (var l in ToolRegistry.InCategory(ToolCategory.LossyCompression))
            {
                if (grid.Engines is not null && (l.Engine is not { } e || !engineSet.Contains(e))) continue;
                var pipeline = new PipelineId(f.Name, c.Name, l.Name);
                foreach (var r in ratios)
                foreach (var cc in colors)
                foreach (var lv in levels)
                    all.Add(new(pipeline, new ParamPreset(lv, cc, r)));
            }
        }
        else
        {
            throw new ArgumentException($"Unknown mode '{grid.Mode}' (expected single or full).", nameof(grid));
        }

        var items = new List<PlannedItem>();
        var skipped = new Dictionary<string, (int Count, string Reason)>(StringComparer.Ordinal);
        foreach (var item in all)
        {
            var missing = new[] { item.Pipeline.FrameTool, item.Pipeline.ColorTool, item.Pipeline.LossyTool }
                .FirstOrDefault(t => !catalog.IsAvailable(t));
            if (missing is null) { items.Add(item); continue; }
            var reason = catalog.Get(missing).Reason ?? "unavailable";
            skipped[missing] = (skipped.GetValueOrDefault(missing).Count + 1, reason);
        }
        return new RunPlan(items, skipped.Select(kv => new SkippedTool(kv.Key, kv.Value.Count, kv.Value.Reason)).ToList(),
            all.Select(i => i.Pipeline).Distinct().Count(), all.Count);
    }
}
