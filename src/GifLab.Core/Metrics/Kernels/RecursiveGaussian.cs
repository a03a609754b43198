using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GifLab.Core.Metrics.Kernels;

/// <summary>
/// The recursive (IIR) Gaussian blur SSIMULACRA 2 uses: libjxl <c>lib/jxl/gauss_blur.cc</c>
/// (<c>CreateRecursiveGaussian</c>, <c>FastGaussian</c>), after Charalampidis 2016, "Recursive
/// Implementation of the Gaussian Filter Using Truncated Cosine Functions". Three second-order
/// recursions (k = 1, 3, 5) over <c>in[n−N−1] + in[n+N−1]</c>, zero outside the image; first
/// horizontal per row, then vertical per column.
/// </summary>
/// <remarks>
/// Vertical pass: <see cref="Vector256{T}"/> lanes = 8 adjacent columns, each lane an independent
/// recursion down its column; the tail columns run the scalar recursion. Horizontal pass: 8 rows at a
/// time are transposed (AVX 8×8 blocks) so that each lane runs one row's recursion with exactly the
/// scalar pass's operations (bit-identical to it), then transposed back; the last h mod 8 rows run the
/// scalar recursion. The scalar horizontal recursion is latency-bound (one FMA chain per pixel); the
/// 8-lane form made a 500×500 blur 0.82 → see bench `kernels` for the current figure.
/// <see cref="BlurScalar"/> is the scalar twin.
/// </remarks>
internal sealed class RecursiveGaussian
{
    public readonly int Radius;
    private readonly float[] _n2 = new float[3];
    private readonly float[] _d1 = new float[3];

    public RecursiveGaussian(double sigma)
    {
        const double kPi = 3.141592653589793238;
        double radius = MathF.Round((float)(3.2795 * sigma + 0.2546), MidpointRounding.AwayFromZero); // (57) "N"
        double piDiv2R = kPi / (2.0 * radius);
        double[] omega = [piDiv2R, 3.0 * piDiv2R, 5.0 * piDiv2R];
        double p1 = +1.0 / Math.Tan(0.5 * omega[0]);
        double p3 = -1.0 / Math.Tan(0.5 * omega[1]);
        double p5 = +1.0 / Math.Tan(0.5 * omega[2]);
        double r1 = +p1 * p1 / Math.Sin(omega[0]);
        double r3 = -p3 * p3 / Math.Sin(omega[1]);
        double r5 = +p5 * p5 / Math.Sin(omega[2]);
        double negHalfSigma2 = -0.5 * sigma * sigma;
        double recipRadius = 1.0 / radius;
        var rho = new double[3];
        for (int i = 0; i < 3; i++) rho[i] = Math.Exp(negHalfSigma2 * omega[i] * omega[i]) * recipRadius;
        double d13 = p1 * r3 - r1 * p3;
        double d35 = p3 * r5 - r3 * p5;
        double d51 = p5 * r1 - r5 * p1;
        double recipD13 = 1.0 / d13;
        double zeta15 = d35 * recipD13;
        double zeta35 = d51 * recipD13;
        double[] a = [p1, p3, p5, r1, r3, r5, zeta15, zeta35, 1];
        Invert3x3(a);
        double[] gamma = [1, radius * radius - sigma * sigma, zeta15 * rho[0] + zeta35 * rho[1] + rho[2]];
        var beta = new double[3];
        for (int i = 0; i < 3; i++) beta[i] = a[i * 3] * gamma[0] + a[i * 3 + 1] * gamma[1] + a[i * 3 + 2] * gamma[2];
        Radius = (int)radius;
        for (int i = 0; i < 3; i++)
        {
            _n2[i] = (float)(-beta[i] * Math.Cos(omega[i] * (radius + 1.0)));
            _d1[i] = (float)(-2.0 * Math.Cos(omega[i]));
        }
    }

