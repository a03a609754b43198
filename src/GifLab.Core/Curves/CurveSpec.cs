using GifLab.Core.Model;

namespace GifLab.Core.Curves;

/// <summary>
/// Which stored runs make an engine's curves. In single mode GifLab writes the lossy curve as pipeline
/// <c>none-frame|none-color|&lt;lossy tool&gt;</c> at (L, 256, 1.0) and the colour curve as
/// <c>none-frame|&lt;family&gt;-color|&lt;lossy tool&gt;</c> at (0, C, 1.0); full mode contains the same runs.
/// </summary>
/// <param name="Engine">The engine.</param>
/// <param name="LossyPipeline">Pipeline identifier of the lossy curve.</param>
/// <param name="ColorPipeline">Pipeline identifier of the colour curve, or null when the engine has no colour tool (gifski).</param>
public sealed record CurveSpec(Engine Engine, string LossyPipeline, string? ColorPipeline)
{
    /// <summary>The pipeline of a curve type (null: the engine has no curve of that type).</summary>
    public string? PipelineOf(CurveType type) => type == CurveType.Lossy ? LossyPipeline : ColorPipeline;

    /// <summary>True when a run belongs to the curve of this type: its pipeline, the other two dimensions fixed.</summary>
    public bool Contains(CurveType type, in CurveRun run) => type == CurveType.Lossy
        ? run.Pipeline == LossyPipeline && run.ColorCount == 256 && run.FrameRatio == 1.0
        : ColorPipeline is not null && run.Pipeline == ColorPipeline && run.LossyLevel == 0 && run.FrameRatio == 1.0;

    /// <summary>The x-value of a run on a curve of this type.</summary>
    public static int XOf(CurveType type, in CurveRun run) => type == CurveType.Lossy ? run.LossyLevel : run.ColorCount;
}
