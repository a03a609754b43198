namespace GifLab.Pipelines;

/// <summary>A plan: items for available tools and skipped counts for the rest.</summary>
public sealed record PipelinePlan(PlanMode Mode, IReadOnlyList<PlannedItem> Items, IReadOnlyList<SkippedGroup> Skipped)
{
    public int SkippedCount => Skipped.Sum(s => s.Count);

    /// <summary>Distinct pipelines among the planned items.</summary>
    public int PipelineCount => Items.Select(i => i.Pipeline).Distinct().Count();
}
