using GifLab.Core.Metrics.Kernels;

namespace GifLab.Core.Metrics;

/// <summary>
/// <c>chist</c>: colour-histogram correlation (metrics.md §3.7). Per channel a 32-bin histogram over
/// [0, 256), Pearson correlation between original and compressed (1 when either histogram is
/// constant, as OpenCV HISTCMP_CORREL), result (mean of 3 + 1)/2 clamped to [0, 1]. Higher is better;
/// spatially blind by design. Mean over pairs.
/// Up to 10 uniformly spaced pairs unless exact (the family's _min/_max are over those pairs).
/// </summary>
public sealed class ColorHistogram : IQualityMetric
{
    public MetricInfo Info { get; } = new("chist", 1, MetricInfo.Family("chist"), ScoreDirection.HigherIsBetter, 0, 1, false,
        "Colour-histogram correlation (32 bins per channel), mean over pairs.");

    public void Measure(MetricContext context, MetricSink sink)
    {
        // A pair byte-identical to an earlier listed pair reuses its value (MetricContext.PerPair).
        var perFrame = context.PerPair<double?>(context.SampledPairs(), i =>
        {
            var h1 = context.ReferenceCached("chist", i, () => Histograms(context.ReferenceRgb(i)));
            var h2 = context.CandidateDerived(i, h1, () => Histograms(context.CandidateRgb(i)));
            double s = 0;
            for (int c = 0; c < 3; c++) s += Gradients.Correlation(h1.AsSpan(c * 32, 32), h2.AsSpan(c * 32, 32));
            return Math.Clamp((s / 3 + 1) / 2, 0, 1);
        });
        sink.SetFamily("chist", perFrame, "no frame pairs");
    }

    private static double[] Histograms(byte[] rgb)
    {
        var h = new double[96];
        for (int i = 0; i < rgb.Length; i += 3)
        {
            h[rgb[i] >> 3]++;
            h[32 + (rgb[i + 1] >> 3)]++;
            h[64 + (rgb[i + 2] >> 3)]++;
        }
        return h;
    }
}
