using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GifLab.Core.Metrics.Kernels;

/// <summary>
/// SSIMULACRA 2.1 (Jon Sneyers, Cloudinary; <c>cloudinary/ssimulacra2</c> <c>src/ssimulacra2.cc</c>,
/// version "updated in April 2023"), ported to C#.
/// <para>Design (from the reference's header): sRGB → linear RGB → XYB rescaled to about 0..1
/// with B−Y; at 6 scales (1:1 … 1:32, downsampled 2×2 in linear RGB) and for X, Y, B: an SSIM map
/// without the luminance denominator ("SSIM'"), a ringing map (distorted has edges where the
/// original is smooth) and a blurring map (the opposite); each map pooled by its 1-norm and
/// 4-norm → 108 numbers, weighted (weights tuned by Nelder–Mead on CID22, TID2013, Kadid10k and
/// KonFiG-IQA by the reference author), then mapped to a 100 (identical) … −∞ score.</para>
/// <para>Blur: libjxl's recursive Gaussian, σ = 1.5 (<see cref="RecursiveGaussian"/>).</para>
/// <para>Deviations: sRGB decoding uses the exact IEC 61966-2-1 curve (the reference goes through
/// lcms2), and the cube root is a 2-step Halley iteration; both change scores by far less than the
/// golden tolerance tiers (0.3 / 0.75 / 2.0), which exist because the reference itself moves by
/// that much between its own SIMD targets.</para>
/// </summary>
internal static class Ssimulacra2Core
{
    private const float C2 = 0.0009f;
    private const int NumScales = 6;
    private static readonly RecursiveGaussian Gauss = new(1.5);

    /// <summary>The original's per-scale planes: XYB, blurred XYB (μ1) and blurred XYB² (σ1² + μ1²).</summary>
    internal sealed class Prepared
    {
        public required int Width { get; init; }
        public required int Height { get; init; }
        public required List<Level> Levels { get; init; }
        public long ByteCount
        {
            get { long b = 0; foreach (var l in Levels) b += 9L * l.Width * l.Height * sizeof(float); return b; }
        }
    }

    internal sealed class Level
    {
        public required int Width { get; init; }
        public required int Height { get; init; }
        public required float[][] Xyb { get; init; }
        public required float[][] Mu { get; init; }
        public required float[][] Sigma { get; init; }
    }

    public static bool CanScore(int width, int height) => width >= 8 && height >= 8;

    /// <summary>The score of identical images: every error map is exactly 0, so <see cref="Combine"/> returns 100.</summary>
    public const double IdenticalScore = 100.0;

    /// <summary>The XYB + blur pyramid of an original RGB24 frame. <c>reuse</c>: a pyramid of the same canvas size no
    /// longer needed, or null; its planes are overwritten (every value is written before it is read), so the result is
    /// the same as a fresh one's.</summary>
    public static Prepared Prepare(ReadOnlySpan<byte> rgb, int width, int height, Prepared? reuse = null)
    {
        if (reuse is not null && (reuse.Width != width || reuse.Height != height)) reuse = null;
        var levels = new List<Level>();
        var pool = ArrayPool<float>.Shared;
        using var scales = new LinearScales(rgb, width, height);
        var temp = pool.Rent(width * height);
        var ring = pool.Rent(9 * width);
        var mul = pool.Rent(width * height);
        try
        {
            for (int scale = 0; scale < NumScales; scale++)
            {
                if (scales.Width < 8 || scales.Height < 8) break;
                if (scale > 0) scales.Downsample();
                int w = scales.Width, h = scales.Height, px = w * h;
                var linear = scales.Planes;
                var old = reuse is not null && scale < reuse.Levels.Count ? reuse.Levels[scale] : null;
                var xyb = old?.Xyb ?? [new float[px], new float[px], new float[px]];
                ColorSpaces.LinearToPositiveXyb(linear[0].AsSpan(0, px), linear[1].AsSpan(0, px), linear[2].AsSpan(0, px), xyb[0], xyb[1], xyb[2]);
                var mu = old?.Mu ?? new float[3][];
                var sigma = old?.Sigma ?? new float[3][];
                for (int c = 0; c < 3; c++)
                {
                    mu[c] ??= new float[px];
                    sigma[c] ??= new float[px];
                    Gauss.Blur(xyb[c], w, h, mu[c], temp, ring);
                    Multiply(xyb[c], xyb[c], mul.AsSpan(0, px));
                    Gauss.Blur(mul.AsSpan(0, px), w, h, sigma[c], temp, ring);
                }
                levels.Add(new Level { Width = w, Height = h, Xyb = xyb, Mu = mu, Sigma = sigma });
            }
        }
        finally { pool.Return(temp); pool.Return(ring); pool.Return(mul); }
        return new Prepared { Width = width, Height = height, Levels = levels };
    }