    private static void Invert3x3(double[] m)
    {
        double a = m[0], b = m[1], c = m[2], d = m[3], e = m[4], f = m[5], g = m[6], h = m[7], i = m[8];
        double A = e * i - f * h, B = -(d * i - f * g), C = d * h - e * g;
        double det = a * A + b * B + c * C;
        double inv = 1.0 / det;
        m[0] = A * inv; m[1] = -(b * i - c * h) * inv; m[2] = (b * f - c * e) * inv;
        m[3] = B * inv; m[4] = (a * i - c * g) * inv; m[5] = -(a * f - c * d) * inv;
        m[6] = C * inv; m[7] = -(a * h - b * g) * inv; m[8] = (a * e - b * d) * inv;
    }

    /// <summary>Blurs a w×h plane. <paramref name="temp"/> and <paramref name="ring"/> are scratch
    /// (w·h and 9·w floats).</summary>
    public void Blur(ReadOnlySpan<float> src, int width, int height, Span<float> dst, Span<float> temp, Span<float> ring)
    {
        int y = 0;
        if (Vector256.IsHardwareAccelerated && height >= 8)
        {
            var scratch = ArrayPool<float>.Shared.Rent(16 * width);
            try
            {
                for (; y + 8 <= height; y += 8)
                    HorizontalRows8(src.Slice(y * width, 8 * width), width, temp.Slice(y * width, 8 * width),
                                    scratch.AsSpan(0, 8 * width), scratch.AsSpan(8 * width, 8 * width));
            }
            finally { ArrayPool<float>.Shared.Return(scratch); }
        }
        for (; y < height; y++)
            Horizontal(src.Slice(y * width, width), temp.Slice(y * width, width));
        if (Vector256.IsHardwareAccelerated) VerticalStrips(temp, width, height, dst);
        else Vertical(temp, width, height, dst, ring, vectorised: false);
    }

    /// <summary>The vertical recursion down strips of 8 columns with the state in registers (2 loads and a store
    /// per 8 pixels instead of the ring buffer's 8 loads and 4 stores); same operations as <see cref="StepScalar"/>.</summary>
    private void VerticalStrips(ReadOnlySpan<float> input, int w, int h, Span<float> output)
    {
        int N = Radius;
        var n21 = Vector256.Create(_n2[0]); var n23 = Vector256.Create(_n2[1]); var n25 = Vector256.Create(_n2[2]);
        var d11 = Vector256.Create(-_d1[0]); var d13 = Vector256.Create(-_d1[1]); var d15 = Vector256.Create(-_d1[2]);
        ref float src = ref MemoryMarshal.GetReference(input);
        ref float dst = ref MemoryMarshal.GetReference(output);
        int x = 0;
        for (; x + 8 <= w; x += 8)
        {
            Vector256<float> a1 = default, b1 = default, a3 = default, b3 = default, a5 = default, b5 = default; // n−1, n−2
            for (int n = -N + 1; n < h; n++)
            {
                int top = n - N - 1, bottom = n + N - 1;
                var sum = Vector256<float>.Zero;
                if (top >= 0) sum = Vector256.LoadUnsafe(ref src, (nuint)(top * w + x));
                if (bottom < h) sum += Vector256.LoadUnsafe(ref src, (nuint)(bottom * w + x));
                var y1 = Vector256.FusedMultiplyAdd(n21, sum, Vector256.FusedMultiplyAdd(d11, a1, -b1));
                var y3 = Vector256.FusedMultiplyAdd(n23, sum, Vector256.FusedMultiplyAdd(d13, a3, -b3));
                var y5 = Vector256.FusedMultiplyAdd(n25, sum, Vector256.FusedMultiplyAdd(d15, a5, -b5));
                b1 = a1; a1 = y1; b3 = a3; a3 = y3; b5 = a5; a5 = y5;
                if (n >= 0) (y1 + (y3 + y5)).StoreUnsafe(ref dst, (nuint)(n * w + x));
            }
        }
        for (; x < w; x++)
        {
            float a1 = 0, b1 = 0, a3 = 0, b3 = 0, a5 = 0, b5 = 0;
            for (int n = -N + 1; n < h; n++)
            {
                int top = n - N - 1, bottom = n + N - 1;
                float sum = (top >= 0 ? input[top * w + x] : 0f) + (bottom < h ? input[bottom * w + x] : 0f);
                float y1 = MathF.FusedMultiplyAdd(_n2[0], sum, MathF.FusedMultiplyAdd(-_d1[0], a1, -b1));
                float y3 = MathF.FusedMultiplyAdd(_n2[1], sum, MathF.FusedMultiplyAdd(-_d1[1], a3, -b3));
                float y5 = MathF.FusedMultiplyAdd(_n2[2], sum, MathF.FusedMultiplyAdd(-_d1[2], a5, -b5));
                b1 = a1; a1 = y1; b3 = a3; a3 = y3; b5 = a5; a5 = y5;
                if (n >= 0) output[n * w + x] = y1 + (y3 + y5);
            }
        }
    }

