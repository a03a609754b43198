using GifLab.Core.Decoding;
using GifLab.Core.Metrics;
using GifLab.Core.Model;
using Xunit.Abstractions;

namespace GifLab.Core.Tests.Metrics;

/// <summary>
/// Every decodable GIF of testdata/gifs (disposal modes, transparency, tiny and odd canvases,
/// interlace, local palettes) measured against itself and against a noisy copy: no exception, every
/// key present, values finite or null with a reason, identity values where they are defined.
/// </summary>
public sealed class MetricRobustnessTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Files =>
        Directory.EnumerateFiles(Path.Combine(TestGifs.RepoRoot, "testdata", "gifs"), "*.gif", SearchOption.AllDirectories)
                 .Where(f => new FileInfo(f).Length < 400_000)
                 .Order(StringComparer.Ordinal)
                 .Select(f => new object[] { Path.GetRelativePath(Path.Combine(TestGifs.RepoRoot, "testdata", "gifs"), f) });

    [Theory]
    [MemberData(nameof(Files))]
    public void Measure_AnyDecodableGif_NeverThrowsAndNeverLeaksNonFinite(string relative)
    {
        FrameSequence gif;
        try
        {
            gif = GifDecoder.Decode(File.ReadAllBytes(Path.Combine(TestGifs.RepoRoot, "testdata", "gifs", relative)));
        }
        catch (GifFormatException e)
        {
            output.WriteLine($"{relative}: not decodable ({e.Kind}), nothing to measure");
            return;
        }
        if (gif.FrameCount == 0 || (long)gif.Width * gif.Height * gif.FrameCount > 20_000_000) return;
        var suite = new MetricSuite();
        var prepared = suite.Prepare(gif);
        var self = suite.Measure(prepared, gif, MetricOptions.Default);
        var noisy = suite.Measure(prepared, Synthetic.WithNoise(gif, 12), MetricOptions.Default);
        foreach (var result in new[] { self, noisy })
        {
            Assert.Equal(MetricRegistry.OutputKeys.Length, result.Values.Count);
            foreach (var (key, value) in result.Values)
            {
                if (value is { } v) Assert.True(double.IsFinite(v), $"{key} = {v}");
                else Assert.True(result.NullReasons.ContainsKey(key), key);
            }
        }
        Assert.Equal(0.0, self.Values["mse"]);
        Assert.Equal(Psnr.IdenticalDb, self.Values["psnr"]);
        if (self.Values["ssimulacra2"] is { } s2) Assert.Equal(100.0, s2);
        if (self.Values["ssim"] is { } ssim) Assert.Equal(1.0, ssim, 9);
        Assert.Equal(0.0, self.Values["transparency_artifact_score"]);
        output.WriteLine($"{relative}: {gif.Width}×{gif.Height}×{gif.FrameCount}, composite(noisy) {noisy.Values["composite_score"]?.ToString("F4") ?? "null: " + noisy.NullReasons["composite_score"]}");
    }
}
