using System.Text.Json;
using GifLab.Core.Features.Kernels;
using GifLab.Core.Features.Metadata;

namespace GifLab.Core.Tests.Features;

/// <summary>
/// The OpenCV operations the reference relies on, checked (a) on inputs small enough to work out on paper and
/// (b) against OpenCV 4.6.0 itself (testdata/features/kernels.json, written by make_golden.py).
/// </summary>
[Trait("Category", SimdWidth.Category)]
public class KernelTests
{
    private static readonly JsonElement K = FeatureTestData.Json("kernels.json");
    private static int[] Ints(string key) => K.GetProperty(key).EnumerateArray().Select(e => e.GetInt32()).ToArray();
    private static float[] Floats(string key) => K.GetProperty(key).EnumerateArray().Select(e => e.GetSingle()).ToArray();
    private static byte[] Bytes(JsonElement e) => e.EnumerateArray().Select(x => (byte)x.GetInt32()).ToArray();

    [Fact]
    public void Gray_HandComputed_RoundsHalfUpIn15Bits()
    {
        // (9798·255 + 16384) >> 15 = 2 514 874 >> 15 = 76 (0.299·255 = 76.245).
        Assert.Equal(76, OpenCvGray.Y(255, 0, 0));
        Assert.Equal(150, OpenCvGray.Y(0, 255, 0));   // 0.587·255 = 149.685 → 150
        Assert.Equal(29, OpenCvGray.Y(0, 0, 255));    // 0.114·255 = 29.07
        Assert.Equal(255, OpenCvGray.Y(255, 255, 255));
    }

