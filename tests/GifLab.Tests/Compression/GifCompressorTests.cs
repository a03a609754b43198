using GifLab.Compression;
using GifLab.Core.Curves;
using GifLab.Core.Decoding;
using GifLab.Core.Metrics;
using GifLab.Core.Model;
using GifLab.Engines;
using GifLab.Modeling;
using GifLab.Tests.Engines;

namespace GifLab.Tests.Compression;

/// <summary>Probes the installed engines once for the compressor tests.</summary>
public sealed class CompressorFixture : IDisposable
{
    public CompressorFixture() =>
        Compressor = GifCompressor.CreateAsync(new EngineSettings { Timeout = TimeSpan.FromSeconds(60), UseEnvironment = false }).GetAwaiter().GetResult();

    public GifCompressor Compressor { get; }

    public void Dispose() => Compressor.Dispose();
}

/// <summary>
/// <see cref="GifCompressor"/> with the real engines (gifsicle and ImageMagick are installed by scripts/setup-deps.sh; a
/// test returns early with nothing checked when its engine is absent). Each guarantee is checked on the written file
/// itself, independently of what the compressor reports.
/// </summary>
public sealed class GifCompressorTests(CompressorFixture fx) : IClassFixture<CompressorFixture>
{
    private static string Sample(string name) => Path.Combine(TestEnvironment.RepoRoot, "samples", name);

    [Fact]
    public async Task CompressToQuality_WritesASmallerGifMeetingTheFloor_KeepingFramesDelaysAndLoop()
    {
        if (!fx.Compressor.IsAvailable(Engine.Gifsicle)) return;
        using var dir = new TempDir();
        var input = Sample("waves.gif");
        var before = await File.ReadAllBytesAsync(input);
        var output = dir.File("out/waves.gif");
        var floor = QualityFloor.Create("ssimulacra2", 70);

        var r = await fx.Compressor.CompressToQualityAsync(input, output, new FloorOptions(floor) { MaxTries = 6, UseModels = false });

        Assert.False(r.Copied, r.Reason);
        Assert.InRange(r.Tries, 1, 6);
        var written = await File.ReadAllBytesAsync(output);
        Assert.Equal(r.OutputBytes, written.LongLength);
        Assert.True(written.Length < before.Length);
        Assert.Equal(before, await File.ReadAllBytesAsync(input)); // input untouched
        var src = GifDecoder.Decode(before);
        var outFrames = GifDecoder.Decode(written);
        Assert.Equal(src.FrameCount, outFrames.FrameCount);
        Assert.Equal(src.Frames.Select(f => f.DelayMs), outFrames.Frames.Select(f => f.DelayMs));
        Assert.Equal(src.Info.LoopCount, outFrames.Info.LoopCount);
        // Re-measure the written file with the suite `run` uses.
        var suite = new MetricSuite();
        var measured = suite.Measure(suite.Prepare(src), outFrames, MetricOptions.Default).Values["ssimulacra2"];
        Assert.NotNull(measured);
        Assert.True(measured >= 70, $"ssimulacra2 {measured}");
        Assert.Equal(r.Chosen!.Quality!.Value, measured!.Value, 9);
        Assert.Single(Directory.GetFiles(dir.File("out"))); // no temp file left behind
    }

    [Fact]
    public async Task CompressToQuality_UnreachableFloor_CopiesTheInputUnchanged_WithAReason()
    {
        if (!fx.Compressor.IsAvailable(Engine.ImageMagick)) return;
        using var dir = new TempDir();
        var input = Sample("waves.gif");
        var output = dir.File("waves.gif");
        var options = new FloorOptions(QualityFloor.Create("ssimulacra2", 99.9)) { MaxTries = 1, Engines = [Engine.ImageMagick], UseModels = false };

        var r = await fx.Compressor.CompressToQualityAsync(input, output, options);

        Assert.True(r.Copied);
        Assert.Equal(1, r.Tries);
        Assert.Contains("no output reached ssimulacra2 ≥ 99.9", r.Reason);
        Assert.Equal(await File.ReadAllBytesAsync(input), await File.ReadAllBytesAsync(output));
    }

