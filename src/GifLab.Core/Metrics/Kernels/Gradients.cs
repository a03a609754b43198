using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GifLab.Core.Metrics.Kernels;

/// <summary>
/// Small-stencil image operators on float luma planes, with OpenCV's default border
/// (BORDER_REFLECT_101: …2 1 | 0 1 2…). Sobel, Canny suppression and LBP codes run in Vector256 lanes with
/// bit-identical scalar twins; they run on reference frames once (cached) and on
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

    /// <summary>Sobel 3×3 derivatives (OpenCV <c>Sobel(ksize=3)</c>). Interior columns in
    /// <see cref="Vector256{T}"/> lanes with the same operation order as <see cref="SobelScalar"/>
    /// (bit-identical); the two border columns use the reflected taps.</summary>
    public static void Sobel(ReadOnlySpan<float> src, int w, int h, Span<float> gx, Span<float> gy)
    {
        if (!Vector256.IsHardwareAccelerated || w < 10) { SobelScalar(src, w, h, gx, gy); return; }
        ref float s0 = ref MemoryMarshal.GetReference(src);
        ref float ox = ref MemoryMarshal.GetReference(gx);
        ref float oy = ref MemoryMarshal.GetReference(gy);
        var two = Vector256.Create(2f);
        for (int y = 0; y < h; y++)
        {
            int ym = Reflect101(y - 1, h) * w, y0 = y * w, yp = Reflect101(y + 1, h) * w;
            SobelAt(src, w, ym, y0, yp, 0, gx, gy);
            int x = 1, end = w - 1;
            for (; x + 8 <= end; x += 8)
            {
                var a = Vector256.LoadUnsafe(ref s0, (nuint)(ym + x - 1));
                var b = Vector256.LoadUnsafe(ref s0, (nuint)(ym + x));
                var c = Vector256.LoadUnsafe(ref s0, (nuint)(ym + x + 1));
                var d = Vector256.LoadUnsafe(ref s0, (nuint)(y0 + x - 1));
                var f = Vector256.LoadUnsafe(ref s0, (nuint)(y0 + x + 1));
                var g = Vector256.LoadUnsafe(ref s0, (nuint)(yp + x - 1));
                var hh = Vector256.LoadUnsafe(ref s0, (nuint)(yp + x));
                var k = Vector256.LoadUnsafe(ref s0, (nuint)(yp + x + 1));
                ((c + two * f + k) - (a + two * d + g)).StoreUnsafe(ref ox, (nuint)(y0 + x));
                ((g + two * hh + k) - (a + two * b + c)).StoreUnsafe(ref oy, (nuint)(y0 + x));
            }
            for (; x < end; x++) SobelAt(src, w, ym, y0, yp, x, gx, gy);
            SobelAt(src, w, ym, y0, yp, w - 1, gx, gy);
        }
    }

    private static void SobelAt(ReadOnlySpan<float> src, int w, int ym, int y0, int yp, int x, Span<float> gx, Span<float> gy)
    {
        int xm = Reflect101(x - 1, w), xp = Reflect101(x + 1, w);
        float a = src[ym + xm], b = src[ym + x], c = src[ym + xp];
        float d = src[y0 + xm], f = src[y0 + xp];
        float g = src[yp + xm], hh = src[yp + x], k = src[yp + xp];
        gx[y0 + x] = (c + 2 * f + k) - (a + 2 * d + g);
        gy[y0 + x] = (g + 2 * hh + k) - (a + 2 * b + c);
    }

    /// <summary>Scalar twin of <see cref="Sobel"/> (reflected taps at every pixel).</summary>
    internal static void SobelScalar(ReadOnlySpan<float> src, int w, int h, Span<float> gx, Span<float> gy)
    {
        for (int y = 0; y < h; y++)
        {
            int ym = Reflect101(y - 1, h) * w, y0 = y * w, yp = Reflect101(y + 1, h) * w;
            for (int x = 0; x < w; x++) SobelAt(src, w, ym, y0, yp, x, gx, gy);
        }
    }

    /// <summary>4-neighbour Laplacian [0 1 0; 1 −4 1; 0 1 0] (OpenCV <c>Laplacian(ksize=1)</c>). Interior
    /// columns in <see cref="Vector256{T}"/> lanes with the scalar operation order (bit-identical to
    /// <see cref="LaplacianScalar"/>).</summary>
    public static void Laplacian(ReadOnlySpan<float> src, int w, int h, Span<float> dst)
    {
        if (!Vector256.IsHardwareAccelerated || w < 10) { LaplacianScalar(src, w, h, dst); return; }
        ref float s0 = ref MemoryMarshal.GetReference(src);
        ref float d0 = ref MemoryMarshal.GetReference(dst);
        var four = Vector256.Create(4f);
        for (int y = 0; y < h; y++)
        {
            int ym = Reflect101(y - 1, h) * w, y0 = y * w, yp = Reflect101(y + 1, h) * w;
            int x = 1;
            for (; x + 8 <= w - 1; x += 8)
                (Vector256.LoadUnsafe(ref s0, (nuint)(ym + x)) + Vector256.LoadUnsafe(ref s0, (nuint)(yp + x))
                 + Vector256.LoadUnsafe(ref s0, (nuint)(y0 + x - 1)) + Vector256.LoadUnsafe(ref s0, (nuint)(y0 + x + 1))
                 - four * Vector256.LoadUnsafe(ref s0, (nuint)(y0 + x))).StoreUnsafe(ref d0, (nuint)(y0 + x));
            for (; x < w - 1; x++)
                dst[y0 + x] = src[ym + x] + src[yp + x] + src[y0 + x - 1] + src[y0 + x + 1] - 4 * src[y0 + x];
            LaplacianBorders(src, w, ym, y0, yp, dst);
        }
    }

    /// <summary>Scalar twin of <see cref="Laplacian"/>.</summary>
    internal static void LaplacianScalar(ReadOnlySpan<float> src, int w, int h, Span<float> dst)
    {
        for (int y = 0; y < h; y++)
        {
            int ym = Reflect101(y - 1, h) * w, y0 = y * w, yp = Reflect101(y + 1, h) * w;
            if (w >= 3)
                for (int x = 1; x < w - 1; x++)
                    dst[y0 + x] = src[ym + x] + src[yp + x] + src[y0 + x - 1] + src[y0 + x + 1] - 4 * src[y0 + x];
            LaplacianBorders(src, w, ym, y0, yp, dst);
        }
    }

    private static void LaplacianBorders(ReadOnlySpan<float> src, int w, int ym, int y0, int yp, Span<float> dst)
    {
        foreach (int x in (ReadOnlySpan<int>)[0, w - 1])
        {
            int xm = Reflect101(x - 1, w), xp = Reflect101(x + 1, w);
            dst[y0 + x] = src[ym + x] + src[yp + x] + src[y0 + xm] + src[y0 + xp] - 4 * src[y0 + x];
        }
    }

    /// <summary>In place: <paramref name="gx"/> ← √(gx² + gy²) (Euclidean gradient magnitude), lane-wise
    /// exactly as <c>MathF.Sqrt(gx·gx + gy·gy)</c>.</summary>
    internal static void EuclideanMagnitude(Span<float> gx, ReadOnlySpan<float> gy)
    {
        int i = 0, n = gx.Length;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float a = ref MemoryMarshal.GetReference(gx);
            ref float b = ref MemoryMarshal.GetReference(gy);
            for (; i + 8 <= n; i += 8)
            {
                var x = Vector256.LoadUnsafe(ref a, (nuint)i); var y = Vector256.LoadUnsafe(ref b, (nuint)i);
                Vector256.Sqrt(x * x + y * y).StoreUnsafe(ref a, (nuint)i);
            }
        }
        for (; i < n; i++) gx[i] = MathF.Sqrt(gx[i] * gx[i] + gy[i] * gy[i]);
    }

    /// <summary>Population variance of the Laplacian response (sharpness, OpenCV idiom).</summary>
    public static double LaplacianVariance(ReadOnlySpan<float> src, int w, int h)
    {
        int n = w * h;
        var rented = System.Buffers.ArrayPool<float>.Shared.Rent(n); // every element is written by Laplacian
        var lap = rented.AsSpan(0, n);
        Laplacian(src, w, h, lap);
        double s = 0, ss = 0;
        foreach (var v in lap) { s += v; ss += (double)v * v; }
        System.Buffers.ArrayPool<float>.Shared.Return(rented);
        double m = s / n;
        return Math.Max(0, ss / n - m * m);
    }

    /// <summary>
    /// Canny edge map (1 = edge) in the style of OpenCV <c>Canny(img, low, high)</c>: Sobel 3×3, L1
    /// magnitude |gx| + |gy|, non-maximum suppression along the quantised gradient direction,
    /// hysteresis with 8-connectivity. No pre-blur (OpenCV applies none either).
    /// </summary>
    public static byte[] Canny(ReadOnlySpan<float> src, int w, int h, float low, float high) =>
        Canny(src, w, h, low, high, vectorised: true);

    /// <summary><see cref="Canny(ReadOnlySpan{float}, int, int, float, float)"/>; with <paramref name="vectorised"/>
    /// false the non-maximum suppression runs one pixel at a time with branches (the scalar twin).</summary>
    internal static byte[] Canny(ReadOnlySpan<float> src, int w, int h, float low, float high, bool vectorised)
    {
        int n = w * h;
        var pool = System.Buffers.ArrayPool<float>.Shared;
        var gxa = pool.Rent(n); var gya = pool.Rent(n); var mga = pool.Rent(n);
        var stack = System.Buffers.ArrayPool<int>.Shared.Rent(n);
        var edges = new byte[n]; // 0 none, 1 weak, 2 strong; strong → 1 at the end
        try
        {
            Span<float> gx = gxa.AsSpan(0, n), gy = gya.AsSpan(0, n), mag = mga.AsSpan(0, n);
            Sobel(src, w, h, gx, gy);
            L1Magnitude(gx, gy, mag);
            int top = 0;
            for (int y = 1; y < h - 1; y++)
            {
                int x = 1;
                if (vectorised && Vector256.IsHardwareAccelerated)
                    x = SuppressRowVector(gx, gy, mag, w, y, low, high, edges, stack, ref top);
                for (; x < w - 1; x++) SuppressAt(gx, gy, mag, w, y * w + x, low, high, edges, stack, ref top);
            }
            // Hysteresis: weak and strong pixels are all interior (x in 1..w−2, y in 1..h−2), so the
            // 8 neighbours of a stacked pixel are always inside the plane and no border test is needed.
            while (top > 0)
            {
                int i = stack[--top];
                foreach (int j in (ReadOnlySpan<int>)[i - w - 1, i - w, i - w + 1, i - 1, i + 1, i + w - 1, i + w, i + w + 1])
                    if (edges[j] == 1) { edges[j] = 2; stack[top++] = j; }
            }
            System.Numerics.Tensors.TensorPrimitives.ShiftRightLogical(edges, 1, edges);
            return edges;
        }
        finally
        {
            pool.Return(gxa); pool.Return(gya); pool.Return(mga);
            System.Buffers.ArrayPool<int>.Shared.Return(stack);
        }
    }

    private const float Tan22 = 0.41421356f;

    /// <summary>Non-maximum suppression of one pixel along its quantised gradient direction.</summary>
    private static void SuppressAt(Span<float> gx, Span<float> gy, Span<float> mag, int w, int i, float low, float high,
                                   byte[] edges, int[] stack, ref int top)
    {
        float m = mag[i];
        if (m <= low) return;
        float ax = MathF.Abs(gx[i]), ay = MathF.Abs(gy[i]);
        int j1, j2;
        if (ay <= ax * Tan22) { j1 = i - 1; j2 = i + 1; }
        else if (ay * Tan22 >= ax) { j1 = i - w; j2 = i + w; }
        else if ((gx[i] > 0) == (gy[i] > 0)) { j1 = i - w - 1; j2 = i + w + 1; }
        else { j1 = i - w + 1; j2 = i + w - 1; }
        if (m > mag[j1] && m >= mag[j2])
        {
            if (m > high) { edges[i] = 2; stack[top++] = i; }
            else edges[i] = 1;
        }
    }

    /// <summary>Branch-free suppression of 8 pixels at once (same comparisons as <see cref="SuppressAt"/>:
    /// the four neighbour pairs are loaded and the pair of each lane's sector is selected by masks);
    /// returns the first column left to the scalar tail.</summary>
    private static int SuppressRowVector(Span<float> gx, Span<float> gy, Span<float> mag, int w, int y, float low, float high,
                                         byte[] edges, int[] stack, ref int top)
    {
        ref float m0 = ref MemoryMarshal.GetReference(mag);
        ref float x0 = ref MemoryMarshal.GetReference(gx);
        ref float y0 = ref MemoryMarshal.GetReference(gy);
        var vLow = Vector256.Create(low); var vHigh = Vector256.Create(high); var vTan = Vector256.Create(Tan22);
        int x = 1, row = y * w;
        for (; x + 8 <= w - 1; x += 8)
        {
            int i = row + x;
            var m = Vector256.LoadUnsafe(ref m0, (nuint)i);
            var above = Vector256.GreaterThan(m, vLow);
            if (above == Vector256<float>.Zero) continue;
            var gxv = Vector256.LoadUnsafe(ref x0, (nuint)i); var gyv = Vector256.LoadUnsafe(ref y0, (nuint)i);
            var ax = Vector256.Abs(gxv); var ay = Vector256.Abs(gyv);
            var horizontal = Vector256.LessThanOrEqual(ay, ax * vTan);
            var vertical = Vector256.GreaterThanOrEqual(ay * vTan, ax);
            var same = ~(Vector256.GreaterThan(gxv, Vector256<float>.Zero) ^ Vector256.GreaterThan(gyv, Vector256<float>.Zero));
            var diag1 = Vector256.ConditionalSelect(same, Vector256.LoadUnsafe(ref m0, (nuint)(i - w - 1)), Vector256.LoadUnsafe(ref m0, (nuint)(i - w + 1)));
            var diag2 = Vector256.ConditionalSelect(same, Vector256.LoadUnsafe(ref m0, (nuint)(i + w + 1)), Vector256.LoadUnsafe(ref m0, (nuint)(i + w - 1)));
            var n1 = Vector256.ConditionalSelect(horizontal, Vector256.LoadUnsafe(ref m0, (nuint)(i - 1)),
                     Vector256.ConditionalSelect(vertical, Vector256.LoadUnsafe(ref m0, (nuint)(i - w)), diag1));
            var n2 = Vector256.ConditionalSelect(horizontal, Vector256.LoadUnsafe(ref m0, (nuint)(i + 1)),
                     Vector256.ConditionalSelect(vertical, Vector256.LoadUnsafe(ref m0, (nuint)(i + w)), diag2));
            var keep = above & Vector256.GreaterThan(m, n1) & Vector256.GreaterThanOrEqual(m, n2);
            uint kept = keep.ExtractMostSignificantBits();
            if (kept == 0) continue;
            uint strong = (keep & Vector256.GreaterThan(m, vHigh)).ExtractMostSignificantBits();
            for (uint bits = kept; bits != 0; bits &= bits - 1)
            {
                int lane = System.Numerics.BitOperations.TrailingZeroCount(bits);
                if ((strong >> lane & 1) != 0) { edges[i + lane] = 2; stack[top++] = i + lane; }
                else edges[i + lane] = 1;
            }
        }
        return x;
    }

    /// <summary>|gx| + |gy| (the L1 gradient magnitude Canny thresholds).</summary>
    internal static void L1Magnitude(ReadOnlySpan<float> gx, ReadOnlySpan<float> gy, Span<float> mag)
    {
        int i = 0, n = mag.Length;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float a = ref MemoryMarshal.GetReference(gx);
            ref float b = ref MemoryMarshal.GetReference(gy);
            ref float o = ref MemoryMarshal.GetReference(mag);
            for (; i + 8 <= n; i += 8)
                (Vector256.Abs(Vector256.LoadUnsafe(ref a, (nuint)i)) + Vector256.Abs(Vector256.LoadUnsafe(ref b, (nuint)i))).StoreUnsafe(ref o, (nuint)i);
        }
        for (; i < n; i++) mag[i] = MathF.Abs(gx[i]) + MathF.Abs(gy[i]);
    }

    /// <summary>
    /// Normalised histogram (10 bins) of rotation-invariant uniform LBP codes, P = 8, R = 1 on the
    /// 8 square neighbours (scikit-image interpolates the diagonal samples at radius 1; we use the
    /// pixel grid). Bin = number of set bits for uniform patterns (0–8), 9 for non-uniform.
    /// Border pixels are skipped.
    /// </summary>
    public static double[] LbpHistogram(ReadOnlySpan<float> src, int w, int h) => LbpHistogram(src, w, h, vectorised: true);

    /// <summary><see cref="LbpHistogram(ReadOnlySpan{float}, int, int)"/>; the vector path builds the codes of
    /// 8 adjacent pixels with 8 lane-wise comparisons (exactly the scalar comparisons).</summary>
    internal static double[] LbpHistogram(ReadOnlySpan<float> src, int w, int h, bool vectorised)
    {
        var hist = new double[10];
        if (w < 3 || h < 3) return hist;
        var lut = LbpBins;
        Span<long> counts = stackalloc long[10];
        for (int y = 1; y < h - 1; y++)
        {
            int r0 = (y - 1) * w, r1 = y * w, r2 = (y + 1) * w;
            int x = 1;
            if (vectorised && Vector256.IsHardwareAccelerated)
                x = LbpRowVector(src, r0, r1, r2, w, lut, counts);
            for (; x < w - 1; x++)
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

    private static int LbpRowVector(ReadOnlySpan<float> src, int r0, int r1, int r2, int w, byte[] lut, Span<long> counts)
    {
        ref float s0 = ref MemoryMarshal.GetReference(src);
        var one = Vector256.Create(1);
        Span<int> codes = stackalloc int[8];
        int x = 1;
        for (; x + 8 <= w - 1; x += 8)
        {
            var c = Vector256.LoadUnsafe(ref s0, (nuint)(r1 + x));
            var bits = (Vector256.GreaterThanOrEqual(Vector256.LoadUnsafe(ref s0, (nuint)(r1 + x + 1)), c).AsInt32() & one)
                     | (Vector256.GreaterThanOrEqual(Vector256.LoadUnsafe(ref s0, (nuint)(r0 + x + 1)), c).AsInt32() & Vector256.Create(2))
                     | (Vector256.GreaterThanOrEqual(Vector256.LoadUnsafe(ref s0, (nuint)(r0 + x)), c).AsInt32() & Vector256.Create(4))
                     | (Vector256.GreaterThanOrEqual(Vector256.LoadUnsafe(ref s0, (nuint)(r0 + x - 1)), c).AsInt32() & Vector256.Create(8))
                     | (Vector256.GreaterThanOrEqual(Vector256.LoadUnsafe(ref s0, (nuint)(r1 + x - 1)), c).AsInt32() & Vector256.Create(16))
                     | (Vector256.GreaterThanOrEqual(Vector256.LoadUnsafe(ref s0, (nuint)(r2 + x - 1)), c).AsInt32() & Vector256.Create(32))
                     | (Vector256.GreaterThanOrEqual(Vector256.LoadUnsafe(ref s0, (nuint)(r2 + x)), c).AsInt32() & Vector256.Create(64))
                     | (Vector256.GreaterThanOrEqual(Vector256.LoadUnsafe(ref s0, (nuint)(r2 + x + 1)), c).AsInt32() & Vector256.Create(128));
            bits.CopyTo(codes);
            foreach (int code in codes) counts[lut[code]]++;
        }
        return x;
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
