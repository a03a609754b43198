namespace GifLab.Pipelines;

/// <summary>The work of a run per GIF, after removing items whose tools are unavailable.</summary>
/// <param name="Items">Items to run on each GIF, in order.</param>
/// <param name="SkippedUnavailable">Items left out per tool with the reason (reported once, not stored as failures).</param>
/// <param name="GridPipelines">Pipelines in the mode's grid before unavailable tools were removed.</param>
/// <param name="GridItems">Items per GIF in the mode's grid before unavailable tools were removed.</param>
public sealed record RunPlan(IReadOnlyList<PlannedItem> Items, IReadOnlyList<SkippedTool> SkippedUnavailable, int GridPipelines, int GridItems)
{
    /// <summary>The planner's full answer (per-engine skipped groups), when planned by <see cref="RunPlanner"/>.</summary>
    public PipelinePlan? Details { get; init; }
}
