using GifLab.Core.Model;
using GifLab.Engines;
using GifLab.Pipelines;

namespace GifLab.Tests.Pipelines;

public class PipelinePlannerTests
{
    private static (bool, string?) AllAvailable(string tool) => (true, null);

    private static (bool, string?) NoAnimately(string tool) =>
        tool.StartsWith("animately", StringComparison.Ordinal) ? (false, "animately not found") : (true, null);

    [Fact]
    public void Single_AllEngines_Is77LossyRunsPlus30ColourRuns()
    {
        var plan = PipelinePlanner.Plan(new PlanOptions(), AllAvailable);
        var lossy = plan.Items.Where(i => i.Pipeline.ColorTool == "none-color").ToList();
        var colour = plan.Items.Where(i => i.Pipeline.ColorTool != "none-color").ToList();
        Assert.Equal(77, lossy.Count);
        Assert.Equal(30, colour.Count); // 6 engines × 5 colour counts; gifski has no colour tool
        Assert.Equal(107, plan.Items.Count);
        Assert.Empty(plan.Skipped);
        Assert.All(lossy, i => Assert.Equal(256, i.Preset.ColorCount));
        Assert.All(colour, i => Assert.Equal(0, i.Preset.LossyLevel));
        Assert.Equal(13, plan.PipelineCount); // 7 lossy pipelines + 6 colour pipelines
        Assert.Contains(plan.Items, i => i.Pipeline.Identifier == "none-frame|animately-color|animately-hard" && i.Preset.ColorCount == 16);
        Assert.Contains(plan.Items, i => i.Pipeline.Identifier == "none-frame|none-color|gifski-lossy" && i.Preset.LossyLevel == 100);
        Assert.Equal(plan.Items.Count, plan.Items.Distinct().Count());
    }

    [Fact]
    public void Single_WithoutAnimately_SkipsItsRunsWithReason()
    {
        var plan = PipelinePlanner.Plan(new PlanOptions(), NoAnimately);
        Assert.Equal(107 - 3 * (11 + 5), plan.Items.Count);
        Assert.Equal(3 * 16, plan.SkippedCount);
        Assert.All(plan.Skipped, s => Assert.Equal("animately not found", s.Reason));
        Assert.Contains(plan.Skipped, s => s.Engine == "animately-standard" && s.MissingTool == "animately-standard" && s.Count == 11);
        Assert.Contains(plan.Skipped, s => s.Engine == "animately-hard" && s.LossyTool == "animately-hard" && s.MissingTool == "animately-color" && s.Count == 5);
    }

    [Fact]
    public void Full_Is1200Pipelines_TimesPresets()
    {
        Assert.Equal(1200, PipelinePlanner.AllPipelines().Count);
        Assert.Equal(1200, PipelinePlanner.AllPipelines().Distinct().Count());
        var plan = PipelinePlanner.Plan(new PlanOptions { Mode = PlanMode.Full, LossyLevels = [0, 50], ColorCounts = [256, 32], FrameRatios = [1.0, 0.5] }, AllAvailable);
        Assert.Equal(1200, plan.PipelineCount);
        Assert.Equal(1200 * 2 * 2 * 2, plan.Items.Count);
        var defaults = PipelinePlanner.Plan(new PlanOptions { Mode = PlanMode.Full }, AllAvailable);
        Assert.Equal(1200 * 55, defaults.Items.Count);
    }

    [Fact]
    public void Full_WithoutAnimately_ReferenceMachineCounts()
    {
        // Without animately: 4 frame × 19 colour × 9 lossy tools = 684 runnable pipelines (the rest skipped).
        var plan = PipelinePlanner.Plan(new PlanOptions { Mode = PlanMode.Full, LossyLevels = [0], ColorCounts = [256] }, NoAnimately);
        Assert.Equal(4 * 19 * 9, plan.Items.Count);
        Assert.Equal(1200 - 684, plan.SkippedCount);
    }

    [Fact]
    public void EngineFilter_AndGridOptions_NarrowThePlan()
    {
        var single = PipelinePlanner.Plan(new PlanOptions { Engines = [Engine.Gifsicle, Engine.Gifski], LossyLevels = [0, 40, 80], ColorCounts = [64] }, AllAvailable);
        Assert.Equal(3 + 1 + 3, single.Items.Count);
        var full = PipelinePlanner.Plan(new PlanOptions { Mode = PlanMode.Full, Engines = [Engine.Gifsicle], LossyLevels = [0], ColorCounts = [256] }, AllAvailable);
        Assert.Equal(5 * 20 * 5, full.Items.Count); // the 5 gifsicle lossy tools
        Assert.Throws<ArgumentOutOfRangeException>(() => PipelinePlanner.Plan(new PlanOptions { LossyLevels = [120] }, AllAvailable));
        Assert.Throws<ArgumentOutOfRangeException>(() => PipelinePlanner.Plan(new PlanOptions { ColorCounts = [1] }, AllAvailable));
        Assert.Throws<ArgumentOutOfRangeException>(() => PipelinePlanner.Plan(new PlanOptions { Mode = PlanMode.Full, FrameRatios = [0] }, AllAvailable));
    }

    [Fact]
    public void Summary_RowsPerEngineAndTool_WithSkippedCountsAndTotal()
    {
        var plan = PipelinePlanner.Plan(new PlanOptions(), NoAnimately);
        var rows = PipelinePlanner.Summarize(plan);
        var gifsicle = Assert.Single(rows, r => r.Engine == "gifsicle");
        Assert.Equal(16, gifsicle.Planned);
        Assert.Equal(0, gifsicle.Skipped);
        var hard = Assert.Single(rows, r => r.Engine == "animately-hard");
        Assert.Equal(0, hard.Planned);
        Assert.Equal(16, hard.Skipped);
        // Its label names its own missing lossy tool first, then the colour tool its colour curve needs.
        Assert.Equal("animately-hard, animately-color: animately not found", hard.Reason);

        var lines = PipelinePlanner.RenderSummary(plan, gifCount: 3);
        Assert.StartsWith("engine", lines[0]);
        Assert.Contains("unavailable: animately-hard, animately-color", string.Join('\n', lines));
        Assert.DoesNotContain("animately not found", string.Join('\n', lines));   // reasons are printed once, below the table
        Assert.StartsWith("total", lines[^1]);
        Assert.Contains((plan.Items.Count * 3).ToString(System.Globalization.CultureInfo.InvariantCulture), lines[^1]);
        Assert.Equal(rows.Count + 2, lines.Count);
    }

    [Fact(Timeout = 60_000)]
    public async Task Plan_AgainstProbedCatalog_SkipsExactlyTheUnavailableTools()
    {
        var catalog = await EngineCatalog.ProbeAsync(new EngineSettings { UseEnvironment = false }, CancellationToken.None);
        var plan = PipelinePlanner.Plan(new PlanOptions { Mode = PlanMode.Full, LossyLevels = [0], ColorCounts = [256] }, catalog);
        Assert.Equal(1200, plan.Items.Count + plan.SkippedCount);
        Assert.All(plan.Items, i => Assert.True(catalog.IsAvailable(i.Pipeline.FrameTool) && catalog.IsAvailable(i.Pipeline.ColorTool) && catalog.IsAvailable(i.Pipeline.LossyTool)));
    }
}
