using GifLab.Core.Metrics.Kernels;

namespace GifLab.Core.Metrics;

/// <summary>
/// Temporal consistency of a frame stream (metrics.md §4.1): d_i = mean |F_i − F_{i+1}| over RGB for
/// consecutive frames (all frames, in display order — not a 30-frame sample), consistency =
/// exp(−2·var(d)/mean(d)²) clamped to [0, 1], 1 for fewer than 2 frames or constant motion.
/// It describes the animation itself, so the pair signal is <c>temporal_consistency_delta</c> =
/// |compressed − original| (primary key; 0 = motion rhythm preserved, lower is better), as the
/// reference team concluded; <c>temporal_consistency</c> (the compressed stream as paired to the
/// original's timeline) and <c>temporal_consistency_original</c> are stored for context.
/// </summary>
public sealed class TemporalConsistency : IQualityMetric
{
    public MetricInfo Info { get; } = new("temporal_consistency_delta", 1,
        ["temporal_consistency_delta", "temporal_consistency", "temporal_consistency_original"],
        ScoreDirection.LowerIsBetter, 0, 1, true,
        "abs(consistency(compressed) − consistency(original)), consistency = exp(−2·var/mean²) of frame differences.");

    public void Measure(MetricContext context, MetricSink sink)
    {
        int n = context.PairCount;
        double original = context.ReferenceView.Cached("temporal_consistency", -1,
            () => new[] { Consistency(n, i => context.ReferenceRgb(i)) })[0];
        double compressed = Consistency(n, i => context.CandidateRgb(i));
        sink.Set("temporal_consistency_delta", Math.Abs(compressed - original));
        sink.Set("temporal_consistency", compressed);
        sink.Set("temporal_consistency_original", original);
    }

    internal static double Consistency(int count, Func<int, byte[]> frame)
    {
        if (count < 2) return 1.0;
        var d = new double[count - 1];
        for (int i = 0; i + 1 < count; i++)
        {
            var a = frame(i); var b = frame(i + 1);
            d[i] = (double)AbsoluteError.Sum(a, b) / a.Length;
        }
        double m = 0; foreach (var x in d) m += x; m /= d.Length;
        double v = 0; foreach (var x in d) v += (x - m) * (x - m); v /= d.Length;
        if (v <= 0 || m <= 0) return 1.0;
        return Math.Clamp(Math.Exp(-2 * v / (m * m)), 0, 1);
    }
}
