using GifLab.Engines;

namespace GifLab.Pipelines;

/// <summary>Turns a mode and grid options into the per-GIF work list (via <see cref="PipelinePlanner"/>), leaving out unavailable tools.</summary>
public static class RunPlanner
{
    public static RunPlan Plan(GridOptions grid, EngineCatalog catalog)
    {
        var options = grid.ToPlanOptions();
        var plan = PipelinePlanner.Plan(options, catalog);
        var fullGrid = PipelinePlanner.Plan(options, _ => (true, null), catalog.Registry);
        var skipped = plan.Skipped
            .GroupBy(s => s.MissingTool)
            .Select(g => new SkippedTool(g.Key, g.Sum(s => s.Count), g.First().Reason))
            .ToList();
        return new RunPlan(plan.Items, skipped, fullGrid.PipelineCount, fullGrid.Items.Count) { Details = plan };
    }
}
