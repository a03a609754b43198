using GifLab.Core.Metrics.Kernels;

namespace GifLab.Core.Tests.Metrics;

/// <summary>Every SIMD kernel equals its scalar twin on random sizes, including 1×1 and odd widths.</summary>
[Trait("Category", SimdWidth.Category)]
public sealed class KernelEquivalenceTests
{
    public static IEnumerable<object[]> Sizes =>
        [[1, 1], [2, 3], [7, 7], [9, 8], [13, 11], [17, 9], [31, 20], [64, 33], [101, 47]];

    private static float[] RandomPlane(int n, int seed, float scale = 255f)
    {
        var rng = new Random(seed);
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)rng.NextDouble() * scale;
        return a;
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void SsimMoments_Vectorised_EqualsScalar(int w, int h)
    {
        var a = RandomPlane(w * h, w * 31 + h, 127f);
        var b = RandomPlane(w * h, w * 17 + h, 127f);
        foreach (var (taps, sample) in new[] { (StructuralSimilarity.BoxTaps, true), (StructuralSimilarity.GaussTaps, false) })
        {
            if (w < taps.Length || h < taps.Length) continue;
            var fast = StructuralSimilarity.MeanMaps(a, b, w, h, taps, sample, vectorised: true);
            var slow = StructuralSimilarity.MeanMaps(a, b, w, h, taps, sample, vectorised: false);
            Assert.Equal(slow.LumCs, fast.LumCs, 1e-5);
            Assert.Equal(slow.Cs, fast.Cs, 1e-5);
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    [InlineData(160, 90)]
    [InlineData(33, 64)]
    public void Downsample2x2_Vectorised_EqualsScalar_BitForBit(int w, int h)
    {
        var fast = RandomPlane(w * h, w * 7 + h, 127f);
        var slow = (float[])fast.Clone();
        StructuralSimilarity.Downsample2x2(fast, w, h, vectorised: true);
        StructuralSimilarity.Downsample2x2(slow, w, h, vectorised: false);
        Assert.Equal(slow.AsSpan(0, w / 2 * (h / 2)).ToArray(), fast.AsSpan(0, w / 2 * (h / 2)).ToArray()); // exact
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void RecursiveGaussian_Vectorised_EqualsScalar(int w, int h)
    {
        var g = new RecursiveGaussian(1.5);
        var src = RandomPlane(w * h, w + 7 * h, 1f);
        var fast = new float[w * h]; var slow = new float[w * h];
        g.Blur(src, w, h, fast, new float[w * h], new float[9 * w]);
        g.BlurScalar(src, w, h, slow);
        // Same float operations in the same order per pixel (8-row transposed horizontal pass, register-strip
        // vertical pass): bit-identical, not merely close.
        Assert.Equal(slow, fast);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    [InlineData(500, 17)]
    public void Ssimulacra2Pooling_Vectorised_EqualsScalar(int w, int h)
    {
        int n = w * h;
        // Plausible SSIMULACRA 2 planes: means in [0, 1), second moments ≥ mean².
        var m1 = RandomPlane(n, 11 + n, 1f); var m2 = RandomPlane(n, 12 + n, 1f);
        var s11 = new float[n]; var s22 = new float[n]; var s12 = new float[n];
        var v = RandomPlane(3 * n, 13 + n, 0.05f);
        for (int i = 0; i < n; i++)
        {
            s11[i] = m1[i] * m1[i] + v[i]; s22[i] = m2[i] * m2[i] + v[n + i]; s12[i] = m1[i] * m2[i] + v[2 * n + i] - 0.025f;
        }
        Ssimulacra2Core.SsimMap(m1, m2, s11, s22, s12, 1.0 / n, out var f1, out var f4);
        Ssimulacra2Core.SsimMapScalar(m1, m2, s11, s22, s12, 1.0 / n, out var g1, out var g4);
        // Per-pixel values are identical; only the order of the double sums differs.
        Assert.Equal(g1, f1, 1e-12);
        Assert.Equal(g4, f4, 1e-12);
        var img1 = RandomPlane(n, 14 + n, 1f); var img2 = RandomPlane(n, 15 + n, 1f);
        var fast = new double[4]; var slow = new double[4];
        Ssimulacra2Core.EdgeDiffMap(img1, m1, img2, m2, 1.0 / n, fast);
        Ssimulacra2Core.EdgeDiffMapScalar(img1, m1, img2, m2, 1.0 / n, slow);
        for (int k = 0; k < 4; k++) Assert.Equal(slow[k], fast[k], 1e-12);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Sobel_Vectorised_EqualsScalar(int w, int h)
    {
        var src = RandomPlane(w * h, 3 * w + h);
        var fx = new float[w * h]; var fy = new float[w * h]; var sx = new float[w * h]; var sy = new float[w * h];
        Gradients.Sobel(src, w, h, fx, fy);
        Gradients.SobelScalar(src, w, h, sx, sy);
        Assert.Equal(sx, fx);
        Assert.Equal(sy, fy);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Canny_Vectorised_EqualsScalar(int w, int h)
    {
        // Random noise (edges everywhere) and a smooth ramp with a few steps (long connected edges).
        var noise = RandomPlane(w * h, 5 * w + h);
        var steps = new float[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) steps[y * w + x] = (x * 7 + y * 3) % 40 < 20 ? 30f + x : 200f - y;
        foreach (var src in new[] { noise, steps })
            Assert.Equal(Gradients.Canny(src, w, h, 50, 150, vectorised: false), Gradients.Canny(src, w, h, 50, 150, vectorised: true));
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void LbpHistogram_Vectorised_EqualsScalar(int w, int h)
    {
        // Quantised values so that ties (≥ with equal neighbours) occur often.
        var src = RandomPlane(w * h, 11 * w + h);
        for (int i = 0; i < src.Length; i++) src[i] = MathF.Floor(src[i] / 32f);
        Assert.Equal(Gradients.LbpHistogram(src, w, h, vectorised: false), Gradients.LbpHistogram(src, w, h, vectorised: true));
    }

    [Theory]
    [InlineData(0)] [InlineData(1)] [InlineData(31)] [InlineData(32)] [InlineData(33)] [InlineData(1000)] [InlineData(300_007)]
    public void FlatContent_Vectorised_EqualsScalar(int pixels)
    {
        var rng = new Random(pixels);
        var noisy = new byte[3 * pixels];
        rng.NextBytes(noisy);
        var flat = new byte[3 * pixels];
        for (int i = 0; i < flat.Length; i++) flat[i] = (byte)(100 + i % 3 * 20 + rng.Next(2));
        foreach (var rgb in new[] { noisy, flat })
        {
            if (pixels == 0) continue;
            Assert.Equal(GifLab.Core.Metrics.FlatContent.Analyse(rgb, vectorised: false), GifLab.Core.Metrics.FlatContent.Analyse(rgb, vectorised: true));
        }
    }

    [Theory]
    [InlineData(1)] [InlineData(7)] [InlineData(8)] [InlineData(9)] [InlineData(17)] [InlineData(1000)] [InlineData(4099)]
    public void FrameFlatten_Vectorised_EqualsScalar(int pixels)
    {
        var rng = new Random(pixels);
        var rgba = new byte[4 * pixels];
        rng.NextBytes(rgba);
        for (int i = 3; i < rgba.Length; i += 4)
            rgba[i] = rng.Next(4) switch { 0 => 0, 1 => (byte)rng.Next(256), _ => 255 }; // opaque runs, holes, partial alpha
        if (pixels >= 64) for (int i = 3; i < 2 * pixels; i += 4) rgba[i] = 255; // first half fully opaque
        foreach (byte background in new byte[] { 0, 255 })
        {
            var fastRgb = new byte[3 * pixels]; var fastLuma = new float[pixels];
            var slowRgb = new byte[3 * pixels]; var slowLuma = new float[pixels];
            GifLab.Core.Metrics.FrameView.Flatten(rgba, background, fastRgb, fastLuma, vectorised: true);
            GifLab.Core.Metrics.FrameView.Flatten(rgba, background, slowRgb, slowLuma, vectorised: false);
            Assert.Equal(slowRgb, fastRgb);
            Assert.Equal(slowLuma, fastLuma);
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Laplacian_Vectorised_EqualsScalar(int w, int h)
    {
        var src = RandomPlane(w * h, 13 * w + h);
        var fast = new float[w * h]; var slow = new float[w * h];
        Gradients.Laplacian(src, w, h, fast);
        Gradients.LaplacianScalar(src, w, h, slow);
        Assert.Equal(slow, fast);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void GradientMagnitudeAndFsimTerm_Vectorised_EqualScalar(int w, int h)
    {
        int n = w * h;
        var gx = RandomPlane(n, w + 19 * h, 500f); var gy = RandomPlane(n, w + 23 * h, 500f);
        var fast = (float[])gx.Clone();
        Gradients.EuclideanMagnitude(fast, gy);
        for (int i = 0; i < n; i++) Assert.Equal(MathF.Sqrt(gx[i] * gx[i] + gy[i] * gy[i]), fast[i]);
        var p1 = RandomPlane(n, 3 + w, 300f); var p2 = RandomPlane(n, 5 + h, 300f);
        var termFast = new float[n]; var termSlow = new float[n];
        GifLab.Core.Metrics.Fsim.Similarity(fast, gy, p1, p2, termFast, vectorised: true);
        GifLab.Core.Metrics.Fsim.Similarity(fast, gy, p1, p2, termSlow, vectorised: false);
        Assert.Equal(termSlow, termFast);
    }

    [Theory]
    [InlineData(0)] [InlineData(1)] [InlineData(7)] [InlineData(8)] [InlineData(9)] [InlineData(1000)] [InlineData(4099)]
    public void TransparencyMaskCounts_Vectorised_EqualScalar(int pixels)
    {
        var rng = new Random(pixels + 1);
        var a = new byte[4 * pixels]; var b = new byte[4 * pixels];
        rng.NextBytes(a); rng.NextBytes(b);
        for (int i = 3; i < a.Length; i += 4) { a[i] = (byte)(rng.Next(3) == 0 ? 127 + rng.Next(3) : a[i]); }
        Assert.Equal(GifLab.Core.Metrics.Artifacts.TransparencyArtifacts.MaskCounts(a, b, vectorised: false),
                     GifLab.Core.Metrics.Artifacts.TransparencyArtifacts.MaskCounts(a, b, vectorised: true));
    }

    [Fact]
    public void RecursiveGaussian_Radius5_PreservesConstantInterior()
    {
        var g = new RecursiveGaussian(1.5);
        Assert.Equal(5, g.Radius);
        int w = 64, h = 64;
        var src = Enumerable.Repeat(0.5f, w * h).ToArray();
        var dst = new float[w * h];
        g.BlurScalar(src, w, h, dst);
        Assert.Equal(0.5f, dst[32 * w + 32], 1e-4f); // normalised weights: a constant stays constant away from borders
    }

    [Theory]
    [InlineData(0)] [InlineData(1)] [InlineData(31)] [InlineData(32)] [InlineData(33)] [InlineData(1000)] [InlineData(300_007)]
    public void ByteErrors_Vectorised_EqualScalar(int n)
    {
        var rng = new Random(n);
        var a = new byte[n]; var b = new byte[n];
        rng.NextBytes(a); rng.NextBytes(b);
        Assert.Equal(SquaredError.SumScalar(a, b), SquaredError.Sum(a, b));
        Assert.Equal(AbsoluteError.SumScalar(a, b), AbsoluteError.Sum(a, b));
    }

    [Fact]
    public void SquaredError_BlackVsWhite_Is65025PerSample()
    {
        var a = new byte[3 * 1000]; var b = Enumerable.Repeat((byte)255, 3000).ToArray();
        Assert.Equal(65025L * 3000, SquaredError.Sum(a, b));
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void TemporalCounts_Vectorised_EqualScalar(int w, int h)
    {
        int n = w * h;
        var o0 = RandomPlane(n, 1); var o1 = RandomPlane(n, 2); var c0 = RandomPlane(n, 3); var c1 = RandomPlane(n, 4);
        for (int i = 0; i < n; i += 3) { o1[i] = o0[i]; c1[i] = c0[i] + 1; }
        Assert.Equal(TemporalCounts.DisposalScalar(o0, o1, c0, c1, 24), TemporalCounts.Disposal(o0, o1, c0, c1, 24));
        Assert.Equal(TemporalCounts.FlickerScalar(o0, o1, c0, c1, 2, 8), TemporalCounts.Flicker(o0, o1, c0, c1, 2, 8));
    }

    [Theory]
    [InlineData(7, 7)] [InlineData(9, 8)] [InlineData(23, 17)] [InlineData(40, 31)]
    public void Ssim_Float32Kernel_EqualsDoubleDefinition(int w, int h)
    {
        var a = RandomPlane(w * h, 11); var b = RandomPlane(w * h, 12);
        for (int i = 0; i < b.Length; i++) b[i] = 0.7f * a[i] + 0.3f * b[i];
        Assert.Equal(StructuralSimilarity.SsimReference(a, b, w, h)!.Value, StructuralSimilarity.Ssim(a, b, w, h)!.Value, 1e-5);
    }

    [Theory]
    [InlineData(11, 11)] [InlineData(23, 22)] [InlineData(45, 33)]
    public void MsSsim_Float32Kernel_EqualsDoubleDefinition(int w, int h)
    {
        var a = RandomPlane(w * h, 21); var b = RandomPlane(w * h, 22);
        for (int i = 0; i < b.Length; i++) b[i] = 0.8f * a[i] + 0.2f * b[i];
        Assert.Equal(StructuralSimilarity.MsSsimReference(a, b, w, h)!.Value, StructuralSimilarity.MsSsim(a, b, w, h)!.Value.Value, 1e-5);
    }

    [Theory]
    [InlineData(1)] [InlineData(7)] [InlineData(8)] [InlineData(9)] [InlineData(1001)]
    public void LinearToXyb_Vectorised_EqualsScalar(int n)
    {
        var r = RandomPlane(n, 1, 1f); var g = RandomPlane(n, 2, 1f); var b = RandomPlane(n, 3, 1f);
        r[0] = 0; g[0] = 0; b[0] = 0; // black: the opsin bias keeps the cube-root input positive
        var fast = new float[3 * n]; var slow = new float[3 * n];
        ColorSpaces.LinearToPositiveXyb(r, g, b, fast.AsSpan(0, n), fast.AsSpan(n, n), fast.AsSpan(2 * n, n), vectorised: true);
        ColorSpaces.LinearToPositiveXyb(r, g, b, slow.AsSpan(0, n), slow.AsSpan(n, n), slow.AsSpan(2 * n, n), vectorised: false);
        for (int i = 0; i < 3 * n; i++) Assert.Equal(slow[i], fast[i], 1e-6f);
    }

    [Fact]
    public void Cbrt_MatchesMathCbrt()
    {
        for (float x = 1e-6f; x < 2f; x *= 1.01f)
            Assert.True(Math.Abs(ColorSpaces.Cbrt(x) - Math.Cbrt(x)) <= 2e-7 * Math.Cbrt(x) + 1e-9, $"cbrt({x})");
        Assert.Equal(0f, ColorSpaces.Cbrt(0f));
    }

    [Fact]
    public void DeltaE2000_MatchesSharmaTestPairs()
    {
        // Sharma, Wu & Dalal (2005), Table 1, pairs 1, 7 and 17.
        Assert.Equal(2.0425, ColorSpaces.DeltaE2000(50, 2.6772, -79.7751, 50, 0, -82.7485), 1e-4);
        Assert.Equal(0.0, ColorSpaces.DeltaE2000(50, 0, 0, 50, -1, 2) - 2.3669, 1e-4);
        Assert.Equal(27.1492, ColorSpaces.DeltaE2000(50, 2.5, 0, 73, 25, -18), 1e-4);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(64)]
    [InlineData(1001)]
    public void HasTransparentPixels_Vectorised_EqualsScalar_ForEveryPosition(int pixels)
    {
        var rgba = new byte[pixels * 4];
        Array.Fill(rgba, (byte)255);
        Assert.False(GifLab.Core.Model.FrameSequence.AnyTransparent(rgba));
        for (int p = 0; p < pixels; p++)
        {
            rgba[4 * p + 3] = 254;
            Assert.Equal(GifLab.Core.Model.FrameSequence.AnyTransparent(rgba, vectorised: false), GifLab.Core.Model.FrameSequence.AnyTransparent(rgba));
            Assert.True(GifLab.Core.Model.FrameSequence.AnyTransparent(rgba));
            rgba[4 * p + 3] = 255;
            rgba[4 * p] = 0; // a colour byte never counts
            Assert.False(GifLab.Core.Model.FrameSequence.AnyTransparent(rgba));
        }
    }
}
