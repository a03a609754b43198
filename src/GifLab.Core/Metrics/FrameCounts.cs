namespace GifLab.Core.Metrics;

/// <summary>
/// Context of a measurement: <c>frame_count</c> (original frames, all of them — never a sample),
/// <c>compressed_frame_count</c>, <c>frame_pairs</c> (pairs compared = original frames),
/// <c>background_passes</c> (1 = opaque; 2 = some pixel is transparent, so every metric ran over
/// white and over black and the worse value was kept), and the sampling that applied:
/// <c>exact_metrics</c> (1 when every metric used every pair), <c>extras_pairs</c> (pairs used by fsim, gmsd,
/// chist, edge/texture/sharpness similarity and the block artefact scores, ≤ 10 unless exact) and
/// <c>deltae_pairs</c> (≤ 5 unless exact). SSIMULACRA 2 and LPIPS record theirs as <c>ssimulacra2_frames</c> and
/// <c>lpips_frames</c>; every other metric always uses every pair.
/// </summary>
public sealed class FrameCounts : IQualityMetric
{
    public MetricInfo Info { get; } = new("frame_count", 1, ["frame_count", "compressed_frame_count", "frame_pairs", "background_passes", "exact_metrics", "extras_pairs", "deltae_pairs"],
        ScoreDirection.Informational, 1, null, false,
        "Frame counts, pairs compared, background passes and the sampling that applied (exact 0/1, pairs used by the extras and by ΔE).", MetricStage.Summary);

    public void Measure(MetricContext context, MetricSink sink)
    {
        sink.Set("frame_count", context.Reference.Frames.FrameCount);
        sink.Set("compressed_frame_count", context.Candidate.FrameCount);
        sink.Set("frame_pairs", context.PairCount);
        sink.Set("background_passes", context.BackgroundPasses);
        sink.Set("exact_metrics", context.Options.Exact ? 1 : 0);
        sink.Set("extras_pairs", context.SampledPairs().Length);
        sink.Set("deltae_pairs", FramePairing.UniformSample(context.PairCount, context.Options.Exact ? int.MaxValue : DeltaE.MaxPairs).Length);
    }
}
