using GifLab.Core.Model;
using GifLab.Engines;
using GifLab.Pipelines;

namespace GifLab.Validation;

/// <summary>What a run's output should look like.</summary>
/// <param name="MaxColors">Requested palette size when a colour or palette-driven lossy step ran, else null.</param>
public sealed record OutputExpectation(int Width, int Height, IReadOnlyList<int> DelaysMs, int LoopCount, int? MaxColors)
{
    public int FrameCount => DelaysMs.Count;

    public int DurationMs => DelaysMs.Sum();

    /// <summary>Expectation for a pipeline run on a source: source timing after frame reduction, colours requested.</summary>
    public static OutputExpectation For(PipelineId pipeline, ParamPreset preset, FrameSequence source, FamilyRegistry? registry = null)
    {
        var timeline = PipelineSteps.ExpectedTimeline(pipeline, preset, Timeline.Of(source), registry);
        var maxColors = PipelineSteps.MaxColors(pipeline, preset, source.FrameCount, registry);
        return new OutputExpectation(source.Width, source.Height, timeline.DelaysMs, timeline.LoopCount, maxColors);
    }
}
