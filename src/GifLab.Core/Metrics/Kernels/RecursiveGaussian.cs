using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
/// recursion down its column; the tail columns run the scalar recursion. The horizontal pass is a
/// true recursion along the row and stays scalar (libjxl's 4-lane unrolling changes only rounding).
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
        for (int y = 0; y < height; y++)
            Horizontal(src.Slice(y * width, width), temp.Slice(y * width, width));
        Vertical(temp, width, height, dst, ring, vectorised: true);
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