    /// <summary>The horizontal recursion of 8 rows at once: lane r of step n is row r's pixel n, computed with
    /// the same operations in the same order as <see cref="Horizontal"/>.</summary>
    private void HorizontalRows8(ReadOnlySpan<float> rows, int w, Span<float> output, Span<float> tIn, Span<float> tOut)
    {
        Transpose8Rows(rows, w, tIn);
        int N = Radius;
        var n21 = Vector256.Create(_n2[0]); var n23 = Vector256.Create(_n2[1]); var n25 = Vector256.Create(_n2[2]);
        var d11 = Vector256.Create(-_d1[0]); var d13 = Vector256.Create(-_d1[1]); var d15 = Vector256.Create(-_d1[2]);
        Vector256<float> prev1 = default, prev3 = default, prev5 = default, prev21 = default, prev23 = default, prev25 = default;
        ref float src = ref MemoryMarshal.GetReference(tIn);
        ref float dst = ref MemoryMarshal.GetReference(tOut);
        for (int n = -N + 1; n < w; n++)
        {
            int left = n - N - 1, right = n + N - 1;
            var sum = (left >= 0 ? Vector256.LoadUnsafe(ref src, (nuint)(left * 8)) : Vector256<float>.Zero)
                    + (right < w ? Vector256.LoadUnsafe(ref src, (nuint)(right * 8)) : Vector256<float>.Zero);
            var o1 = sum * n21 - prev21;
            var o3 = sum * n23 - prev23;
            var o5 = sum * n25 - prev25;
            prev21 = prev1; prev23 = prev3; prev25 = prev5;
            o1 = Vector256.FusedMultiplyAdd(d11, prev1, o1);
            o3 = Vector256.FusedMultiplyAdd(d13, prev3, o3);
            o5 = Vector256.FusedMultiplyAdd(d15, prev5, o5);
            prev1 = o1; prev3 = o3; prev5 = o5;
            if (n >= 0) (o1 + (o3 + o5)).StoreUnsafe(ref dst, (nuint)(n * 8));
        }
        TransposeBack8Rows(tOut, w, output);
    }

    /// <summary>rows (8 rows of w) → t[x·8 + r].</summary>
    private static void Transpose8Rows(ReadOnlySpan<float> rows, int w, Span<float> t)
    {
        ref float s = ref MemoryMarshal.GetReference(rows);
        ref float d = ref MemoryMarshal.GetReference(t);
        int x = 0;
        if (Avx.IsSupported)
            for (; x + 8 <= w; x += 8)
                Transpose8x8(ref Unsafe.Add(ref s, x), w, ref Unsafe.Add(ref d, x * 8), 8);
        for (; x < w; x++)
            for (int r = 0; r < 8; r++) Unsafe.Add(ref d, x * 8 + r) = Unsafe.Add(ref s, r * w + x);
    }