    [Fact]
    public void Gray_EqualsOpenCv()
    {
        var rgb = Ints("gray_rgb");
        var y = Ints("gray_y");
        for (var i = 0; i < y.Length; i++) Assert.Equal(y[i], OpenCvGray.Y(rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]));
    }

    [Fact]
    public void Sobel_HandComputed_3x3Reflect101()
    {
        // Vertical step [0 0 9] in every row. Reflect-101: column -1 ↦ 1, column 3 ↦ 1.
        // gx at (1,1) = (9 - 0)·(1 + 2 + 1) = 36; at (0,y): left neighbour is column 1 (0) → 0; at (2,y): right ↦ column 1 (0) → (0 - 0)·4 = 0.
        byte[] img = [0, 0, 9, 0, 0, 9, 0, 0, 9];
        var gx = new int[9]; var gy = new int[9];
        Filters3x3.Sobel(img, 3, 3, gx, gy, Filters3x3.BorderMode.Reflect101);
        Assert.Equal([0, 36, 0, 0, 36, 0, 0, 36, 0], gx);
        Assert.All(gy, v => Assert.Equal(0, v));
        // Replicate border (Canny's): right of column 2 is column 2 (9) → gx(2,y) = (9 - 0)·4 = 36.
        Filters3x3.Sobel(img, 3, 3, gx, gy, Filters3x3.BorderMode.Replicate);
        Assert.Equal([0, 36, 36, 0, 36, 36, 0, 36, 36], gx);
    }

    [Fact]
    public void Laplacian_HandComputed_SinglePeak()
    {
        byte[] img = [0, 0, 0, 0, 8, 0, 0, 0, 0];
        var lap = new int[9];
        Filters3x3.Laplacian(img, 3, 3, lap, Filters3x3.BorderMode.Reflect101);
        // Centre: -32. Edge midpoints: the peak once, plus its reflection for the outward neighbour → 16. Corners 0.
        Assert.Equal([0, 16, 0, 16, -32, 16, 0, 16, 0], lap);
    }

    [Fact]
    public void SobelAndLaplacian_EqualOpenCv()
    {
        var m = Ints("m5x6").Select(v => (byte)v).ToArray();
        var gx = new int[30]; var gy = new int[30]; var lap = new int[30];
        Filters3x3.Sobel(m, 6, 5, gx, gy, Filters3x3.BorderMode.Reflect101);
        Filters3x3.Laplacian(m, 6, 5, lap, Filters3x3.BorderMode.Reflect101);
        Assert.Equal(Ints("sobel_x_reflect101"), gx);
        Assert.Equal(Ints("sobel_y_reflect101"), gy);
        Assert.Equal(Ints("laplacian_reflect101"), lap);
    }

    [Fact]
    public void Resize_HandComputed_2To4()
    {
        // scale 0.5: dst centres map to src -0.25, 0.25, 0.75, 1.25 → clamp, 25 %, 75 %, clamp.
        var dst = new float[4];
        BilinearResize.Resize([0f, 100f], 2, 1, dst, 4, 1);
        Assert.Equal([0f, 25f, 75f, 100f], dst);
    }

    [Theory]
    [InlineData("resize_5x6_to_4x3", 4, 3)]
    [InlineData("resize_5x6_to_9x7", 9, 7)]
    public void Resize_EqualsOpenCv(string key, int w, int h)
    {
        var src = Ints("m5x6").Select(v => (float)v).ToArray();
        var dst = new float[w * h];
        BilinearResize.Resize(src, 6, 5, dst, w, h);
        var want = Floats(key);
        for (var i = 0; i < want.Length; i++) Assert.Equal(want[i], dst[i], 1e-3f);
    }

    [Fact]
    public void Dct_HandComputed_Constant2x2()
    {
        // Orthonormal: D[0,0] = c(0)²·Σx = (1/2)·4·1 = 2; every other coefficient 0.
        var d = new double[4];
        new Dct2(2).Forward([1f, 1f, 1f, 1f], d);
        Assert.Equal(2.0, d[0], 12);
        Assert.Equal(0.0, d[1], 12); Assert.Equal(0.0, d[2], 12); Assert.Equal(0.0, d[3], 12);
        // Left/right split [1 -1; 1 -1]: D[0,1] = c(0)c(1)·Σ_y Σ_x X·cos(π(2x+1)/4) = (1/√2)(1)·2·(2·cos(π/4)) = 2.
        new Dct2(2).Forward([1f, -1f, 1f, -1f], d);
        Assert.Equal(0.0, d[0], 12); Assert.Equal(2.0, d[1], 12); Assert.Equal(0.0, d[2], 12); Assert.Equal(0.0, d[3], 12);
    }

    [Fact]
    public void Dct_EqualsOpenCv8x8()
    {
        var input = Floats("dct_in_8x8");
        var want = Floats("dct_out_8x8");
        var d = new double[64];
        new Dct2(8).Forward(input, d);
        for (var i = 0; i < 64; i++) Assert.Equal(want[i], d[i], 2e-3);
    }

    [Fact]
    public void Canny_EqualsOpenCv()
    {
        var n = 0;
        foreach (var c in K.GetProperty("canny_100_200").EnumerateArray())
        {
            int w = c.GetProperty("w").GetInt32(), h = c.GetProperty("h").GetInt32();
            var gray = Bytes(c.GetProperty("gray"));
            var want = c.GetProperty("edges").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var edges = new byte[w * h];
            var count = Canny.Detect(gray, w, h, 100, 200, edges);
            Assert.Equal(want, edges.Select(e => e > 0 ? 1 : 0).ToArray());
            Assert.Equal(want.Sum(), count);
            n++;
        }
        Assert.Equal(12, n);
    }

    [Fact]
    public void Canny_HandComputed_StepEdge()
    {
        // 4×4, left half 0, right half 200. Sobel (replicate) gx = 800 on columns 1 and 2, 0 elsewhere; L1 magnitude 800.
        // NMS (horizontal direction): column 1 has m = 800 > left 0 and ≥ right 800 → kept; column 2: m > left? 800 > 800 no → suppressed.
        var gray = new byte[16];
        for (var y = 0; y < 4; y++) { gray[y * 4 + 2] = 200; gray[y * 4 + 3] = 200; }
        var edges = new byte[16];
        Assert.Equal(4, Canny.Detect(gray, 4, 4, 100, 200, edges));
        for (var y = 0; y < 4; y++) Assert.Equal([0, 255, 0, 0], edges.AsSpan(y * 4, 4).ToArray());
        // Below the low threshold nothing survives: step 20 → magnitude 80 ≤ 100.
        for (var y = 0; y < 4; y++) { gray[y * 4 + 2] = 20; gray[y * 4 + 3] = 20; }
        Assert.Equal(0, Canny.Detect(gray, 4, 4, 100, 200, edges));
    }

    [Fact]
    public void FrameDifference_SimdEqualsScalar_OnRandomSizes()
    {
        var rng = new Random(5);
        foreach (var len in new[] { 0, 1, 31, 32, 33, 100, 4096 * 32 + 7, 300_001 })
        {
            var a = new byte[len]; var b = new byte[len];
            rng.NextBytes(a); rng.NextBytes(b);
            for (var i = 0; i < len; i += 3) b[i] = (byte)Math.Clamp(a[i] + rng.Next(-12, 12), 0, 255);
            Assert.Equal(FrameDifference.MeasureScalar(a, b, 10), FrameDifference.Measure(a, b, 10));
        }
        // Worst case for the 32-bit lanes: every difference 255 over many flush periods.
        var zeros = new byte[1 << 22]; var full = Enumerable.Repeat((byte)255, 1 << 22).ToArray();
        Assert.Equal(((ulong)(1 << 22) * 65025, 0L), FrameDifference.Measure(zeros, full, 10));
    }

    [Fact]
    public void AlphaCount_SimdEqualsScalar()
    {
        var rng = new Random(9);
        foreach (var px in new[] { 1, 7, 8, 9, 1000, 12345 })
        {
            var rgba = new byte[px * 4];
            rng.NextBytes(rgba);
            Assert.Equal(AlphaCount.CountTransparentScalar(rgba), AlphaCount.CountTransparent(rgba));
        }
        byte[] edge = [1, 2, 3, 127, 1, 2, 3, 128, 0, 0, 0, 0, 9, 9, 9, 255];
        Assert.Equal(2, AlphaCount.CountTransparent(edge));
    }

    [Theory]
    [InlineData(14.285714285714286, 14.29)]
    [InlineData(2.675, 2.67)]     // binary value is 2.67499999…; Python gives 2.67
    [InlineData(0.125, 0.12)]     // exact tie → even
    [InlineData(0.375, 0.38)]     // exact tie → even
    [InlineData(10.0, 10.0)]
    [InlineData(12.5, 12.5)]
    public void PythonRound_MatchesPython(double x, double expected) => Assert.Equal(expected, PythonRound.To2Decimals(x));
}