    /// <summary>Score of a distorted RGB24 frame against a prepared original of the same size.</summary>
    public static double Score(Prepared original, ReadOnlySpan<byte> rgb)
    {
        int width = original.Width, height = original.Height, px0 = width * height;
        var pool = ArrayPool<float>.Shared;
        using var scales = new LinearScales(rgb, width, height);
        var xyb = new[] { pool.Rent(px0), pool.Rent(px0), pool.Rent(px0) };
        var mul = pool.Rent(px0);
        var s22 = pool.Rent(px0);
        var s12 = pool.Rent(px0);
        var mu2 = pool.Rent(px0);
        var temp = pool.Rent(px0);
        var ring = pool.Rent(9 * width);
        var avgSsim = new double[original.Levels.Count][];
        var avgEdge = new double[original.Levels.Count][];
        try
        {
            for (int scale = 0; scale < original.Levels.Count; scale++)
            {
                var level = original.Levels[scale];
                if (scale > 0) scales.Downsample();
                int w = scales.Width, h = scales.Height, px = w * h;
                var linear = scales.Planes;
                ColorSpaces.LinearToPositiveXyb(linear[0].AsSpan(0, px), linear[1].AsSpan(0, px), linear[2].AsSpan(0, px),
                                                xyb[0].AsSpan(0, px), xyb[1].AsSpan(0, px), xyb[2].AsSpan(0, px));
                var ssim = new double[6];
                var edge = new double[12];
                double onePerPixels = 1.0 / px;
                for (int c = 0; c < 3; c++)
                {
                    var img2 = xyb[c].AsSpan(0, px);
                    var img1 = level.Xyb[c].AsSpan();
                    Multiply(img2, img2, mul.AsSpan(0, px));
                    Gauss.Blur(mul.AsSpan(0, px), w, h, s22.AsSpan(0, px), temp, ring);
                    Multiply(img1, img2, mul.AsSpan(0, px));
                    Gauss.Blur(mul.AsSpan(0, px), w, h, s12.AsSpan(0, px), temp, ring);
                    Gauss.Blur(img2, w, h, mu2.AsSpan(0, px), temp, ring);
                    SsimMap(level.Mu[c], mu2.AsSpan(0, px), level.Sigma[c], s22.AsSpan(0, px), s12.AsSpan(0, px),
                            onePerPixels, out ssim[c * 2], out ssim[c * 2 + 1]);
                    EdgeDiffMap(img1, level.Mu[c], img2, mu2.AsSpan(0, px), onePerPixels, edge.AsSpan(c * 4, 4));
                }
                avgSsim[scale] = ssim;
                avgEdge[scale] = edge;
            }
        }
        finally
        {
            foreach (var a in xyb) pool.Return(a);
            pool.Return(mul); pool.Return(s22); pool.Return(s12); pool.Return(mu2); pool.Return(temp); pool.Return(ring);
        }
        return Combine(avgSsim, avgEdge);
    }

    /// <summary>One frame's linear-RGB planes at successive scales (1:1, 1:2, …), ping-ponging between two pooled
    /// sets: each <see cref="Downsample"/> reads the current planes and writes the other set.</summary>
    private sealed class LinearScales : IDisposable
    {
        private float[][] _current, _next;

        public LinearScales(ReadOnlySpan<byte> rgb, int width, int height)
        {
            var pool = ArrayPool<float>.Shared;
            int px = width * height, half = (width + 1) / 2 * ((height + 1) / 2);
            _current = [pool.Rent(px), pool.Rent(px), pool.Rent(px)];
            _next = [pool.Rent(half), pool.Rent(half), pool.Rent(half)];
            Width = width; Height = height;
            ToLinear(rgb, px, _current);
        }

        public int Width { get; private set; }
        public int Height { get; private set; }
        public float[][] Planes => _current;

        public void Downsample()
        {
            DownsampleInto(_current, Width, Height, _next, out var w, out var h);
            (Width, Height) = (w, h);
            (_current, _next) = (_next, _current);
        }

        public void Dispose()
        {
            foreach (var a in _current) ArrayPool<float>.Shared.Return(a);
            foreach (var a in _next) ArrayPool<float>.Shared.Return(a);
        }
    }

