namespace GifLab.Core.Metrics;

/// <summary>
/// Flat-content fallback of the gradient/texture similarity metrics (metrics.md §3.12): a frame is
/// flat when every channel has peak-to-peak ≤ 4 and standard deviation &lt; 1 (8-bit units). When
/// both frames are flat, the score blends from the metric's identity value (same colour) to its
/// worst value with the distance of the mean colours: blend = clamp((L2 − 1)/50, 0, 1). When exactly
/// one is flat, the worst value. Otherwise null (use the normal formula).
/// </summary>
internal static class FlatContent
{
    public static (bool Flat, double R, double G, double B) Analyse(ReadOnlySpan<byte> rgb)
    {
        int n = rgb.Length / 3;
        Span<int> min = [255, 255, 255];
        Span<int> max = [0, 0, 0];
        Span<double> sum = [0, 0, 0];
        Span<double> sq = [0, 0, 0];
        for (int i = 0; i < rgb.Length; i += 3)
            for (int c = 0; c < 3; c++)
            {
                int v = rgb[i + c];
                if (v < min[c]) min[c] = v;
                if (v > max[c]) max[c] = v;
                sum[c] += v; sq[c] += v * v;
            }
        bool flat = true;
        for (int c = 0; c < 3; c++)
        {
            double m = sum[c] / n, var = sq[c] / n - m * m;
            if (max[c] - min[c] > 4 || Math.Sqrt(Math.Max(0, var)) >= 1.0) flat = false;
        }
        return (flat, sum[0] / n, sum[1] / n, sum[2] / n);
    }

    public static double? Score((bool Flat, double R, double G, double B) a, (bool Flat, double R, double G, double B) b,
                                double identity, double worst)
    {
        if (a.Flat && b.Flat)
        {
            double dr = a.R - b.R, dg = a.G - b.G, db = a.B - b.B;
            double l2 = Math.Sqrt(dr * dr + dg * dg + db * db);
            double blend = Math.Clamp((l2 - 1.0) / 50.0, 0, 1);
            return identity * (1 - blend) + worst * blend;
        }
        if (a.Flat != b.Flat) return worst;
        return null;
    }
}
