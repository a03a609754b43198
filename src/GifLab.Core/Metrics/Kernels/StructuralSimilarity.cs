using System.Buffers;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GifLab.Core.Metrics.Kernels;

/// <summary>
/// SSIM (scikit-image definition) and MS-SSIM (Wang, Simoncelli &amp; Bovik 2003) on float luma
/// planes, exactly as testdata/golden/README.md defines them.
/// </summary>
/// <remarks>
/// Numerics: luma is centred (Y − 128) before the moments, which keeps E[x²] − μ² well conditioned
/// in float32 (the luminance term adds the 128 back). Window sums are direct separable FIR sums
/// (fused separable pass over the five moments); map means are accumulated in double. The S-map loop uses
/// <see cref="Vector512{T}"/> lanes (16 adjacent output pixels) where accelerated, then <see cref="Vector256{T}"/> lanes
/// (8), tail in scalar; the scalar
/// twins <see cref="SsimReference"/>/<see cref="MsSsimReference"/> compute in double straight from the
/// definition and anchor the accuracy tests; <see cref="MeanMaps"/> with <c>vectorised: false</c> is the
/// float scalar twin of the vector path.
/// </remarks>
internal static class StructuralSimilarity
{
    public const double C1 = 6.5025;     // (0.01·255)²
    public const double C2 = 58.5225;    // (0.03·255)²
    public const int SsimWindow = 7;
    public const int MsSsimWindow = 11;
    internal static float[] BoxTaps => Box7;
    internal static float[] GaussTaps => Gauss11;
    public static readonly double[] MsSsimWeights = [0.0448, 0.2856, 0.3001, 0.2363, 0.1333];

    private static readonly float[] Box7 = [1f, 1f, 1f, 1f, 1f, 1f, 1f];
    private static readonly float[] Gauss11 = BuildGauss11();

    private static float[] BuildGauss11()
    {
        var g = new double[11];
        double s = 0;
        for (int i = 0; i < 11; i++) { g[i] = Math.Exp(-(i - 5) * (i - 5) / 4.5); s += g[i]; }
        var f = new float[11];
        for (int i = 0; i < 11; i++) f[i] = (float)(g[i] / s);
        return f;
    }

    /// <summary>Mean SSIM over the 3-px-cropped map, or null when a side is below 7 px.</summary>
    public static double? Ssim(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int width, int height) =>
        Ssim(a, b, width, height, default, null);

    /// <summary>
    /// As <see cref="Ssim(ReadOnlySpan{float}, ReadOnlySpan{float}, int, int)"/>, reusing the per-row results that
    /// <paramref name="rows"/> holds from the previous call for every output row whose window reads only rows marked in
    /// <paramref name="cleanRows"/> (input rows bitwise equal to the previous call's, in both planes). Bit-identical.
    /// </summary>
    public static double? Ssim(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int width, int height, ReadOnlySpan<bool> cleanRows, RowSums? rows)
    {
        if (width < SsimWindow || height < SsimWindow) return null;
        var pool = ArrayPool<float>.Shared;
        int px = width * height;
        var xa = pool.Rent(px); var xb = pool.Rent(px);
        try
        {
            Center(a, xa.AsSpan(0, px));
            Center(b, xb.AsSpan(0, px));
            var (lum, _) = MeanMaps(xa.AsSpan(0, px), xb.AsSpan(0, px), width, height, Box7, sampleCovariance: true,
                cleanRows: cleanRows, rowSums: rows);
            return lum;
        }
        finally { pool.Return(xa); pool.Return(xb); }
    }

    /// <summary>MS-SSIM and the number of scales used, or null when a side is below 11 px.</summary>
    public static (double Value, int Scales)? MsSsim(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int width, int height) =>
        MsSsim(a, b, width, height, default, null);

