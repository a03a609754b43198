using GifLab.Core.Metrics.Kernels;

namespace GifLab.Core.Metrics;

/// <summary>
/// <c>texture_similarity</c>: correlation of uniform-LBP histograms (P = 8, R = 1, 10 bins) of
/// original and compressed luma, (ρ + 1)/2 (metrics.md §3.9). Colour-blind and intensity-inversion
/// invariant by construction (documented blind spot). Flat-content fallback (identity 1, worst 0).
/// GIF value = median over pairs. Range [0, 1], higher is better.
/// Up to 10 uniformly spaced pairs unless exact (the family's _min/_max are over those pairs).
/// </summary>
public sealed class TextureSimilarity : IQualityMetric
{
    public MetricInfo Info { get; } = new("texture_similarity", 1, MetricInfo.Family("texture_similarity"), ScoreDirection.HigherIsBetter, 0, 1, false,
        "Uniform-LBP histogram correlation, median over pairs.");

    public void Measure(MetricContext context, MetricSink sink)
    {
        int w = context.Width, h = context.Height;
        var perFrame = context.SampledWithFlatFallback(i =>
        {
            if (w < 3 || h < 3) return null;
            var h1 = context.ReferenceCached("lbp", i, () => Gradients.LbpHistogram(context.ReferenceLuma(i), w, h));
            var h2 = context.CandidateDerived(i, h1, () => Gradients.LbpHistogram(context.CandidateLuma(i), w, h));
            return Math.Clamp((Gradients.Correlation(h1, h2) + 1) / 2, 0, 1);
        });
        sink.SetFamily("texture_similarity", perFrame, "canvas smaller than 3 px", median: true);
    }
}
