using System.Text.Json;
using Xunit.Abstractions;

namespace GifLab.Cli.Tests;

/// <summary>
/// `giflab measure ORIGINAL COMPRESSED --format json` on every golden pair of testdata/golden (values from
/// independent implementations: scikit-image 0.19.3 SSIM, a numpy MS-SSIM oracle, numpy PSNR/MSE, the reference
/// ssimulacra2 program at cloudinary/ssimulacra2 81feacf; provenance in testdata/golden/README.md; never regenerated
/// from our output). Tolerances are the golden README's: ssim and ms_ssim 1e-4, psnr 1e-4 dB, mse 1e-6 relative,
/// ssimulacra2 2.0 / 0.75 / 0.3 for expected ≥ 90 / 50–90 / below 50, exactly 100 for identical frames.
/// </summary>
public sealed class GoldenMeasureCommandTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private static string Root => Path.Combine(CliRunner.RepoRoot, "testdata", "golden");

    public static IEnumerable<object[]> Pairs()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Root, "metrics.json")));
        foreach (var r in doc.RootElement.EnumerateArray())
            yield return [r.GetProperty("original").GetString()!, r.GetProperty("compressed").GetString()!];
    }

    private static JsonElement Expected(string original, string compressed)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Root, "metrics.json")));
        foreach (var r in doc.RootElement.EnumerateArray())
            if (r.GetProperty("original").GetString() == original && r.GetProperty("compressed").GetString() == compressed)
                return r.Clone();
        throw new InvalidOperationException($"{compressed} not in metrics.json");
    }

    private static string FileOf(string relative) =>
        Path.Combine(Root, relative.StartsWith("golden/", StringComparison.Ordinal) ? relative["golden/".Length..] : relative);

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Measure_MatchesGoldenValues(string original, string compressed)
    {
        var expected = Expected(original, compressed);
        var (code, stdout, stderr) = CliRunner.Run(CliRunner.RepoRoot, Timeout, "measure", FileOf(original), FileOf(compressed), "--format", "json");
        Assert.True(code == ExitCodes.Ok, stderr);
        var got = JsonDocument.Parse(stdout).RootElement;
        double G(string k) => got.GetProperty(k).ValueKind == JsonValueKind.Number
            ? got.GetProperty(k).GetDouble() : throw new Xunit.Sdk.XunitException($"{k} is {got.GetProperty(k)}");
        double E(string k) => expected.GetProperty(k).GetDouble();
        output.WriteLine($"{Path.GetFileName(compressed)}: ssim {G("ssim") - E("ssim"):E2} ms_ssim {G("ms_ssim") - E("ms_ssim"):E2} " +
                         $"psnr {G("psnr") - E("psnr"):E2} mse {G("mse") - E("mse"):E2} ssimulacra2 {G("ssimulacra2") - E("ssimulacra2"):F3}");
        Assert.InRange(G("ssim") - E("ssim"), -1e-4, 1e-4);
        Assert.InRange(G("ms_ssim") - E("ms_ssim"), -1e-4, 1e-4);
        Assert.Equal(E("ms_ssim_scales"), G("ms_ssim_scales"));
        Assert.InRange(G("psnr") - E("psnr"), -1e-4, 1e-4);
        Assert.InRange(Math.Abs(G("mse") - E("mse")), 0, Math.Max(1e-6, 1e-6 * E("mse")));
        double s2 = E("ssimulacra2");
        if (s2 == 100.0) Assert.Equal(100.0, G("ssimulacra2"));
        else
        {
            double tol = s2 >= 90 ? 2.0 : s2 >= 50 ? 0.75 : 0.3;
            Assert.InRange(G("ssimulacra2") - s2, -tol, tol);
        }
        Assert.Equal(expected.GetProperty("frames").GetInt32(), (int)G("ssimulacra2_frames")); // measure: every pair
    }
}
