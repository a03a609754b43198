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
    public static OutputExpectation For(PipelineId pipeline, ParamPreset preset, FrameSequence source)
    {
        var timeline = PipelineSteps.ExpectedTimeline(pipeline, preset, Timeline.Of(source));
        int? maxColors = null;
        foreach (var tool in PipelineSteps.Active(pipeline, preset, source.FrameCount))
        {
            int? c = tool.Category == ToolCategory.ColorReduction ? Math.Clamp(preset.ColorCount, 2, 256)
                : tool.Name == "imagemagick-lossy" ? LossyMapping.ImageMagickColors(preset.LossyLevel)
                : tool.Name == "ffmpeg-lossy" ? LossyMapping.FfmpegColors(preset.LossyLevel)
                : null;
            if (c is { } v && v < 256) maxColors = maxColors is { } m ? Math.Min(m, v) : v;
        }
        return new OutputExpectation(source.Width, source.Height, timeline.DelaysMs, timeline.LoopCount, maxColors);
    }
}
