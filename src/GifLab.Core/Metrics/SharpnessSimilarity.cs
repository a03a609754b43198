using GifLab.Core.Metrics.Kernels;

namespace GifLab.Core.Metrics;

/// <summary>
/// <c>sharpness_similarity</c>: min(v1, v2)/max(v1, v2) of the Laplacian variances of original and
/// compressed luma (1 when both are 0) (metrics.md §3.10). Penalises both blurring and added
/// sharpness/noise. Flat-content fallback (identity 1, worst 0). Range [0, 1], higher is better;
/// mean over pairs.
/// Up to 10 uniformly spaced pairs unless exact (the family's _min/_max are over those pairs).
/// </summary>
public sealed class SharpnessSimilarity : IQualityMetric
{
    public MetricInfo Info { get; } = new("sharpness_similarity", 1, MetricInfo.Family("sharpness_similarity"), ScoreDirection.HigherIsBetter, 0, 1, false,
        "Ratio of Laplacian variances (smaller/larger), mean over pairs.");

    public void Measure(MetricContext context, MetricSink sink)
    {
        int w = context.Width, h = context.Height;
        var perFrame = context.SampledWithFlatFallback(i =>
        {
            double v1 = context.ReferenceCached("lapvar", i, () => new double[] { Gradients.LaplacianVariance(context.ReferenceLuma(i), w, h) })[0];
            double v2 = context.CandidateDerived(i, v1, () => Gradients.LaplacianVariance(context.CandidateLuma(i), w, h));
            double max = Math.Max(v1, v2);
            return max <= 0 ? 1.0 : Math.Min(v1, v2) / max;
        });
        sink.SetFamily("sharpness_similarity", perFrame, "no frame pairs");
    }
}
