namespace GifLab.Core.Metrics.Kernels;

/// <summary>
/// Small-stencil image operators on float luma planes, with OpenCV's default border
/// (BORDER_REFLECT_101: …2 1 | 0 1 2…). Scalar; they run on reference frames once (cached) and on
/// candidate frames once per measurement.
/// </summary>
internal static class Gradients
{
    private static int Reflect101(int i, int n)
    {
        if (n == 1) return 0;
        while (i < 0 || i >= n) i = i < 0 ? -i : 2 * n - 2 - i;
        return i;
    }

    /// <summary>Sobel 3×3 derivatives (OpenCV <c>Sobel(ksize=3)</c>).</summary>
    public static void Sobel(ReadOnlySpan<float> src, int w, int h, Span<float> gx, Span<float> gy)
    {
        for (int y = 0; y < h; y++)
        {
            int ym = Reflect101(y - 1, h) * w, y0 = y * w, yp = Reflect101(y + 1, h) * w;
            bool border = y == 0 || y == h - 1;
            for (int x = 0; x < w; x++)
            {
                if (!border && x > 0 && x < w - 1)
                {
                    // Interior: no reflection needed.
                    int end = w - 1;
                    for (; x < end; x++)
                    {
                        float a = src[ym + x - 1], b = src[ym + x], c = src[ym + x + 1];
                        float d = src[y0 + x - 1], f = src[y0 + x + 1];
                        float g = src[yp + x - 1], hh = src[yp + x], k = src[yp + x + 1];
                        gx[y0 + x] = (c + 2 * f + k) - (a + 2 * d + g);
                        gy[y0 + x] = (g + 2 * hh + k) - (a + 2 * b + c);
                    }
                    x = end - 1;
                    continue;
                }
                int xm = Reflect101(x - 1, w), xp = Reflect101(x + 1, w);
                float a2 = src[ym + xm], b2 = src[ym + x], c2 = src[ym + xp];
                float d2 = src[y0 + xm], f2 = src[y0 + xp];
                float g2 = src[yp + xm], h2 = src[yp + x], k2 = src[yp + xp];
                gx[y0 + x] = (c2 + 2 * f2 + k2) - (a2 + 2 * d2 + g2);
                gy[y0 + x] = (g2 + 2 * h2 + k2) - (a2 + 2 * b2 + c2);
            }
        }
    }

    /// <summary>4-neighbour Laplacian [0 1 0; 1 −4 1; 0 1 0] (OpenCV <c>Laplacian(ksize=1)</c>).</summary>
    public static void Laplacian(ReadOnlySpan<float> src, int w, int h, Span<float> dst)
    {
        for (int y = 0; y < h; y++)
        {
            int ym = Reflect101(y - 1, h) * w, y0 = y * w, yp = Reflect101(y + 1, h) * w;
            if (w >= 3)
                for (int x = 1; x < w - 1; x++)
                    dst[y0 + x] = src[ym + x] + src[yp + x] + src[y0 + x - 1] + src[y0 + x + 1] - 4 * src[y0 + x];
            foreach (int x in (ReadOnlySpan<int>)[0, w - 1])
            {
                int xm = Reflect101(x - 1, w), xp = Reflect101(x + 1, w);
                dst[y0 + x] = src[ym + x] + src[yp + x] + src[y0 + xm] + src[y0 + xp] - 4 * src[y0 + x];
            }
        }
    }

    /// <summary>Population variance of the Laplacian response (sharpness, OpenCV idiom).</summary>
    public static double LaplacianVariance(ReadOnlySpan<float> src, int w, int h)
    {
        var lap = new float[w * h];
        Laplacian(src, w, h, lap);
        double s = 0, ss = 0;
        foreach (var v in lap) { s += v; ss += (double)v * v; }
        double m = s / lap.Length;
        return Math.Max(0, ss / lap.Length - m * m);
    }