    private static void ToLinear(ReadOnlySpan<byte> rgb, int px, float[][] planes)
    {
        var lut = ColorSpaces.SrgbToLinear;
        var r = planes[0].AsSpan(0, px); var g = planes[1].AsSpan(0, px); var b = planes[2].AsSpan(0, px);
        rgb = rgb[..(3 * px)];
        for (int i = 0, j = 0; i < r.Length; i++, j += 3)
        {
            r[i] = lut[rgb[j]]; g[i] = lut[rgb[j + 1]]; b[i] = lut[rgb[j + 2]];
        }
    }

    /// <summary>2×2 box downsample into caller-owned planes of at least ⌈w/2⌉·⌈h/2⌉ floats; output size rounds up, the
    /// last row/column is clamped (reference <c>Downsample</c>).</summary>
    internal static void DownsampleInto(float[][] input, int w, int h, float[][] result, out int ow, out int oh)
    {
        ow = (w + 1) / 2; oh = (h + 1) / 2;
        for (int c = 0; c < 3; c++)
        {
            var src = input[c];
            var dst = result[c];
            for (int oy = 0; oy < oh; oy++)
            {
                int y0 = 2 * oy, y1 = Math.Min(2 * oy + 1, h - 1);
                for (int ox = 0; ox < ow; ox++)
                {
                    int x0 = 2 * ox, x1 = Math.Min(2 * ox + 1, w - 1);
                    float sum = 0f;
                    sum += src[y0 * w + x0];
                    sum += src[y0 * w + x1];
                    sum += src[y1 * w + x0];
                    sum += src[y1 * w + x1];
                    dst[oy * ow + ox] = sum * 0.25f;
                }
            }
        }
    }

