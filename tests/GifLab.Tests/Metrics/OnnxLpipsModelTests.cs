using System.Diagnostics;
using System.Security.Cryptography;
using GifLab.Core.Metrics;
using GifLab.Core.Model;
using GifLab.Metrics;
using GifLab.Runs;
using Xunit.Abstractions;

namespace GifLab.Tests.Metrics;

/// <summary>
/// The ONNX LPIPS runner end to end (file → ONNX Runtime → <see cref="MetricSuite"/>) with hand-built models whose
/// outputs are known analytically (<see cref="OnnxTestModels"/>); no real LPIPS weights are involved. Every expected
/// value below is derived in its comment from the model's formula and the input scaling v / 127.5 − 1.
/// </summary>
public sealed class OnnxLpipsModelTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("giflab-lpips-").FullName;
    private readonly ITestOutputHelper _output;

    public OnnxLpipsModelTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static FrameSequence Solid(int width, int height, params (byte R, byte G, byte B)[] frames) =>
        Build(width, height, frames.Length, (f, _, _) => frames[f]);

    private static FrameSequence Build(int width, int height, int count, Func<int, int, int, (byte R, byte G, byte B)> pixel)
    {
        var list = new List<Frame>(count);
        for (int f = 0; f < count; f++)
        {
            var rgba = new byte[width * height * 4];
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    var (r, g, b) = pixel(f, x, y);
                    int i = 4 * (y * width + x);
                    rgba[i] = r; rgba[i + 1] = g; rgba[i + 2] = b; rgba[i + 3] = 255;
                }
            list.Add(new Frame(rgba, 100, DisposalMethod.DoNotDispose, new FrameRect(0, 0, width, height)));
        }
        return new FrameSequence(width, height, list, GifInfo.Synthetic);
    }

    private static MetricResult Measure(ILpipsModel model, FrameSequence original, FrameSequence compressed, bool exact = true)
    {
        var suite = new MetricSuite();
        var options = new MetricOptions(Exact: exact) { LpipsModel = model };
        return suite.Measure(suite.Prepare(original, options), compressed, options);
    }

    private OnnxLpipsModel MeanSquared(long?[]? shape = null) => OnnxLpipsModel.Load(Write("msd.onnx", OnnxTestModels.MeanSquaredDifference(shape)));

    [Fact]
    public void Load_DynamicModel_ReportsDynamicSizeAndBatch8()
    {
        using var model = MeanSquared();
        Assert.Null(model.InputWidth);
        Assert.Null(model.InputHeight);
        Assert.Equal(8, model.MaxBatch);
    }

    [Fact]
    public void MeanSquared_IdenticalFrames_IsExactlyZero()
    {
        using var model = MeanSquared();
        // A textured 3-frame GIF against itself: in0 − in1 = 0 everywhere → 0.
        var a = Build(24, 16, 3, (f, x, y) => ((byte)(x * 10 + f), (byte)(y * 15), (byte)((x ^ y) * 7)));
        var r = Measure(model, a, a);
        Assert.Equal(0.0, r.Values["lpips"]);
        Assert.Equal(0.0, r.Values["lpips_max"]);
        Assert.Equal(3.0, r.Values["lpips_frames"]);
    }

    [Fact]
    public void MeanSquared_BlackVsWhite_IsExactlyFour()
    {
        using var model = MeanSquared();
        // black → −1, white → +1 (proves the [−1, 1] scaling): (−1 − 1)² = 4 on every element.
        var r = Measure(model, Solid(20, 12, (0, 0, 0)), Solid(20, 12, (255, 255, 255)));
        Assert.Equal(4.0, r.Values["lpips"]);
    }

    [Fact]
    public void MeanSquared_RedVsBlack_IsFourThirds()
    {
        using var model = MeanSquared();
        // R plane differs by 2 (squared 4), G and B by 0: mean over C·H·W = 4/3 (float32 mean: 1e-6).
        var r = Measure(model, Solid(10, 10, (255, 0, 0)), Solid(10, 10, (0, 0, 0)));
        Assert.Equal(4.0 / 3.0, r.Values["lpips"]!.Value, 1e-6);
    }

    [Fact]
    public void MeanSquared_MultiFrame_FamilyIsMeanStdMinMaxOfFrames()
    {
        using var model = MeanSquared();
        // Original black; compressed frames 0, 255, 51 → per frame 0, (2)² = 4, (51/127.5)² = 0.4² = 0.16.
        var r = Measure(model, Solid(16, 8, (0, 0, 0), (0, 0, 0), (0, 0, 0)),
                        Solid(16, 8, (0, 0, 0), (255, 255, 255), (51, 51, 51)));
        double[] frames = [0, 4, 0.16];
        double mean = frames.Average();                                               // 1.386667
        double std = Math.Sqrt(frames.Sum(v => (v - mean) * (v - mean)) / frames.Length); // population, 1.849060
        Assert.Equal(mean, r.Values["lpips"]!.Value, 1e-6);
        Assert.Equal(std, r.Values["lpips_std"]!.Value, 1e-6);
        Assert.Equal(0.0, r.Values["lpips_min"]);
        Assert.Equal(4.0, r.Values["lpips_max"]);
        Assert.Equal(3.0, r.Values["lpips_frames"]);
    }

    [Fact]
    public void RedMeanOfInput0_ProvesRgbOrderAndThatInput0IsTheOriginal()
    {
        using var model = OnnxLpipsModel.Load(Write("red.onnx", OnnxTestModels.OriginalRedMean()));
        // Output = mean of channel 0 of input 0. Original red (R = 255 → +1), compressed green → +1.
        Assert.Equal(1.0, Measure(model, Solid(8, 8, (255, 0, 0)), Solid(8, 8, (0, 255, 0))).Values["lpips"]);
        // Swapped: original green (R = 0 → −1), compressed red → −1. Had input 0 been the compressed GIF, or
        // channel 0 been B or G, these two would differ.
        Assert.Equal(-1.0, Measure(model, Solid(8, 8, (0, 255, 0)), Solid(8, 8, (255, 0, 0))).Values["lpips"]);
        Assert.Equal(-1.0, Measure(model, Solid(8, 8, (0, 0, 255)), Solid(8, 8, (255, 0, 0))).Values["lpips"]);
    }

    [Fact]
    public void FixedShapeModel_ResizesToItsSize_OnePairPerCall()
    {
        using var model = MeanSquared([1, 3, 16, 16]);
        Assert.Equal(16, model.InputWidth);
        Assert.Equal(16, model.InputHeight);
        Assert.Equal(1, model.MaxBatch);
        // 40×20 canvas → 16×16: each output column covers 2.5 source columns, so the black|white edge at x = 20
        // (= 8 · 2.5) falls on a column boundary: columns 0–7 stay black (−1), 8–15 white (+1).
        // Original black; compressed frames: black → 0; right half white → half the elements 4 → 2; white → 4.
        var original = Solid(40, 20, (0, 0, 0), (0, 0, 0), (0, 0, 0));
        var compressed = Build(40, 20, 3, (f, x, _) => f == 0 || (f == 1 && x < 20) ? ((byte)0, (byte)0, (byte)0) : ((byte)255, (byte)255, (byte)255));
        var r = Measure(model, original, compressed);
        Assert.Equal(2.0, r.Values["lpips"]!.Value, 1e-5);
        Assert.Equal(0.0, r.Values["lpips_min"]!.Value, 1e-6);
        Assert.Equal(4.0, r.Values["lpips_max"]!.Value, 1e-5);
        Assert.Equal(3.0, r.Values["lpips_frames"]);
    }

    [Fact]
    public void DynamicModel_LargeCanvas_IsDownscaledAndStillExact()
    {
        using var model = MeanSquared();
        // 700×350 → 512×256 (area averaging of a flat colour stays flat): black vs white → 4 (weights rounded to float: 1e-5).
        var r = Measure(model, Solid(700, 350, (0, 0, 0)), Solid(700, 350, (255, 255, 255)));
        Assert.Equal(4.0, r.Values["lpips"]!.Value, 1e-5);
    }

    [Fact]
    public void ManyFrames_SampledTo100_AndBatchedAcrossCalls()
    {
        using var model = MeanSquared();
        // 130 frames: frame f of the compressed GIF is white when f is odd → distance 4, else 0.
        var original = Solid(8, 8, Enumerable.Repeat(((byte)0, (byte)0, (byte)0), 130).ToArray());
        var compressed = Build(8, 8, 130, (f, _, _) => f % 2 == 1 ? ((byte)255, (byte)255, (byte)255) : ((byte)0, (byte)0, (byte)0));
        var exact = Measure(model, original, compressed, exact: true);
        Assert.Equal(130.0, exact.Values["lpips_frames"]);
        Assert.Equal(2.0, exact.Values["lpips"]!.Value, 1e-12);   // 65 frames at 4, 65 at 0
        var sampled = Measure(model, original, compressed, exact: false);
        Assert.Equal(100.0, sampled.Values["lpips_frames"]);
        int[] frames = FramePairing.UniformSample(130, 100);
        double expected = frames.Count(f => f % 2 == 1) * 4.0 / frames.Length;
        Assert.Equal(expected, sampled.Values["lpips"]!.Value, 1e-12);
    }

    [Fact]
    public void SharedModel_ConcurrentMeasurements_AgreeWithSequential()
    {
        using var model = MeanSquared();
        var original = Build(32, 32, 4, (f, x, y) => ((byte)(x * 8), (byte)(y * 8), (byte)(f * 60)));
        var compressed = Build(32, 32, 4, (f, x, y) => ((byte)(x * 8 + 3), (byte)(y * 8), (byte)(f * 50)));
        var expected = Measure(model, original, compressed).Values["lpips"];
        var results = new double?[8];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 },
            i => results[i] = Measure(model, original, compressed).Values["lpips"]);
        Assert.All(results, v => Assert.Equal(expected, v));
    }

    [Fact]
    public void Description_NamesFileAndSha256_AndIsStoredAsNote()
    {
        var bytes = OnnxTestModels.MeanSquaredDifference();
        var path = Write("toy-lpips.onnx", bytes);
        using var model = OnnxLpipsModel.Load(path);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        Assert.Equal(sha, model.Sha256);
        Assert.Equal($"toy-lpips.onnx sha256:{sha[..16]}", model.Description);
        var r = Measure(model, Solid(4, 4, (0, 0, 0)), Solid(4, 4, (0, 0, 0)));
        Assert.Equal(model.Description, r.Notes[MetricResult.LpipsModelNote]);
        var json = System.Text.Json.JsonDocument.Parse(MetricsDocument.Write(r)).RootElement;
        Assert.Equal(model.Description, json.GetProperty("lpips_model").GetString());
        Assert.Equal(0.0, json.GetProperty("lpips").GetDouble());
    }

    [Fact]
    public void WithoutModel_NoNote_AndEveryLpipsKeyNullWithReason()
    {
        var suite = new MetricSuite();
        var a = Solid(4, 4, (0, 0, 0));
        var r = suite.Measure(suite.Prepare(a), a, MetricOptions.Default);
        Assert.Empty(r.Notes);
        foreach (var key in new Lpips().Info.Outputs)
        {
            Assert.Null(r.Values[key]);
            Assert.Equal(Lpips.NoModelReason, r.NullReasons[key]);
        }
        Assert.DoesNotContain("lpips_model", MetricsDocument.Write(r));
    }

    [Fact]
    public void Load_MissingFile_SaysItDoesNotExist()
    {
        var path = Path.Combine(_dir, "nope.onnx");
        var e = Assert.Throws<LpipsModelException>(() => OnnxLpipsModel.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("does not exist", e.Message);
    }

    [Fact]
    public void Load_GarbageBytes_SaysNotOnnx()
    {
        var path = Write("garbage.onnx", "this is not a protobuf model at all\n"u8.ToArray());
        var e = Assert.Throws<LpipsModelException>(() => OnnxLpipsModel.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("not a loadable ONNX model", e.Message);
    }

    [Fact]
    public void Load_OneInput_SaysHowManyInputs()
    {
        var path = Write("one.onnx", OnnxTestModels.MeanSquaredDifference(inputCount: 1));
        var e = Assert.Throws<LpipsModelException>(() => OnnxLpipsModel.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("1 input(s)", e.Message);
    }

    [Fact]
    public void Load_WrongRankOrBatch_IsRejected()
    {
        var rank3 = Write("rank3.onnx", OnnxTestModels.MeanSquaredDifference([null, 3, null]));
        Assert.Contains("rank 3", Assert.Throws<LpipsModelException>(() => OnnxLpipsModel.Load(rank3)).Message);
        var batch4 = Write("batch4.onnx", OnnxTestModels.MeanSquaredDifference([4, 3, null, null]));
        Assert.Contains("fixed batch size of 4", Assert.Throws<LpipsModelException>(() => OnnxLpipsModel.Load(batch4)).Message);
        var channels = Write("gray.onnx", OnnxTestModels.MeanSquaredDifference([null, 1, null, null]));
        Assert.Contains("1 channels", Assert.Throws<LpipsModelException>(() => OnnxLpipsModel.Load(channels)).Message);
    }

    [Fact]
    public void Speed_512x512Pair_IsReported()
    {
        using var model = MeanSquared();
        var a = Build(512, 512, 8, (f, x, y) => ((byte)(x + f), (byte)y, (byte)(x ^ y)));
        var b = Build(512, 512, 8, (f, x, y) => ((byte)(x + f), (byte)(y ^ 1), (byte)(x ^ y)));
        var suite = new MetricSuite();
        var with = new MetricOptions(Exact: true) { LpipsModel = model };
        var without = new MetricOptions(Exact: true);
        var prepared = suite.Prepare(a, with);
        suite.Measure(prepared, b, with);   // warm-up (session, caches)
        var sw = Stopwatch.StartNew();
        var r = suite.Measure(prepared, b, with);
        double withMs = sw.Elapsed.TotalMilliseconds;
        sw.Restart();
        suite.Measure(prepared, b, without);
        double withoutMs = sw.Elapsed.TotalMilliseconds;
        // G differs by exactly 1 (y vs y ^ 1) everywhere: (1 / 127.5)² / 3 per pair.
        Assert.Equal(1.0 / (127.5 * 127.5) / 3, r.Values["lpips"]!.Value, 1e-9);
        var tensor = new float[8 * 3 * 512 * 512];
        var distances = new float[8];
        sw.Restart();
        for (int i = 0; i < 5; i++) model.Distances(tensor, tensor, 8, 512, 512, distances);
        double ortMs = sw.Elapsed.TotalMilliseconds / 5 / 8;
        _output.WriteLine($"8 pairs 512×512, toy MSD model: suite with LPIPS {withMs:0} ms, without {withoutMs:0} ms → " +
                          $"≈ {(withMs - withoutMs) / 8:0.0} ms per pair for conversion + ONNX Runtime call; the call alone {ortMs:0.00} ms per pair");
    }
}
