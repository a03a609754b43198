using GifLab.Core.Metrics.Kernels;

namespace GifLab.Core.Tests.Metrics;

/// <summary>Symmetry, bounds and monotonicity under growing noise (seeded; several seeds and sizes).</summary>
public sealed class MetricPropertyTests
{
    public static IEnumerable<object[]> Cases => [[24, 20, 1], [33, 17, 2], [50, 41, 3]];

    [Theory]
    [MemberData(nameof(Cases))]
    public void SymmetricMetrics_AreSymmetric(int w, int h, int seed)
    {
        var a = Synthetic.Textured(w, h, 1);
        var b = Synthetic.WithNoise(a, 30, seed);
        var ab = Synthetic.Measure(a, b); var ba = Synthetic.Measure(b, a);
        foreach (var key in new[] { "ssim", "ms_ssim", "psnr", "mse", "rmse", "gmsd", "chist", "sharpness_similarity", "deltae" })
            Assert.Equal(ab[key], ba[key], 6);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MoreNoise_NeverImproves_AndStaysInRange(int w, int h, int seed)
    {
        var a = Synthetic.Textured(w, h, 2);
        Synthetic.MetricsResult? previous = null;
        foreach (var amp in new[] { 2, 8, 24, 64 })
        {
            var r = Synthetic.Measure(a, Synthetic.WithNoise(a, amp, seed));
            Assert.InRange(r["ssim"], -1, 1);
            Assert.InRange(r["ms_ssim"], 0, 1);
            Assert.InRange(r["psnr"], 0, 100);
            Assert.InRange(r["composite_score"], 0, 1);
            Assert.True(r["ssimulacra2"] <= 100);
            if (previous is { } p)
            {
                Assert.True(r["ssim"] < p["ssim"], $"ssim at ±{amp}");
                Assert.True(r["ms_ssim"] < p["ms_ssim"], $"ms_ssim at ±{amp}");
                Assert.True(r["psnr"] < p["psnr"], $"psnr at ±{amp}");
                Assert.True(r["mse"] > p["mse"], $"mse at ±{amp}");
                Assert.True(r["ssimulacra2"] < p["ssimulacra2"], $"ssimulacra2 at ±{amp}");
                Assert.True(r["deltae"] > p["deltae"], $"deltae at ±{amp}");
                Assert.True(r["composite_score"] < p["composite_score"], $"composite at ±{amp}");
            }
            previous = r;
        }
    }

    [Fact]
    public void MsSsim_SmallCanvas_RenormalisesWeights()
    {
        // 30×20 allows one scale: the value is then the plain mean l·cs at scale 1 (weight 1).
        var rng = new Random(3);
        var a = new float[30 * 20]; var b = new float[30 * 20];
        for (int i = 0; i < a.Length; i++) { a[i] = rng.Next(256); b[i] = Math.Clamp(a[i] + rng.Next(-20, 21), 0, 255); }
        var r = StructuralSimilarity.MsSsim(a, b, 30, 20)!.Value;
        Assert.Equal(1, r.Scales);
        Assert.Equal(StructuralSimilarity.MsSsimReference(a, b, 30, 20)!.Value, r.Value, 1e-5);
        Assert.InRange(r.Value, 0, 1);
    }
}