    private static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst) =>
        System.Numerics.Tensors.TensorPrimitives.Multiply(a, b, dst);

    private static double ToThe4th(double x) { x *= x; return x * x; }

    /// <summary>SSIM' error map pooled by its 1-norm and 4-norm. The per-pixel quotient is computed in float exactly
    /// as in <see cref="SsimMapScalar"/>; the sums run in 4 double lanes (only their summation order differs).</summary>
    internal static void SsimMap(ReadOnlySpan<float> m1, ReadOnlySpan<float> m2, ReadOnlySpan<float> s11,
                                 ReadOnlySpan<float> s22, ReadOnlySpan<float> s12, double onePerPixels,
                                 out double norm1, out double norm4)
    {
        int n = m1.Length, i = 0;
        double sum1 = 0, sum4 = 0;
        if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            ref float r1 = ref MemoryMarshal.GetReference(m1); ref float r2 = ref MemoryMarshal.GetReference(m2);
            ref float r11 = ref MemoryMarshal.GetReference(s11); ref float r22 = ref MemoryMarshal.GetReference(s22);
            ref float r12 = ref MemoryMarshal.GetReference(s12);
            var one = Vector256.Create(1.0f); var two = Vector256.Create(2.0f); var c2 = Vector256.Create(C2);
            var oneD = Vector256.Create(1.0);
            Vector256<double> acc1 = default, acc4 = default;
            for (; i + 8 <= n; i += 8)
            {
                var mu1 = Vector256.LoadUnsafe(ref r1, (nuint)i); var mu2 = Vector256.LoadUnsafe(ref r2, (nuint)i);
                var diff = mu1 - mu2;
                var numM = one - diff * diff;
                var numS = two * (Vector256.LoadUnsafe(ref r12, (nuint)i) - mu1 * mu2) + c2;
                var denomS = (Vector256.LoadUnsafe(ref r11, (nuint)i) - mu1 * mu1) + (Vector256.LoadUnsafe(ref r22, (nuint)i) - mu2 * mu2) + c2;
                var q = numM * numS / denomS;
                var (lo, hi) = Vector256.Widen(q);
                var dl = Vector256.Max(oneD - lo, Vector256<double>.Zero);
                var dh = Vector256.Max(oneD - hi, Vector256<double>.Zero);
                acc1 += dl + dh;
                var dl2 = dl * dl; var dh2 = dh * dh;
                acc4 += dl2 * dl2 + dh2 * dh2;
            }
            sum1 = Vector256.Sum(acc1); sum4 = Vector256.Sum(acc4);
        }
        for (; i < n; i++)
        {
            float mu1 = m1[i], mu2 = m2[i];
            float numM = 1.0f - (mu1 - mu2) * (mu1 - mu2);
            float numS = 2 * (s12[i] - mu1 * mu2) + C2;
            float denomS = (s11[i] - mu1 * mu1) + (s22[i] - mu2 * mu2) + C2;
            double d = Math.Max(1.0 - (numM * numS / denomS), 0.0);
            sum1 += d;
            sum4 += ToThe4th(d);
        }
        norm1 = onePerPixels * sum1;
        norm4 = Math.Sqrt(Math.Sqrt(onePerPixels * sum4));
    }

    /// <summary>Ringing (artifact) and blurring (lost detail) maps pooled by 1- and 4-norms; per-pixel values as in
    /// <see cref="EdgeDiffMapScalar"/> (float absolute differences, double quotient), sums in 4 double lanes.</summary>
    internal static void EdgeDiffMap(ReadOnlySpan<float> img1, ReadOnlySpan<float> mu1, ReadOnlySpan<float> img2,
                                     ReadOnlySpan<float> mu2, double onePerPixels, Span<double> out4)
    {
        int n = img1.Length, i = 0;
        double a1 = 0, a4 = 0, l1 = 0, l4 = 0;
        if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            ref float p1 = ref MemoryMarshal.GetReference(img1); ref float q1 = ref MemoryMarshal.GetReference(mu1);
            ref float p2 = ref MemoryMarshal.GetReference(img2); ref float q2 = ref MemoryMarshal.GetReference(mu2);
            var oneD = Vector256.Create(1.0);
            Vector256<double> va1 = default, va4 = default, vl1 = default, vl4 = default;
            for (; i + 8 <= n; i += 8)
            {
                var e2 = Vector256.Abs(Vector256.LoadUnsafe(ref p2, (nuint)i) - Vector256.LoadUnsafe(ref q2, (nuint)i));
                var e1 = Vector256.Abs(Vector256.LoadUnsafe(ref p1, (nuint)i) - Vector256.LoadUnsafe(ref q1, (nuint)i));
                var (e2l, e2h) = Vector256.Widen(e2);
                var (e1l, e1h) = Vector256.Widen(e1);
                Accumulate((oneD + e2l) / (oneD + e1l) - oneD, ref va1, ref va4, ref vl1, ref vl4);
                Accumulate((oneD + e2h) / (oneD + e1h) - oneD, ref va1, ref va4, ref vl1, ref vl4);
            }
            a1 = Vector256.Sum(va1); a4 = Vector256.Sum(va4); l1 = Vector256.Sum(vl1); l4 = Vector256.Sum(vl4);
        }
        for (; i < n; i++)
        {
            double d1 = (1.0 + MathF.Abs(img2[i] - mu2[i])) / (1.0 + MathF.Abs(img1[i] - mu1[i])) - 1.0;
            double artifact = Math.Max(d1, 0.0);
            a1 += artifact; a4 += ToThe4th(artifact);
            double lost = Math.Max(-d1, 0.0);
            l1 += lost; l4 += ToThe4th(lost);
        }
        out4[0] = onePerPixels * a1;
        out4[1] = Math.Sqrt(Math.Sqrt(onePerPixels * a4));
        out4[2] = onePerPixels * l1;
        out4[3] = Math.Sqrt(Math.Sqrt(onePerPixels * l4));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(Vector256<double> d1, ref Vector256<double> a1, ref Vector256<double> a4,
                                   ref Vector256<double> l1, ref Vector256<double> l4)
    {
        var artifact = Vector256.Max(d1, Vector256<double>.Zero);
        var lost = Vector256.Max(-d1, Vector256<double>.Zero);
        a1 += artifact; l1 += lost;
        var a2 = artifact * artifact; var l2 = lost * lost;
        a4 += a2 * a2; l4 += l2 * l2;
    }

    internal static void SsimMapScalar(ReadOnlySpan<float> m1, ReadOnlySpan<float> m2, ReadOnlySpan<float> s11,
                                ReadOnlySpan<float> s22, ReadOnlySpan<float> s12, double onePerPixels,
                                out double norm1, out double norm4)
    {
        double sum1 = 0, sum4 = 0;
        for (int i = 0; i < m1.Length; i++)
        {
            float mu1 = m1[i], mu2 = m2[i];
            float mu11 = mu1 * mu1, mu22 = mu2 * mu2, mu12 = mu1 * mu2;
            // SSIM' without the luminance denominator (reference comment: no double gamma correction).
            float numM = 1.0f - (mu1 - mu2) * (mu1 - mu2);
            float numS = 2 * (s12[i] - mu12) + C2;
            float denomS = (s11[i] - mu11) + (s22[i] - mu22) + C2;
            double d = 1.0 - (numM * numS / denomS);
            d = Math.Max(d, 0.0);
            sum1 += d;
            sum4 += ToThe4th(d);
        }
        norm1 = onePerPixels * sum1;
        norm4 = Math.Sqrt(Math.Sqrt(onePerPixels * sum4));
    }

    internal static void EdgeDiffMapScalar(ReadOnlySpan<float> img1, ReadOnlySpan<float> mu1, ReadOnlySpan<float> img2,
                                    ReadOnlySpan<float> mu2, double onePerPixels, Span<double> out4)
    {
        double a1 = 0, a4 = 0, l1 = 0, l4 = 0;
        for (int i = 0; i < img1.Length; i++)
        {
            double d1 = (1.0 + MathF.Abs(img2[i] - mu2[i])) / (1.0 + MathF.Abs(img1[i] - mu1[i])) - 1.0;
            double artifact = Math.Max(d1, 0.0);   // distorted has an edge where the original is smooth
            a1 += artifact; a4 += ToThe4th(artifact);
            double lost = Math.Max(-d1, 0.0);      // original has an edge where the distorted is smooth
            l1 += lost; l4 += ToThe4th(lost);
        }
        out4[0] = onePerPixels * a1;
        out4[1] = Math.Sqrt(Math.Sqrt(onePerPixels * a4));
        out4[2] = onePerPixels * l1;
        out4[3] = Math.Sqrt(Math.Sqrt(onePerPixels * l4));
    }

    // The 108 weights of SSIMULACRA 2.1 (reference Msssim::Score), order: channel, scale, norm, map.
    private static readonly double[] Weight =
    [
        0.0, 0.0007376606707406586, 0.0, 0.0, 0.0007793481682867309, 0.0,
        0.0, 0.0004371155730107379, 0.0, 1.1041726426657346, 0.00066284834129271, 0.00015231632783718752,
        0.0, 0.0016406437456599754, 0.0, 1.8422455520539298, 11.441172603757666, 0.0,
        0.0007989109436015163, 0.000176816438078653, 0.0, 1.8787594979546387, 10.94906990605142, 0.0,
        0.0007289346991508072, 0.9677937080626833, 0.0, 0.00014003424285435884, 0.9981766977854967, 0.00031949755934435053,
        0.0004550992113792063, 0.0, 0.0, 0.0013648766163243398, 0.0, 0.0,
        0.0, 0.0, 0.0, 7.466890328078848, 0.0, 17.445833984131262,
        0.0006235601634041466, 0.0, 0.0, 6.683678146179332, 0.00037724407979611296, 1.027889937768264,
        225.20515300849274, 0.0, 0.0, 19.213238186143016, 0.0011401524586618361, 0.001237755635509985,
        176.39317598450694, 0.0, 0.0, 24.43300999870476, 0.28520802612117757, 0.0004485436923833408,
        0.0, 0.0, 0.0, 34.77906344483772, 44.835625328877896, 0.0,
        0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
        0.0, 0.0008680556573291698, 0.0, 0.0, 0.0,
        0.0, 0.0, 0.0005313191874358747, 0.0, 0.00016533814161379112, 0.0,
        0.0, 0.0, 0.0, 0.0, 0.0004179171803251336, 0.0017290828234722833,
        0.0, 0.0020827005846636437, 0.0, 0.0, 8.826982764996862, 23.19243343998926,
        0.0, 95.1080498811086, 0.9863978034400682, 0.9834382792465353, 0.0012286405048278493, 171.2667255897307,
        0.9807858872435379, 0.0, 0.0, 0.0, 0.0005130064588990679, 0.0,
        0.00010854057858411537,
    ];

    private static double Combine(double[][] avgSsim, double[][] avgEdge)
    {
        double ssim = 0.0;
        int i = 0;
        for (int c = 0; c < 3; c++)
            for (int scale = 0; scale < avgSsim.Length; scale++)
                for (int n = 0; n < 2; n++)
                {
                    ssim += Weight[i++] * Math.Abs(avgSsim[scale][c * 2 + n]);
                    ssim += Weight[i++] * Math.Abs(avgEdge[scale][c * 4 + n]);
                    ssim += Weight[i++] * Math.Abs(avgEdge[scale][c * 4 + n + 2]);
                }
        ssim *= 0.9562382616834844;
        ssim = 2.326765642916932 * ssim - 0.020884521182843837 * ssim * ssim + 6.248496625763138e-05 * ssim * ssim * ssim;
        return ssim > 0 ? 100.0 - 10.0 * Math.Pow(ssim, 0.6276336467831387) : 100.0;
    }
}