    /// <summary>
    /// Canny edge map (1 = edge) in the style of OpenCV <c>Canny(img, low, high)</c>: Sobel 3×3, L1
    /// magnitude |gx| + |gy|, non-maximum suppression along the quantised gradient direction,
    /// hysteresis with 8-connectivity. No pre-blur (OpenCV applies none either).
    /// </summary>
    public static byte[] Canny(ReadOnlySpan<float> src, int w, int h, float low, float high)
    {
        int n = w * h;
        var pool = System.Buffers.ArrayPool<float>.Shared;
        var gxa = pool.Rent(n); var gya = pool.Rent(n);
        var stack = System.Buffers.ArrayPool<int>.Shared.Rent(n);
        var edges = new byte[n]; // 0 none, 1 weak, 2 strong; strong → 1 at the end
        try
        {
            Span<float> gx = gxa.AsSpan(0, n), gy = gya.AsSpan(0, n);
            Sobel(src, w, h, gx, gy);
            // The L1 magnitude |gx| + |gy| is recomputed where needed instead of stored (one buffer less).
            const float Tan22 = 0.41421356f;
            int top = 0;
            for (int y = 1; y < h - 1; y++)
            {
                int row = y * w;
                for (int x = 1; x < w - 1; x++)
                {
                    int i = row + x;
                    float ax = MathF.Abs(gx[i]), ay = MathF.Abs(gy[i]);
                    float m = ax + ay;
                    if (m <= low) continue;
                    int j1, j2;
                    if (ay <= ax * Tan22) { j1 = i - 1; j2 = i + 1; }
                    else if (ay * Tan22 >= ax) { j1 = i - w; j2 = i + w; }
                    else if ((gx[i] > 0) == (gy[i] > 0)) { j1 = i - w - 1; j2 = i + w + 1; }
                    else { j1 = i - w + 1; j2 = i + w - 1; }
                    float m1 = MathF.Abs(gx[j1]) + MathF.Abs(gy[j1]), m2 = MathF.Abs(gx[j2]) + MathF.Abs(gy[j2]);
                    if (m > m1 && m >= m2)
                    {
                        if (m > high) { edges[i] = 2; stack[top++] = i; }
                        else edges[i] = 1;
                    }
                }
            }
            while (top > 0)
            {
                int i = stack[--top];
                int y = i / w, x = i - y * w;
                for (int dy = -1; dy <= 1; dy++)
                {
                    int yy = y + dy;
                    if (yy < 0 || yy >= h) continue;
                    for (int dx = -1; dx <= 1; dx++)
                    {
                        int xx = x + dx;
                        if (xx < 0 || xx >= w) continue;
                        int j = yy * w + xx;
                        if (edges[j] == 1) { edges[j] = 2; stack[top++] = j; }
                    }
                }
            }
            for (int i = 0; i < n; i++) edges[i] = (byte)(edges[i] >> 1);
            return edges;
        }
        finally
        {
            pool.Return(gxa); pool.Return(gya);
            System.Buffers.ArrayPool<int>.Shared.Return(stack);
        }
    }

    /// <summary>
    /// Normalised histogram (10 bins) of rotation-invariant uniform LBP codes, P = 8, R = 1 on the
    /// 8 square neighbours (scikit-image interpolates the diagonal samples at radius 1; we use the
    /// pixel grid). Bin = number of set bits for uniform patterns (0–8), 9 for non-uniform.
    /// Border pixels are skipped.
    /// </summary>
    public static double[] LbpHistogram(ReadOnlySpan<float> src, int w, int h)
    {
        var hist = new double[10];
        if (w < 3 || h < 3) return hist;
        var lut = LbpBins;
        Span<long> counts = stackalloc long[10];
        for (int y = 1; y < h - 1; y++)
        {
            int r0 = (y - 1) * w, r1 = y * w, r2 = (y + 1) * w;
            for (int x = 1; x < w - 1; x++)
            {
                float c = src[r1 + x];
                int bits = (src[r1 + x + 1] >= c ? 1 : 0)
                         | (src[r0 + x + 1] >= c ? 2 : 0)
                         | (src[r0 + x] >= c ? 4 : 0)
                         | (src[r0 + x - 1] >= c ? 8 : 0)
                         | (src[r1 + x - 1] >= c ? 16 : 0)
                         | (src[r2 + x - 1] >= c ? 32 : 0)
                         | (src[r2 + x] >= c ? 64 : 0)
                         | (src[r2 + x + 1] >= c ? 128 : 0);
                counts[lut[bits]]++;
            }
        }
        double total = (double)(w - 2) * (h - 2);
        for (int i = 0; i < 10; i++) hist[i] = counts[i] / total;
        return hist;
    }

    /// <summary>LBP code (8 neighbours, counter-clockwise from east) → uniform bin: number of set bits
    /// when the circular pattern has ≤ 2 transitions, else 9.</summary>
    private static readonly byte[] LbpBins = BuildLbpBins();

    private static byte[] BuildLbpBins()
    {
        var t = new byte[256];
        for (int bits = 0; bits < 256; bits++)
        {
            int transitions = 0, ones = 0;
            for (int k = 0; k < 8; k++)
            {
                ones += (bits >> k) & 1;
                if (((bits >> k) & 1) != ((bits >> ((k + 1) & 7)) & 1)) transitions++;
            }
            t[bits] = (byte)(transitions <= 2 ? ones : 9);
        }
        return t;
    }

    /// <summary>Pearson correlation of two equal-length vectors; 1 when either is constant
    /// (OpenCV <c>HISTCMP_CORREL</c> convention).</summary>
    public static double Correlation(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double ma = 0, mb = 0;
        for (int i = 0; i < a.Length; i++) { ma += a[i]; mb += b[i]; }
        ma /= a.Length; mb /= b.Length;
        double num = 0, da = 0, db = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double x = a[i] - ma, y = b[i] - mb;
            num += x * y; da += x * x; db += y * y;
        }
        double den = da * db;
        return den > double.Epsilon ? num / Math.Sqrt(den) : 1.0;
    }
}