    /// <summary>
    /// As <see cref="MsSsim(ReadOnlySpan{float}, ReadOnlySpan{float}, int, int)"/>, reusing per-row results of the
    /// previous call (<paramref name="scales"/>: one <see cref="RowSums"/> per scale) where the rows a window reads are
    /// clean: a row of scale k+1 is clean when both rows of scale k it averages are. Bit-identical.
    /// </summary>
    public static (double Value, int Scales)? MsSsim(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int width, int height,
                                                     ReadOnlySpan<bool> cleanRows, RowSums[]? scales)
    {
        if (width < MsSsimWindow || height < MsSsimWindow) return null;
        var pool = ArrayPool<float>.Shared;
        int px = width * height;
        var xa = pool.Rent(px); var xb = pool.Rent(px);
        var mcs = new double[5];
        double lastMssim = 0;
        int k = 0;
        bool[]? clean = null;
        if (!cleanRows.IsEmpty)
        {
            clean = ArrayPool<bool>.Shared.Rent(height);
            cleanRows[..height].CopyTo(clean);
        }
        try
        {
            Center(a, xa.AsSpan(0, px));
            Center(b, xb.AsSpan(0, px));
            int w = width, h = height;
            while (k < 5 && Math.Min(w, h) >= MsSsimWindow)
            {
                if (k > 0)
                {
                    Downsample2x2(xa, w, h); Downsample2x2(xb, w, h);
                    if (clean is not null)
                        for (int y = 0; y < h / 2; y++) clean[y] = clean[2 * y] && clean[2 * y + 1];
                    w /= 2; h /= 2;
                    if (Math.Min(w, h) < MsSsimWindow) break;
                }
                var (lcs, cs) = MeanMaps(xa.AsSpan(0, w * h), xb.AsSpan(0, w * h), w, h, Gauss11, sampleCovariance: false,
                    cleanRows: clean is null ? default : clean.AsSpan(0, h), rowSums: scales?[k]);
                mcs[k] = cs;
                lastMssim = lcs;
                k++;
            }
        }
        finally
        {
            pool.Return(xa); pool.Return(xb);
            if (clean is not null) ArrayPool<bool>.Shared.Return(clean);
        }
        return (Combine(mcs, lastMssim, k), k);
    }

    /// <summary>Scales <c>MsSsim</c> uses on a width×height canvas (0 when it returns null).</summary>
    public static int MsSsimScales(int width, int height)
    {
        if (width < MsSsimWindow || height < MsSsimWindow) return 0;
        int w = width, h = height, k = 0;
        while (k < 5 && Math.Min(w, h) >= MsSsimWindow)
        {
            if (k > 0)
            {
                w /= 2; h /= 2;
                if (Math.Min(w, h) < MsSsimWindow) break;
            }
            k++;
        }
        return k;
    }

    internal static double Combine(double[] mcs, double lastMssim, int k)
    {
        double wsum = 0;
        for (int j = 0; j < k; j++) wsum += MsSsimWeights[j];
        double norm = k == 5 ? 1.0 : 1.0 / wsum;
        double result = 1.0;
        for (int j = 0; j < k - 1; j++) result *= Math.Pow(Math.Max(mcs[j], 0), MsSsimWeights[j] * norm);
        result *= Math.Pow(Math.Max(lastMssim, 0), MsSsimWeights[k - 1] * norm);
        return result;
    }

    private static void Center(ReadOnlySpan<float> src, Span<float> dst) =>
        System.Numerics.Tensors.TensorPrimitives.Subtract(src, 128f, dst);

