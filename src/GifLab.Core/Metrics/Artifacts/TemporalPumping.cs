namespace GifLab.Core.Metrics.Artifacts;

/// <summary>
/// <c>temporal_pumping_score</c>: quality that oscillates from frame to frame ("breathing", e.g.
/// alternating good and bad frames). On the per-frame SSIM series q (computed by <see cref="Ssim"/>),
/// score = clamp(mean |q[i+1] − 2·q[i] + q[i−1]| / 2, 0, 1): the second difference ignores a steady
/// level or a slow drift and grows with alternation. Range [0, 1], 0 = steady, lower is better; 0 for
/// fewer than 3 frames. Source: intent of the reference's quality-oscillation measure
/// (metrics.md §4.3), but on a pair signal (SSIM) instead of edge density of the compressed stream.
/// </summary>
public sealed class TemporalPumping : IQualityMetric
{
    public MetricInfo Info { get; } = new("temporal_pumping_score", 1, ["temporal_pumping_score"],
        ScoreDirection.LowerIsBetter, 0, 1, true,
        "Mean absolute second difference of per-frame SSIM / 2 (0 = steady quality).");

    public void Measure(MetricContext context, MetricSink sink)
    {
        var q = sink.GetSeries("ssim");
        if (q is null || (q.Length > 0 && Array.TrueForAll(q, v => v is null)))
        {
            sink.SetNull("temporal_pumping_score", "per-frame SSIM unavailable (canvas smaller than 7 px)");
            return;
        }
        double sum = 0; int n = 0;
        for (int i = 1; i + 1 < q.Length; i++)
        {
            if (q[i - 1] is not { } a || q[i] is not { } b || q[i + 1] is not { } c) continue;
            sum += Math.Abs(c - 2 * b + a) / 2; n++;
        }
        sink.Set("temporal_pumping_score", n == 0 ? 0.0 : Math.Clamp(sum / n, 0, 1));
    }
}
