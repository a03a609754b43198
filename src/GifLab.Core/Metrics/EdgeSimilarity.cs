using GifLab.Core.Metrics.Kernels;

namespace GifLab.Core.Metrics;

/// <summary>
/// <c>edge_similarity</c>: Jaccard index (intersection / union) of the Canny(50, 150) edge maps of
/// original and compressed luma (metrics.md §3.8). A pair where neither frame has an edge has no
/// value (the ratio is undefined; the reference's former 1.0 made composites dip then recover).
/// Flat-content fallback (identity 1, worst 0). GIF value = median over pairs (robust to a few
/// edge-less frames), plus _std/_min/_max. Range [0, 1], higher is better.
/// Up to 10 uniformly spaced pairs unless exact (the family's _min/_max are over those pairs).
/// </summary>
public sealed class EdgeSimilarity : IQualityMetric
{
    public MetricInfo Info { get; } = new("edge_similarity", 1, MetricInfo.Family("edge_similarity"), ScoreDirection.HigherIsBetter, 0, 1, false,
        "Jaccard index of Canny(50,150) edge maps, median over pairs.");

    public void Measure(MetricContext context, MetricSink sink)
    {
        int w = context.Width, h = context.Height;
        var perFrame = context.SampledWithFlatFallback(i =>
        {
            var e1 = context.ReferenceCached("canny", i, () => Gradients.Canny(context.ReferenceLuma(i), w, h, 50, 150));
            var e2 = context.CandidateDerived(i, e1, () => Gradients.Canny(context.CandidateLuma(i), w, h, 50, 150));
            var (inter, union) = Overlap(e1, e2);
            return union > 0 ? (double)inter / union : null;
        });
        sink.SetFamily("edge_similarity", perFrame, "no edges in any original or compressed frame", median: true);
    }

    /// <summary>Pixels set in both / in either of two 0/1 edge maps; 8 pixels per step with a popcount
    /// (a 0/1 byte contributes at most its low bit).</summary>
    internal static (int Intersection, int Union) Overlap(ReadOnlySpan<byte> e1, ReadOnlySpan<byte> e2)
    {
        var w1 = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(e1);
        var w2 = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(e2);
        int inter = 0, union = 0, p = 0;
        for (int k = 0; k < w1.Length && k < w2.Length; k++, p += 8)
        {
            inter += System.Numerics.BitOperations.PopCount(w1[k] & w2[k]);
            union += System.Numerics.BitOperations.PopCount(w1[k] | w2[k]);
        }
        for (; p < e1.Length; p++)
        {
            inter += e1[p] & e2[p];
            union += e1[p] | e2[p];
        }
        return (inter, union);
    }
}
