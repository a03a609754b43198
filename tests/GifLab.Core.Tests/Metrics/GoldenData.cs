using System.Text.Json;
using GifLab.Core.Decoding;
using GifLab.Core.Model;

namespace GifLab.Core.Tests.Metrics;

/// <summary>
/// testdata/golden: the 26 golden pairs (13 originals from corpus/real, 2 gifsicle variants each) and
/// metrics.json with values from independent implementations (scikit-image 0.19.3 SSIM, a numpy
/// MS-SSIM oracle, numpy PSNR/MSE, the reference ssimulacra2 program at cloudinary/ssimulacra2
/// 81feacf, AVX2 build). Provenance: testdata/golden/README.md. Never regenerated from our output.
/// </summary>
public static class GoldenData
{
    public static string Root => Path.Combine(TestGifs.RepoRoot, "testdata", "golden");

    public sealed record Record(string Original, string Compressed, string Variant, int Frames, int Width, int Height,
                                double Ssim, double MsSsim, int MsSsimScales, double Psnr, double Mse, double Ssimulacra2,
                                double[] FrameSsim, double[] FrameMsSsim, double[] FramePsnr, double[] FrameMse, double[] FrameSsimulacra2)
    {
        public override string ToString() => Path.GetFileName(Compressed);
    }

    private static readonly Lazy<IReadOnlyList<Record>> RecordsLazy = new(Load);
    public static IReadOnlyList<Record> Records => RecordsLazy.Value;

    private static IReadOnlyList<Record> Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Root, "metrics.json")));
        var list = new List<Record>();
        foreach (var r in doc.RootElement.EnumerateArray())
        {
            var pf = r.GetProperty("per_frame");
            double[] Arr(string k) => [.. pf.GetProperty(k).EnumerateArray().Select(e => e.GetDouble())];
            list.Add(new Record(r.GetProperty("original").GetString()!, r.GetProperty("compressed").GetString()!,
                r.GetProperty("variant").GetString()!, r.GetProperty("frames").GetInt32(), r.GetProperty("width").GetInt32(),
                r.GetProperty("height").GetInt32(), r.GetProperty("ssim").GetDouble(), r.GetProperty("ms_ssim").GetDouble(),
                r.GetProperty("ms_ssim_scales").GetInt32(), r.GetProperty("psnr").GetDouble(), r.GetProperty("mse").GetDouble(),
                r.GetProperty("ssimulacra2").GetDouble(), Arr("ssim"), Arr("ms_ssim"), Arr("psnr"), Arr("mse"), Arr("ssimulacra2")));
        }
        return list;
    }

    /// <summary>Decodes a file named as in metrics.json (relative to <c>shared/</c>): originals are under
    /// testdata/golden/corpus/…, compressed files under testdata/golden/pairs/….</summary>
    public static FrameSequence Decode(string relative)
    {
        if (relative.StartsWith("golden/", StringComparison.Ordinal)) relative = relative["golden/".Length..];
        return GifDecoder.Decode(File.ReadAllBytes(Path.Combine(Root, relative)));
    }

    /// <summary>Per-record indices for xunit theories.</summary>
    public static IEnumerable<object[]> Indices() => Enumerable.Range(0, Records.Count).Select(i => new object[] { i });
}