    /// <summary>In-place 2×2 average pool with stride 2 (odd last row/column dropped).</summary>
    /// <remarks>Eight outputs at a time through <see cref="Vector256{T}"/> lanes (even and odd columns split by a
    /// constant permute, then the same ((a + b) + c) + d and × 0.25 as the scalar loop: bit-identical). In place is safe:
    /// an output block is stored after its inputs are loaded, and later inputs lie beyond it.</remarks>
    internal static void Downsample2x2(float[] plane, int w, int h, bool vectorised = true)
    {
        int ow = w / 2, oh = h / 2;
        ref float p = ref MemoryMarshal.GetArrayDataReference(plane);
        var split = Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7);
        var quarter = Vector256.Create(0.25f);
        for (int y = 0; y < oh; y++)
        {
            int x = 0, r0 = 2 * y * w, r1 = r0 + w, o = y * ow;
            if (vectorised && Vector256.IsHardwareAccelerated)
                for (; x + 8 <= ow; x += 8)
                {
                    var a0 = Vector256.Shuffle(Vector256.LoadUnsafe(ref p, (nuint)(r0 + 2 * x)), split);
                    var a1 = Vector256.Shuffle(Vector256.LoadUnsafe(ref p, (nuint)(r0 + 2 * x + 8)), split);
                    var b0 = Vector256.Shuffle(Vector256.LoadUnsafe(ref p, (nuint)(r1 + 2 * x)), split);
                    var b1 = Vector256.Shuffle(Vector256.LoadUnsafe(ref p, (nuint)(r1 + 2 * x + 8)), split);
                    var ae = Vector256.Create(a0.GetLower(), a1.GetLower()); var ao = Vector256.Create(a0.GetUpper(), a1.GetUpper());
                    var be = Vector256.Create(b0.GetLower(), b1.GetLower()); var bo = Vector256.Create(b0.GetUpper(), b1.GetUpper());
                    (quarter * (ae + ao + be + bo)).StoreUnsafe(ref p, (nuint)(o + x));
                }
            for (; x < ow; x++)
            {
                int i = 2 * y * w + 2 * x;
                plane[y * ow + x] = 0.25f * (plane[i] + plane[i + 1] + plane[i + w] + plane[i + w + 1]);
            }
        }
    }

    /// <summary>
    /// Window moments of (x, y, x², y², xy) in one fused separable pass, then the (l·cs, cs) map
    /// means over the valid region. Horizontal pass: one row at a time into a ring of the last n rows
    /// (5 planes of n×(w−n+1)); vertical pass reduces each output row straight into the means as soon
    /// as its window is complete (no full-size moment planes). Products accumulate with fused
    /// multiply-add in both the vector and the scalar path.
    /// </summary>
    /// <remarks>
    /// Row reuse: with <paramref name="rowSums"/>, each output row's (l·cs, cs) sums are kept; on the next call the rows
    /// whose window reads only input rows marked clean (bitwise equal to the previous call's, in both planes) take the
    /// kept sums, and only the other rows are filtered. The means add the row sums in the same order either way, so the
    /// result is bit-identical. Consecutive GIF frames mostly differ in a band of rows (pixel-weighted, ~21 % of the
    /// rows of ../shared/corpus/real change from one frame to the next).
    /// </remarks>
    internal static (double LumCs, double Cs) MeanMaps(ReadOnlySpan<float> xa, ReadOnlySpan<float> xb, int w, int h,
                                                       float[] taps, bool sampleCovariance, bool vectorised = true,
                                                       ReadOnlySpan<bool> cleanRows = default, RowSums? rowSums = null)
    {
        // Without a caller's RowSums every row is filtered (a fresh one has nothing to reuse): one code path for both.
        rowSums ??= new RowSums();
        int n = taps.Length, ow = w - n + 1, oh = h - n + 1, plane = ow * n;
        bool reuse = rowSums.Width == w && rowSums.Height == h && cleanRows.Length >= h;
        if (!reuse)
        {
            rowSums.Lcs = new double[oh]; rowSums.Cs = new double[oh];
            rowSums.Width = w; rowSums.Height = h;
        }
        var pool = ArrayPool<float>.Shared;
        var hm = pool.Rent(5 * plane);
        var dirty = ArrayPool<bool>.Shared.Rent(oh);
        try
        {
            // An output row is dirty when any of its n input rows changed; an input row is filtered when any dirty
            // output row reads it.
            int run = 0; // clean input rows ending at y
            for (int y = 0; y < h; y++)
            {
                run = reuse && cleanRows[y] ? run + 1 : 0;
                int top = y - n + 1;
                if (top >= 0) dirty[top] = run < n;
            }
            // Ring of the last n horizontally filtered rows (5 moment planes of n × ow): it stays in cache,
            // where full-height moment planes would go out to memory and back.
            var span = hm.AsSpan(0, 5 * plane);
            Span<int> ring = stackalloc int[n];
            float norm = 1f, cov = 1f;
            if (sampleCovariance) { norm = 1f / (n * n); cov = (float)(n * n) / (n * n - 1); }
            int nextDirty = 0; // first dirty top ≥ the current one
            for (int y = 0; y < h; y++)
            {
                while (nextDirty < oh && (nextDirty < y - n + 1 || !dirty[nextDirty])) nextDirty++;
                if (nextDirty >= oh || nextDirty > y) continue; // no dirty window contains row y
                HorizontalMoments(xa.Slice(y * w, w), xb.Slice(y * w, w), taps, span, (y % n) * ow, plane, ow, vectorised);
                int top = y - n + 1;
                if (top < 0 || !dirty[top]) continue;
                for (int k = 0; k < n; k++) ring[k] = ((top + k) % n) * ow;
                var (l, c) = VerticalReduceRow(span, plane, ow, ring, taps, norm, cov, vectorised);
                rowSums.Lcs[top] = l; rowSums.Cs[top] = c;
                rowSums.RowsComputed++;
            }
            double sumLcs = 0, sumCs = 0;
            for (int top = 0; top < oh; top++) { sumLcs += rowSums.Lcs[top]; sumCs += rowSums.Cs[top]; }
            return (sumLcs / ((double)ow * oh), sumCs / ((double)ow * oh));
        }
        finally
        {
            pool.Return(hm);
            ArrayPool<bool>.Shared.Return(dirty);
        }
    }

    /// <summary>Per-output-row sums of one <see cref="MeanMaps"/> call, kept for the next call on the next frame pair.</summary>
    internal sealed class RowSums
    {
        internal double[] Lcs = [], Cs = [];
        internal int Width = -1, Height = -1;
        /// <summary>Output rows filtered (not reused) so far, for tests and profiling.</summary>
        internal long RowsComputed;
    }

    /// <summary>Marks the rows (width floats each) where both <paramref name="a"/> = <paramref name="aPrev"/> and
    /// <paramref name="b"/> = <paramref name="bPrev"/> bit for bit.</summary>
    internal static void CleanRows(ReadOnlySpan<float> a, ReadOnlySpan<float> aPrev, ReadOnlySpan<float> b, ReadOnlySpan<float> bPrev,
                                   int width, int height, Span<bool> clean)
    {
        for (int y = 0; y < height; y++)
        {
            int o = y * width;
            clean[y] = MemoryMarshal.AsBytes(a.Slice(o, width)).SequenceEqual(MemoryMarshal.AsBytes(aPrev.Slice(o, width)))
                    && MemoryMarshal.AsBytes(b.Slice(o, width)).SequenceEqual(MemoryMarshal.AsBytes(bPrev.Slice(o, width)));
        }
    }

    private static void HorizontalMoments(ReadOnlySpan<float> ra, ReadOnlySpan<float> rb, float[] taps, Span<float> h5,
                                          int offset, int plane, int ow, bool vectorised)
    {
        int n = taps.Length, x = 0;
        if (vectorised && Vector256.IsHardwareAccelerated)
        {
            ref float a0 = ref MemoryMarshal.GetReference(ra);
            ref float b0 = ref MemoryMarshal.GetReference(rb);
            ref float o = ref MemoryMarshal.GetReference(h5);
            if (Vector512.IsHardwareAccelerated && ReferenceEquals(taps, Box7))
                for (; x + 16 <= ow; x += 16)
                {
                    // Box window: every tap is 1, so t·v = v exactly and the multiplies are skipped (bit-identical).
                    Vector512<float> sa = default, sb = default, saa = default, sbb = default, sab = default;
                    for (int k = 0; k < SsimWindow; k++)
                    {
                        var va = Vector512.LoadUnsafe(ref a0, (nuint)(x + k));
                        var vb = Vector512.LoadUnsafe(ref b0, (nuint)(x + k));
                        sa += va; sb += vb;
                        saa = Vector512.FusedMultiplyAdd(va, va, saa);
                        sbb = Vector512.FusedMultiplyAdd(vb, vb, sbb);
                        sab = Vector512.FusedMultiplyAdd(va, vb, sab);
                    }
                    int i = offset + x;
                    sa.StoreUnsafe(ref o, (nuint)i);
                    sb.StoreUnsafe(ref o, (nuint)(plane + i));
                    saa.StoreUnsafe(ref o, (nuint)(2 * plane + i));
                    sbb.StoreUnsafe(ref o, (nuint)(3 * plane + i));
                    sab.StoreUnsafe(ref o, (nuint)(4 * plane + i));
                }
            if (Vector512.IsHardwareAccelerated)
                for (; x + 16 <= ow; x += 16)
                {
                    Vector512<float> sa = default, sb = default, saa = default, sbb = default, sab = default;
                    for (int k = 0; k < n; k++)
                    {
                        var t = Vector512.Create(taps[k]);
                        var va = Vector512.LoadUnsafe(ref a0, (nuint)(x + k));
                        var vb = Vector512.LoadUnsafe(ref b0, (nuint)(x + k));
                        var ta = t * va; var tb = t * vb;
                        sa += ta; sb += tb;
                        saa = Vector512.FusedMultiplyAdd(ta, va, saa);
                        sbb = Vector512.FusedMultiplyAdd(tb, vb, sbb);
                        sab = Vector512.FusedMultiplyAdd(ta, vb, sab);
                    }
                    int i = offset + x;
                    sa.StoreUnsafe(ref o, (nuint)i);
                    sb.StoreUnsafe(ref o, (nuint)(plane + i));
                    saa.StoreUnsafe(ref o, (nuint)(2 * plane + i));
                    sbb.StoreUnsafe(ref o, (nuint)(3 * plane + i));
                    sab.StoreUnsafe(ref o, (nuint)(4 * plane + i));
                }
            for (; x + 8 <= ow; x += 8)
            {
                Vector256<float> sa = default, sb = default, saa = default, sbb = default, sab = default;
                for (int k = 0; k < n; k++)
                {
                    var t = Vector256.Create(taps[k]);
                    var va = Vector256.LoadUnsafe(ref a0, (nuint)(x + k));
                    var vb = Vector256.LoadUnsafe(ref b0, (nuint)(x + k));
                    var ta = t * va; var tb = t * vb;
                    sa += ta; sb += tb;
                    saa = Vector256.FusedMultiplyAdd(ta, va, saa);
                    sbb = Vector256.FusedMultiplyAdd(tb, vb, sbb);
                    sab = Vector256.FusedMultiplyAdd(ta, vb, sab);
                }
                int i = offset + x;
                sa.StoreUnsafe(ref o, (nuint)i);
                sb.StoreUnsafe(ref o, (nuint)(plane + i));
                saa.StoreUnsafe(ref o, (nuint)(2 * plane + i));
                sbb.StoreUnsafe(ref o, (nuint)(3 * plane + i));
                sab.StoreUnsafe(ref o, (nuint)(4 * plane + i));
            }
        }
        for (; x < ow; x++)
        {
            float sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
            for (int k = 0; k < n; k++)
            {
                float va = ra[x + k], vb = rb[x + k], ta = taps[k] * va, tb = taps[k] * vb;
                sa += ta; sb += tb;
                saa = MathF.FusedMultiplyAdd(ta, va, saa);
                sbb = MathF.FusedMultiplyAdd(tb, vb, sbb);
                sab = MathF.FusedMultiplyAdd(ta, vb, sab);
            }
            int i = offset + x;
            h5[i] = sa; h5[plane + i] = sb; h5[2 * plane + i] = saa; h5[3 * plane + i] = sbb; h5[4 * plane + i] = sab;
        }
    }

    private static (double LumCs, double Cs) VerticalReduceRow(ReadOnlySpan<float> h5, int plane, int ow, ReadOnlySpan<int> rows, float[] taps,
                                                               float norm, float cov, bool vectorised)
    {
        const float c1 = (float)C1, c2 = (float)C2;
        int n = taps.Length, x = 0;
        float rowLcs = 0, rowCs = 0;
        if (vectorised && Vector256.IsHardwareAccelerated)
        {
            ref float r = ref MemoryMarshal.GetReference(h5);
            if (Vector512.IsHardwareAccelerated)
            {
                var vLcs = Vector512<float>.Zero; var vCs = Vector512<float>.Zero;
                var vNorm = Vector512.Create(norm); var vCov = Vector512.Create(cov);
                var v128 = Vector512.Create(128f); var vC1 = Vector512.Create(c1); var vC2 = Vector512.Create(c2);
                var two = Vector512.Create(2f);
                for (; x + 16 <= ow; x += 16)
                {
                    Vector512<float> sa = default, sb = default, saa = default, sbb = default, sab = default;
                    for (int k = 0; k < n; k++)
                    {
                        var t = Vector512.Create(taps[k]);
                        nuint i = (nuint)(rows[k] + x);
                        sa = Vector512.FusedMultiplyAdd(t, Vector512.LoadUnsafe(ref r, i), sa);
                        sb = Vector512.FusedMultiplyAdd(t, Vector512.LoadUnsafe(ref r, (nuint)plane + i), sb);
                        saa = Vector512.FusedMultiplyAdd(t, Vector512.LoadUnsafe(ref r, (nuint)(2 * plane) + i), saa);
                        sbb = Vector512.FusedMultiplyAdd(t, Vector512.LoadUnsafe(ref r, (nuint)(3 * plane) + i), sbb);
                        sab = Vector512.FusedMultiplyAdd(t, Vector512.LoadUnsafe(ref r, (nuint)(4 * plane) + i), sab);
                    }
                    var ua = sa * vNorm; var ub = sb * vNorm;
                    var va = (saa * vNorm - ua * ua) * vCov;
                    var vb = (sbb * vNorm - ub * ub) * vCov;
                    var vab = (sab * vNorm - ua * ub) * vCov;
                    var pa = ua + v128; var pb = ub + v128;
                    var cs = (two * vab + vC2) / (va + vb + vC2);
                    var l = (two * pa * pb + vC1) / (pa * pa + pb * pb + vC1);
                    vLcs += l * cs; vCs += cs;
                }
                rowLcs += Vector512.Sum(vLcs); rowCs += Vector512.Sum(vCs);
            }
            {
                var vLcs = Vector256<float>.Zero; var vCs = Vector256<float>.Zero;
                var vNorm = Vector256.Create(norm); var vCov = Vector256.Create(cov);
                var v128 = Vector256.Create(128f); var vC1 = Vector256.Create(c1); var vC2 = Vector256.Create(c2);
                var two = Vector256.Create(2f);
                for (; x + 8 <= ow; x += 8)
                {
                    Vector256<float> sa = default, sb = default, saa = default, sbb = default, sab = default;
                    for (int k = 0; k < n; k++)
                    {
                        var t = Vector256.Create(taps[k]);
                        nuint i = (nuint)(rows[k] + x);
                        sa = Vector256.FusedMultiplyAdd(t, Vector256.LoadUnsafe(ref r, i), sa);
                        sb = Vector256.FusedMultiplyAdd(t, Vector256.LoadUnsafe(ref r, (nuint)plane + i), sb);
                        saa = Vector256.FusedMultiplyAdd(t, Vector256.LoadUnsafe(ref r, (nuint)(2 * plane) + i), saa);
                        sbb = Vector256.FusedMultiplyAdd(t, Vector256.LoadUnsafe(ref r, (nuint)(3 * plane) + i), sbb);
                        sab = Vector256.FusedMultiplyAdd(t, Vector256.LoadUnsafe(ref r, (nuint)(4 * plane) + i), sab);
                    }
                    var ua = sa * vNorm; var ub = sb * vNorm;
                    var va = (saa * vNorm - ua * ua) * vCov;
                    var vb = (sbb * vNorm - ub * ub) * vCov;
                    var vab = (sab * vNorm - ua * ub) * vCov;
                    var pa = ua + v128; var pb = ub + v128;
                    var cs = (two * vab + vC2) / (va + vb + vC2);
                    var l = (two * pa * pb + vC1) / (pa * pa + pb * pb + vC1);
                    vLcs += l * cs; vCs += cs;
                }
                rowLcs += Vector256.Sum(vLcs); rowCs += Vector256.Sum(vCs);
            }
        }
        for (; x < ow; x++)
        {
            float sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
            for (int k = 0; k < n; k++)
            {
                int i = rows[k] + x;
                float t = taps[k];
                sa = MathF.FusedMultiplyAdd(t, h5[i], sa); sb = MathF.FusedMultiplyAdd(t, h5[plane + i], sb);
                saa = MathF.FusedMultiplyAdd(t, h5[2 * plane + i], saa); sbb = MathF.FusedMultiplyAdd(t, h5[3 * plane + i], sbb);
                sab = MathF.FusedMultiplyAdd(t, h5[4 * plane + i], sab);
            }
            float ua = sa * norm, ub = sb * norm;
            float va = (saa * norm - ua * ua) * cov, vb = (sbb * norm - ub * ub) * cov, vab = (sab * norm - ua * ub) * cov;
            float pa = ua + 128f, pb = ub + 128f;
            float cs = (2f * vab + c2) / (va + vb + c2);
            float l = (2f * pa * pb + c1) / (pa * pa + pb * pb + c1);
            rowLcs += l * cs; rowCs += cs;
        }
        return (rowLcs, rowCs);
    }

    // ---------------- scalar twins in double, straight from the definitions ----------------

    /// <summary>Double-precision SSIM from the definition (scalar twin for tests).</summary>
    public static double? SsimReference(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int w, int h)
    {
        if (w < 7 || h < 7) return null;
        double sum = 0; int count = 0;
        for (int y = 3; y < h - 3; y++)
            for (int x = 3; x < w - 3; x++)
            {
                double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
                for (int dy = -3; dy <= 3; dy++)
                    for (int dx = -3; dx <= 3; dx++)
                    {
                        double va = a[(y + dy) * w + x + dx], vb = b[(y + dy) * w + x + dx];
                        sa += va; sb += vb; saa += va * va; sbb += vb * vb; sab += va * vb;
                    }
                double ua = sa / 49, ub = sb / 49;
                double vxa = (saa / 49 - ua * ua) * 49.0 / 48, vxb = (sbb / 49 - ub * ub) * 49.0 / 48, cab = (sab / 49 - ua * ub) * 49.0 / 48;
                sum += (2 * ua * ub + C1) * (2 * cab + C2) / ((ua * ua + ub * ub + C1) * (vxa + vxb + C2));
                count++;
            }
        return sum / count;
    }

    /// <summary>Double-precision MS-SSIM from the definition (scalar twin for tests).</summary>
    public static double? MsSsimReference(ReadOnlySpan<float> a0, ReadOnlySpan<float> b0, int w, int h)
    {
        if (w < 11 || h < 11) return null;
        var g = new double[11]; double gs = 0;
        for (int i = 0; i < 11; i++) { g[i] = Math.Exp(-(i - 5) * (i - 5) / 4.5); gs += g[i]; }
        for (int i = 0; i < 11; i++) g[i] /= gs;
        var a = new double[w * h]; var b = new double[w * h];
        for (int i = 0; i < a.Length; i++) { a[i] = a0[i]; b[i] = b0[i]; }
        var mcs = new double[5]; double last = 0; int k = 0;
        while (k < 5 && Math.Min(w, h) >= 11)
        {
            if (k > 0)
            {
                int ow = w / 2, oh = h / 2;
                var na = new double[ow * oh]; var nb = new double[ow * oh];
                for (int y = 0; y < oh; y++)
                    for (int x = 0; x < ow; x++)
                    {
                        int i = 2 * y * w + 2 * x;
                        na[y * ow + x] = 0.25 * (a[i] + a[i + 1] + a[i + w] + a[i + w + 1]);
                        nb[y * ow + x] = 0.25 * (b[i] + b[i + 1] + b[i + w] + b[i + w + 1]);
                    }
                a = na; b = nb; w = ow; h = oh;
                if (Math.Min(w, h) < 11) break;
            }
            double sLcs = 0, sCs = 0; int count = 0;
            for (int y = 0; y + 11 <= h; y++)
                for (int x = 0; x + 11 <= w; x++)
                {
                    double ua = 0, ub = 0, uaa = 0, ubb = 0, uab = 0;
                    for (int dy = 0; dy < 11; dy++)
                        for (int dx = 0; dx < 11; dx++)
                        {
                            double wt = g[dy] * g[dx], va = a[(y + dy) * w + x + dx], vb = b[(y + dy) * w + x + dx];
                            ua += wt * va; ub += wt * vb; uaa += wt * va * va; ubb += wt * vb * vb; uab += wt * va * vb;
                        }
                    double cs = (2 * (uab - ua * ub) + C2) / (uaa - ua * ua + ubb - ub * ub + C2);
                    double l = (2 * ua * ub + C1) / (ua * ua + ub * ub + C1);
                    sLcs += l * cs; sCs += cs; count++;
                }
            mcs[k] = sCs / count; last = sLcs / count; k++;
        }
        return Combine(mcs, last, k);
    }
}
