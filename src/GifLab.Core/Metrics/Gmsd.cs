namespace GifLab.Core.Metrics;

/// <summary>
/// GMSD, Xue, Zhang, Mou &amp; Bovik 2014 ("Gradient Magnitude Similarity Deviation"), published
/// form: luma (0–255) averaged 2×2 and subsampled by 2, Prewitt 3×3 gradients (/3), GMS =
/// (2·m1·m2 + c)/(m1² + m2² + c) with c = 170, GMSD = population standard deviation of the GMS map
/// (valid interior, no padding). Range [0, 1) (≈ 0.35 for heavy distortion), lower is better; 0 for
/// identical frames. Mean over pairs. Replaces the reference's variant (no downsampling, c = 1e-3;
/// metrics.md §3.6, §16.2).
/// Up to 10 uniformly spaced pairs unless exact (the family's _min/_max are over those pairs).
/// </summary>
public sealed class Gmsd : IQualityMetric
{
    private const double C = 170.0;

    public MetricInfo Info { get; } = new("gmsd", 1, MetricInfo.Family("gmsd"), ScoreDirection.LowerIsBetter, 0, 1, false,
        "GMSD (Xue et al. 2014: 2× downsampling, Prewitt, c = 170), mean over pairs.");

    public void Measure(MetricContext context, MetricSink sink)
    {
        int w = context.Width, h = context.Height;
        // A pair byte-identical to an earlier listed pair reuses its value (MetricContext.PerPair).
        var perFrame = context.PerPair<double?>(context.SampledPairs(), i =>
        {
            var m1 = context.ReferenceCached("gmsd", i, () => Magnitude(context.ReferenceLuma(i), w, h));
            var m2 = context.CandidateDerived(i, m1, () => Magnitude(context.CandidateLuma(i), w, h));
            if (m1.Length == 0) return null;
            double s = 0, ss = 0;
            for (int p = 0; p < m1.Length; p++)
            {
                double g = (2.0 * m1[p] * m2[p] + C) / ((double)m1[p] * m1[p] + (double)m2[p] * m2[p] + C);
                s += g; ss += g * g;
            }
            double mean = s / m1.Length;
            return Math.Sqrt(Math.Max(0, ss / m1.Length - mean * mean));
        });
        sink.SetFamily("gmsd", perFrame, "canvas smaller than 6 px (nothing left after 2× downsampling and a 3×3 stencil)");
    }

    /// <summary>Prewitt gradient magnitude of the 2×-downsampled luma, interior only.</summary>
    internal static float[] Magnitude(float[] luma, int w, int h)
    {
        int dw = w / 2, dh = h / 2;
        if (dw < 3 || dh < 3) return [];
        var d = new float[dw * dh];
        for (int y = 0; y < dh; y++)
            for (int x = 0; x < dw; x++)
            {
                int i = 2 * y * w + 2 * x;
                d[y * dw + x] = 0.25f * (luma[i] + luma[i + 1] + luma[i + w] + luma[i + w + 1]);
            }
        int ow = dw - 2, oh = dh - 2;
        var m = new float[ow * oh];
        for (int y = 1; y < dh - 1; y++)
            for (int x = 1; x < dw - 1; x++)
            {
                int i = y * dw + x;
                float gx = (d[i - dw + 1] + d[i + 1] + d[i + dw + 1] - d[i - dw - 1] - d[i - 1] - d[i + dw - 1]) / 3f;
                float gy = (d[i + dw - 1] + d[i + dw] + d[i + dw + 1] - d[i - dw - 1] - d[i - dw] - d[i - dw + 1]) / 3f;
                m[(y - 1) * ow + x - 1] = MathF.Sqrt(gx * gx + gy * gy);
            }
        return m;
    }
}