    /// <summary>t[x·8 + r] → rows (8 rows of w).</summary>
    private static void TransposeBack8Rows(ReadOnlySpan<float> t, int w, Span<float> rows)
    {
        ref float s = ref MemoryMarshal.GetReference(t);
        ref float d = ref MemoryMarshal.GetReference(rows);
        int x = 0;
        if (Avx.IsSupported)
            for (; x + 8 <= w; x += 8)
                Transpose8x8(ref Unsafe.Add(ref s, x * 8), 8, ref Unsafe.Add(ref d, x), w);
        for (; x < w; x++)
            for (int r = 0; r < 8; r++) Unsafe.Add(ref d, r * w + x) = Unsafe.Add(ref s, x * 8 + r);
    }

    /// <summary>Transposes the 8×8 block at <paramref name="src"/> (row stride <paramref name="srcStride"/>) into
    /// <paramref name="dst"/> (row stride <paramref name="dstStride"/>).</summary>
    private static void Transpose8x8(ref float src, int srcStride, ref float dst, int dstStride)
    {
        var r0 = Vector256.LoadUnsafe(ref src, 0);
        var r1 = Vector256.LoadUnsafe(ref src, (nuint)srcStride);
        var r2 = Vector256.LoadUnsafe(ref src, (nuint)(2 * srcStride));
        var r3 = Vector256.LoadUnsafe(ref src, (nuint)(3 * srcStride));
        var r4 = Vector256.LoadUnsafe(ref src, (nuint)(4 * srcStride));
        var r5 = Vector256.LoadUnsafe(ref src, (nuint)(5 * srcStride));
        var r6 = Vector256.LoadUnsafe(ref src, (nuint)(6 * srcStride));
        var r7 = Vector256.LoadUnsafe(ref src, (nuint)(7 * srcStride));
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0x44); var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44); var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44); var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44); var u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Permute2x128(u0, u4, 0x20).StoreUnsafe(ref dst, 0);
        Avx.Permute2x128(u1, u5, 0x20).StoreUnsafe(ref dst, (nuint)dstStride);
        Avx.Permute2x128(u2, u6, 0x20).StoreUnsafe(ref dst, (nuint)(2 * dstStride));
        Avx.Permute2x128(u3, u7, 0x20).StoreUnsafe(ref dst, (nuint)(3 * dstStride));
        Avx.Permute2x128(u0, u4, 0x31).StoreUnsafe(ref dst, (nuint)(4 * dstStride));
        Avx.Permute2x128(u1, u5, 0x31).StoreUnsafe(ref dst, (nuint)(5 * dstStride));
        Avx.Permute2x128(u2, u6, 0x31).StoreUnsafe(ref dst, (nuint)(6 * dstStride));
        Avx.Permute2x128(u3, u7, 0x31).StoreUnsafe(ref dst, (nuint)(7 * dstStride));
    }

    /// <summary>Scalar twin of <see cref="Blur"/>.</summary>
    public void BlurScalar(ReadOnlySpan<float> src, int width, int height, Span<float> dst)
    {
        var temp = new float[width * height];
        var ring = new float[9 * width];
        for (int y = 0; y < height; y++)
            Horizontal(src.Slice(y * width, width), temp.AsSpan(y * width, width));
        Vertical(temp, width, height, dst, ring, vectorised: false);
    }

    private void Horizontal(ReadOnlySpan<float> input, Span<float> output)
    {
        int w = input.Length, N = Radius;
        float n21 = _n2[0], n23 = _n2[1], n25 = _n2[2];
        float d11 = _d1[0], d13 = _d1[1], d15 = _d1[2];
        float prev1 = 0, prev3 = 0, prev5 = 0, prev21 = 0, prev23 = 0, prev25 = 0;
        for (int n = -N + 1; n < w; n++)
        {
            int left = n - N - 1, right = n + N - 1;
            float sum = (left >= 0 ? input[left] : 0f) + (right < w ? input[right] : 0f);
            float o1 = sum * n21, o3 = sum * n23, o5 = sum * n25;
            o1 -= prev21; o3 -= prev23; o5 -= prev25;
            prev21 = prev1; prev23 = prev3; prev25 = prev5;
            o1 = MathF.FusedMultiplyAdd(-d11, prev1, o1);
            o3 = MathF.FusedMultiplyAdd(-d13, prev3, o3);
            o5 = MathF.FusedMultiplyAdd(-d15, prev5, o5);
            prev1 = o1; prev3 = o3; prev5 = o5;
            if (n >= 0) output[n] = o1 + (o3 + o5);
        }
    }

    private Vector256<float> Step(ref float r, int k, int s0, int s1, int s2, int w, int x, Vector256<float> sum)
    {
        var yn1 = Vector256.LoadUnsafe(ref r, (nuint)((k * 3 + s1) * w + x));
        var yn2 = Vector256.LoadUnsafe(ref r, (nuint)((k * 3 + s2) * w + x));
        var y = Vector256.FusedMultiplyAdd(Vector256.Create(_n2[k]), sum,
                    Vector256.FusedMultiplyAdd(Vector256.Create(-_d1[k]), yn1, -yn2));
        y.StoreUnsafe(ref r, (nuint)((k * 3 + s0) * w + x));
        return y;
    }

    private float StepScalar(Span<float> ring, int k, int s0, int s1, int s2, int w, int x, float sum)
    {
        float yn1 = ring[(k * 3 + s1) * w + x], yn2 = ring[(k * 3 + s2) * w + x];
        float y = MathF.FusedMultiplyAdd(_n2[k], sum, MathF.FusedMultiplyAdd(-_d1[k], yn1, -yn2));
        ring[(k * 3 + s0) * w + x] = y;
        return y;
    }

    private void Vertical(ReadOnlySpan<float> input, int w, int h, Span<float> output, Span<float> ring, bool vectorised)
    {
        int N = Radius;
        // ring layout: [k (0..2)][slot (0..2)][x]; slot = row index mod 3
        ring.Slice(0, 9 * w).Clear();
        int slot = 0;
        for (int n = -N + 1; n < h; n++)
        {
            int top = n - N - 1, bottom = n + N - 1;
            ReadOnlySpan<float> rowTop = top >= 0 ? input.Slice(top * w, w) : default;
            ReadOnlySpan<float> rowBottom = bottom < h ? input.Slice(bottom * w, w) : default;
            int s0 = slot, s1 = (slot + 2) % 3, s2 = (slot + 1) % 3; // current, n−1, n−2
            Span<float> outRow = n >= 0 ? output.Slice(n * w, w) : default;
            int x = 0;
            if (vectorised && Vector256.IsHardwareAccelerated)
            {
                ref float r = ref MemoryMarshal.GetReference(ring);
                for (; x + 8 <= w; x += 8)
                {
                    Vector256<float> sum = Vector256<float>.Zero;
                    if (!rowTop.IsEmpty) sum = Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(rowTop), (nuint)x);
                    if (!rowBottom.IsEmpty) sum += Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(rowBottom), (nuint)x);
                    var y1 = Step(ref r, 0, s0, s1, s2, w, x, sum);
                    var y3 = Step(ref r, 1, s0, s1, s2, w, x, sum);
                    var y5 = Step(ref r, 2, s0, s1, s2, w, x, sum);
                    if (n >= 0) (y1 + (y3 + y5)).StoreUnsafe(ref MemoryMarshal.GetReference(outRow), (nuint)x);
                }
            }
            for (; x < w; x++)
            {
                float sum = (rowTop.IsEmpty ? 0f : rowTop[x]) + (rowBottom.IsEmpty ? 0f : rowBottom[x]);
                float y1 = StepScalar(ring, 0, s0, s1, s2, w, x, sum);
                float y3 = StepScalar(ring, 1, s0, s1, s2, w, x, sum);
                float y5 = StepScalar(ring, 2, s0, s1, s2, w, x, sum);
                if (n >= 0) outRow[x] = y1 + (y3 + y5);
            }
            slot = (slot + 1) % 3;
        }
    }
}
