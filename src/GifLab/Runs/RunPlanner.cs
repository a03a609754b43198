using GifLab.Core.Model;
using GifLab.Engines;
using GifLab.Pipelines;

namespace GifLab.Runs;

/// <summary>Grid options of a run (null = the mode's default).</summary>
public sealed record GridOptions(
    string Mode = "single",
    IReadOnlyList<int>? Levels = null,
    IReadOnlyList<int>? Colors = null,
    IReadOnlyList<double>? FrameRatios = null,
    IReadOnlyList<Engine>? Engines = null)
{
    public PlanOptions ToPlanOptions() => new()
    {
        Mode = Mode switch
        {
            "single" => PlanMode.Single,
            "full" => PlanMode.Full,
            _ => throw new ArgumentException($"Unknown mode '{Mode}' (expected single or full)."),
        },
        LossyLevels = Levels,
        ColorCounts = Colors,
        FrameRatios = FrameRatios,
        Engines = Engines,
    };
}

/// <summary>Turns a mode and grid options into the per-GIF work list (via <see cref="PipelinePlanner"/>), leaving out unavailable tools.</summary>
public static class RunPlanner
{
    public static RunPlan Plan(GridOptions grid, EngineCatalog catalog)
    {
        var options = grid.ToPlanOptions();
        var plan = PipelinePlanner.Plan(options, catalog);
        var fullGrid = PipelinePlanner.Plan(options, _ => (true, null));
        var skipped = plan.Skipped
            .GroupBy(s => s.MissingTool)
            .Select(g => new SkippedTool(g.Key, g.Sum(s => s.Count), g.First().Reason))
            .ToList();
        return new RunPlan(plan.Items.Select(i => new PlannedItem(i.Pipeline, i.Preset)).ToList(), skipped,
            fullGrid.PipelineCount, fullGrid.Items.Count) { Details = plan };
    }
}
