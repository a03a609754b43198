namespace GifLab.Core.Curves;

/// <summary>The fields of one stored compression run that curves and frontiers need (no metrics JSON).</summary>
/// <param name="Pipeline">Pipeline identifier <c>frame|color|lossy</c>.</param>
/// <param name="LossyLevel">Preset lossy level.</param>
/// <param name="ColorCount">Preset palette size.</param>
/// <param name="FrameRatio">Preset frame ratio.</param>
/// <param name="OutputSizeBytes">Output size, null when the run failed.</param>
/// <param name="CompressionRatio">Stored ratio (original / output), may be null.</param>
/// <param name="ValidationStatus">valid, corrupted or error.</param>
/// <param name="CompositeScore">metrics_json <c>composite_score</c>.</param>
/// <param name="Ssim">metrics_json <c>ssim</c>.</param>
public readonly record struct CurveRun(
    string Pipeline, int LossyLevel, int ColorCount, double FrameRatio,
    long? OutputSizeBytes, double? CompressionRatio, string ValidationStatus,
    double? CompositeScore, double? Ssim)
{
    /// <summary>A run counts as a measured point only when its output is valid and non-empty.</summary>
    public bool IsMeasured => ValidationStatus == "valid" && OutputSizeBytes is > 0;

    public PresetKey Key => new(Pipeline, LossyLevel, ColorCount, FrameRatio);
}
