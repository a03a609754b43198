namespace GifLab.Core.Metrics.Artifacts;

/// <summary>
/// <c>temporal_flicker_score</c>: compression-induced flicker — pixels that hold still in the
/// original but change visibly in the compressed GIF between consecutive frames (lossy/dither noise
/// that is re-drawn every frame). For consecutive original frames (skipping steps where the paired
/// compressed frame is the same one), static = |ΔY| ≤ 2 in the original; flickering = static and
/// |ΔY| &gt; 8 in the compressed (BT.601 luma). Score = Σ flickering / Σ static. Range [0, 1], 0 =
/// no flicker, lower is better; 0 for a single frame or when nothing is static.
/// Source: intent of the reference's flicker/flat-region flicker detectors (metrics.md §4.3), as a
/// pair signal on consecutive frames rather than on a 30-frame sample of the compressed stream.
/// </summary>
public sealed class TemporalFlicker : IQualityMetric
{
    public MetricInfo Info { get; } = new("temporal_flicker_score", 1, ["temporal_flicker_score"],
        ScoreDirection.LowerIsBetter, 0, 1, true,
        "Fraction of pixels static in the original that change visibly (luma step > 8) in the compressed GIF.");

    public void Measure(MetricContext context, MetricSink sink)
    {
        long flicker = 0, still = 0;
        for (int i = 1; i < context.PairCount; i++)
        {
            if (context.Pairs[i] == context.Pairs[i - 1]) continue;
            var (s, f) = Kernels.TemporalCounts.Flicker(context.ReferenceLuma(i - 1), context.ReferenceLuma(i),
                                                        context.CandidateLuma(i - 1), context.CandidateLuma(i), 2f, 8f);
            still += s; flicker += f;
        }
        sink.Set("temporal_flicker_score", still == 0 ? 0.0 : (double)flicker / still);
    }
}