    [Fact]
    public async Task Compress_OneSetting_WritesTheValidatedOutput_AndMeasuresIt()
    {
        if (!fx.Compressor.IsAvailable(Engine.Gifsicle)) return;
        using var dir = new TempDir();
        var input = TestEnvironment.TestData("animated-red-blue.gif"); // loop count 2, delays 100–400 ms
        var output = dir.File("o.gif");
        var a = await fx.Compressor.CompressAsync(input, output, new EngineSetting(Engine.Gifsicle, 30, 64), QualityFloor.Create("ssim", null));
        Assert.True(a.IsValid, a.Rejection);
        Assert.Equal(new FileInfo(output).Length, a.OutputBytes);
        Assert.Equal(a.Metrics!.Values["ssim"], a.Quality);
        Assert.Equal(GifDecoder.Decode(File.ReadAllBytes(input)).Info.LoopCount, GifDecoder.Decode(File.ReadAllBytes(output)).Info.LoopCount);
    }

    [Fact]
    public async Task OutputSameAsInput_IsRefused()
    {
        using var dir = new TempDir();
        var input = dir.File("a.gif");
        File.Copy(Sample("muybridge.gif"), input);
        var before = await File.ReadAllBytesAsync(input);
        await Assert.ThrowsAsync<ArgumentException>(() =>
            fx.Compressor.CompressToQualityAsync(input, Path.Combine(dir.Path, ".", "a.gif"), new FloorOptions(QualityFloor.Create(null, null))));
        Assert.Equal(before, await File.ReadAllBytesAsync(input));
    }

    [Fact]
    public async Task CorruptGif_ThrowsGifFormatException_AndWritesNothing()
    {
        if (fx.Compressor.AvailableEngines.Count == 0) return;
        using var dir = new TempDir();
        var input = dir.File("bad.gif");
        await File.WriteAllBytesAsync(input, "GIF89a\x01\x00"u8.ToArray());
        await Assert.ThrowsAsync<GifFormatException>(() =>
            fx.Compressor.CompressToQualityAsync(input, dir.File("out.gif"), new FloorOptions(QualityFloor.Create(null, null))));
        Assert.False(File.Exists(dir.File("out.gif")));
    }

    [Fact]
    public void PredictedStarts_RankEnginesByPredictedSizeAtTheFloor()
    {
        static CurvePrediction Curve(Engine e, Func<int, double> composite, Func<int, double> size) =>
            new(e, CurveType.Lossy, ParamPreset.DefaultLossyLevels.Select(l => new PredictedPoint(l, size(l), 1, composite(l), null)).ToList(),
                new Dictionary<PredictionTarget, ModelStructure>(), null, "test");
        var predictions = new[]
        {
            Curve(Engine.Gifsicle, l => 1 - 0.002 * l, l => 1000 - 5 * l),   // meets 0.9 up to L = 50 → 750 bytes
            Curve(Engine.ImageMagick, l => 0.99 - 0.0005 * l, l => 900 - 4 * l), // meets it up to 100 → 500 bytes
            Curve(Engine.Ffmpeg, _ => 0.5, _ => 10),                            // never meets it
        };
        var starts = GifCompressor.PredictedStarts(predictions, [Engine.Gifsicle, Engine.ImageMagick, Engine.Ffmpeg], QualityFloor.Create("composite_score", 0.9));
        Assert.Equal([new EngineSetting(Engine.ImageMagick, 100), new EngineSetting(Engine.Gifsicle, 50)], starts);
        // A metric without a model (ssimulacra2) ranks by the composite proxy.
        var proxy = GifCompressor.PredictedStarts(predictions, [Engine.Gifsicle, Engine.Ffmpeg], QualityFloor.Create("ssimulacra2", 70));
        Assert.Equal([new EngineSetting(Engine.Gifsicle, 50), new EngineSetting(Engine.Ffmpeg, 0)], proxy);
    }
}
