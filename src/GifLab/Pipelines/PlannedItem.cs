using GifLab.Core.Model;

namespace GifLab.Pipelines;

/// <summary>One (pipeline, preset) to run on every GIF: the planner's and the run's unit of work.</summary>
public readonly record struct PlannedItem(PipelineId Pipeline, ParamPreset Preset)
{
    /// <summary>This item's run on one GIF.</summary>
    public RunKey On(string gifSha) => new(gifSha, Pipeline, Preset);
}
