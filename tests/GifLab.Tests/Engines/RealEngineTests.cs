using System.Diagnostics;
using System.Security.Cryptography;
using GifLab.Core.Decoding;
using GifLab.Core.Model;
using GifLab.Engines;
using GifLab.Validation;
using Xunit.Abstractions;

namespace GifLab.Tests.Engines;

/// <summary>Probes the installed engines once for all real-engine tests.</summary>
public sealed class RealEnginesFixture
{
    public RealEnginesFixture()
    {
        Settings = new EngineSettings { Timeout = TimeSpan.FromSeconds(60), UseEnvironment = false };
        Catalog = EngineCatalog.ProbeAsync(Settings, CancellationToken.None).GetAwaiter().GetResult();
    }

    public EngineSettings Settings { get; }
    public EngineCatalog Catalog { get; }

    public static SourceGif Load(string path)
    {
        var bytes = File.ReadAllBytes(path);
        return new SourceGif(path, Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.Length, GifDecoder.Decode(bytes));
    }
}

/// <summary>
/// One real run per available engine on small GIFs: the output must decode, be valid and keep frame count, every
/// delay and the loop count (frame tools: kept frames carry merged delays, total duration kept). Skips (with a message)
/// when a binary is absent.
/// </summary>
public class RealEngineTests(RealEnginesFixture fx, ITestOutputHelper output) : IClassFixture<RealEnginesFixture>
{
    private const string RedBlue = "animated-red-blue.gif";          // delays 100/200/300/400 ms, loop count 2
    private const string RedBlueOnce = "animated-red-blue-once.gif"; // same, no loop extension
    private const string DisposeBg = "dispose_bgnd.gif";             // 5 partial frames of 1 s, restore-to-background

    private bool Skip(params string[] tools)
    {
        foreach (var t in tools)
            if (!fx.Catalog.IsAvailable(t))
            {
                output.WriteLine($"SKIPPED: {t} unavailable: {fx.Catalog.Get(t).Reason}");
                return true;
            }
        return false;
    }

    private async Task<(ValidationResult Result, PipelineOutcome Outcome)> RunAsync(string file, string frame, string color, string lossy, ParamPreset preset)
    {
        using var tmp = TestEnvironment.NewTempDir();
        var source = RealEnginesFixture.Load(TestEnvironment.TestData(file));
        var pipeline = new PipelineId(frame, color, lossy);
        var clock = Stopwatch.StartNew();
        var outcome = await new PipelineExecutor(fx.Catalog, fx.Settings).ExecuteAsync(pipeline, preset, source, tmp.Path, CancellationToken.None);
        clock.Stop();
        var result = OutputValidator.Validate(outcome.OutputPath, source, pipeline, preset);
        output.WriteLine($"{pipeline} {preset} on {file}: {result.StatusName}, engine wall {outcome.EngineWallMs:0.0} ms, cpu {outcome.EngineCpuMs:0.0} ms, total {clock.Elapsed.TotalMilliseconds:0.0} ms, {new FileInfo(outcome.OutputPath).Length} bytes");
        foreach (var (k, v) in result.Checks) output.WriteLine($"  {k} = {v}");
        foreach (var inv in outcome.Invocations) output.WriteLine("  $ " + inv.CommandLine);
        Assert.True(Directory.EnumerateFileSystemEntries(tmp.Path).All(p => !Path.GetFileName(p).Contains("frames", StringComparison.Ordinal)), "scratch left behind");
        return (result, outcome);
    }

    private static void AssertTimingKept(ValidationResult r)
    {
        Assert.Equal(ValidationStatus.Valid, r.Status);
        Assert.Equal(true, r.Checks["frame_count_ok"]);
        Assert.Equal(true, r.Checks["delays_ok"]);
        Assert.Equal(true, r.Checks["duration_ok"]);
        Assert.Equal(true, r.Checks["loop_count_ok"]);
        Assert.Equal(true, r.Checks["timeline_ok"]);
    }

    [Theory(Timeout = 120_000)]
    [InlineData("gifsicle-lossy")]
    [InlineData("imagemagick-lossy")]
    [InlineData("ffmpeg-lossy")]
    [InlineData("gifski-lossy")]
    public async Task LossyEngine_KeepsDelaysAndLoopCount(string lossy)
    {
        if (Skip(lossy)) return;
        foreach (var file in new[] { RedBlue, RedBlueOnce })
        {
            var (r, o) = await RunAsync(file, "none-frame", "none-color", lossy, new ParamPreset(60, 256, 1.0));
            AssertTimingKept(r);
            Assert.True(o.EngineWallMs > 0);
        }
    }

    [Theory(Timeout = 120_000)]
    [InlineData("gifsicle-color")]
    [InlineData("imagemagick-color")]
    [InlineData("imagemagick-color-floyd")]
    [InlineData("imagemagick-color-riemersma")]
    [InlineData("ffmpeg-color")]
    [InlineData("ffmpeg-color-bayer0")]
    [InlineData("ffmpeg-color-bayer1")]
    [InlineData("ffmpeg-color-bayer2")]
    [InlineData("ffmpeg-color-bayer3")]
    [InlineData("ffmpeg-color-bayer4")]
    [InlineData("ffmpeg-color-bayer5")]
    [InlineData("ffmpeg-color-floyd")]
    [InlineData("ffmpeg-color-heckbert")]
    [InlineData("ffmpeg-color-sierra2")]
    [InlineData("ffmpeg-color-sierra2-4a")]
    [InlineData("ffmpeg-color-sierra3")]
    [InlineData("ffmpeg-color-burkes")]
    [InlineData("ffmpeg-color-atkinson")]
    public async Task ColorTool_ReducesColoursAndKeepsTiming(string color)
    {
        if (Skip(color)) return;
        var (r, _) = await RunAsync(RedBlue, "none-frame", color, "none-lossy", new ParamPreset(0, 16, 1.0));
        AssertTimingKept(r);
        Assert.Equal(true, r.Checks["colors_ok"]);
    }

    [Theory(Timeout = 120_000)]
    [InlineData("gifsicle-frame")]
    [InlineData("imagemagick-frame")]
    [InlineData("ffmpeg-frame")]
    public async Task FrameTool_ReallyDropsFrames_MergesDelays_KeepsDuration(string frame)
    {
        if (Skip(frame)) return;
        foreach (var file in new[] { RedBlue, DisposeBg })
        {
            var source = RealEnginesFixture.Load(TestEnvironment.TestData(file));
            var (r, _) = await RunAsync(file, frame, "none-color", "none-lossy", new ParamPreset(0, 256, 0.5));
            AssertTimingKept(r);
            Assert.Equal(source.Frames.FrameCount / 2, (int)r.Checks["frame_count"]!);
            Assert.Equal(source.Frames.DurationMs, (int)r.Checks["duration_ms"]!);
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task FrameReducedOutput_ShowsTheCompositedSourceFrames()
    {
        // dispose_bgnd.gif is made of partial frames: picking frames without unoptimising (the reference's bug) loses content.
        if (Skip("gifsicle-frame")) return;
        var source = RealEnginesFixture.Load(TestEnvironment.TestData(DisposeBg));
        using var tmp = TestEnvironment.NewTempDir();
        var outcome = await new PipelineExecutor(fx.Catalog, fx.Settings).ExecuteAsync(
            new PipelineId("gifsicle-frame", "none-color", "none-lossy"), new ParamPreset(0, 256, 0.5), source, tmp.Path, CancellationToken.None);
        var decoded = GifDecoder.Decode(File.ReadAllBytes(outcome.OutputPath));
        var kept = FrameSelection.KeptIndices(source.Frames.FrameCount, 0.5);
        // Visible source pixels must match exactly. Where restore-to-background left the canvas transparent, gifsicle
        // --unoptimize paints the background colour instead (the GIF89a §23 ambiguity), so those are not compared.
        for (var i = 0; i < kept.Length; i++)
        {
            var expected = source.Frames.Frames[kept[i]].Rgba;
            var actual = decoded.Frames[i].Rgba;
            var compared = 0;
            for (var p = 0; p < expected.Length; p += 4)
            {
                if (expected[p + 3] != 255) continue;
                compared++;
                Assert.True(expected.AsSpan(p, 4).SequenceEqual(actual.AsSpan(p, 4)), $"frame {i} pixel {p / 4} differs");
            }
            Assert.True(compared > expected.Length / 8, "too few visible pixels compared");
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task SingleFrameAndZeroDelays_SurviveGifskiAndFfmpeg()
    {
        // A still image (one frame, delay 0) and a 0-delay frame: gifski refuses one image and FFmpeg's demuxer turns
        // 0 cs into a default; both come out with the source delays.
        using var tmp = TestEnvironment.NewTempDir();
        var status = fx.Catalog.Get("gifsicle-lossy");
        if (Skip("gifsicle-lossy")) return;
        var still = tmp.File("still.gif");
        await new ToolRunner(fx.Settings).RunCheckedAsync(new ToolInvocation(status.BinaryPath!, [TestEnvironment.TestData(RedBlue), "#1", "--delay=0", "--no-loopcount", "--output", still]), "gifsicle");
        var zero = tmp.File("zero.gif");
        await new ToolRunner(fx.Settings).RunCheckedAsync(new ToolInvocation(status.BinaryPath!, ["--delay=0", TestEnvironment.TestData(RedBlue), "#0", "--delay=20", TestEnvironment.TestData(RedBlue), "#1", "#2", "--delay=0", TestEnvironment.TestData(RedBlue), "#3", "--output", zero]), "gifsicle");
        foreach (var lossy in new[] { "gifski-lossy", "ffmpeg-lossy" })
        {
            if (Skip(lossy)) continue;
            foreach (var file in new[] { still, zero })
            {
                var source = RealEnginesFixture.Load(file);
                using var work = TestEnvironment.NewTempDir();
                var pipeline = new PipelineId("none-frame", "none-color", lossy);
                var preset = new ParamPreset(30, 256, 1.0);
                var outcome = await new PipelineExecutor(fx.Catalog, fx.Settings).ExecuteAsync(pipeline, preset, source, work.Path, CancellationToken.None);
                var r = OutputValidator.Validate(outcome.OutputPath, source, pipeline, preset);
                output.WriteLine($"{lossy} on {Path.GetFileName(file)}: " + string.Join(", ", r.Checks.Select(kv => $"{kv.Key}={kv.Value}")));
                AssertTimingKept(r);
            }
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task MergedFrames_FromGifsicle_FlowIntoTheNextStep_TimelineKept()
    {
        // gifsicle-frame keeps #0 #2 #4 #6 #8; #4, #6, #8 are identical and its optimiser merges them (5 → 3 frames).
        foreach (var lossy in new[] { "ffmpeg-lossy", "gifski-lossy", "imagemagick-lossy" })
        {
            if (Skip("gifsicle-frame", lossy)) continue;
            var (r, _) = await RunAsync("dispose_bgnd_transparency.gif", "gifsicle-frame", "none-color", lossy, new ParamPreset(20, 256, 0.5));
            Assert.Equal(ValidationStatus.Valid, r.Status);
            Assert.Equal(true, r.Checks["timeline_ok"]);
            Assert.Equal(true, r.Checks["duration_ok"]);
            Assert.Equal(true, r.Checks["loop_count_ok"]);
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task ChainedPipeline_ColourThenGifski_DecodesIntermediateForPngs()
    {
        if (Skip("gifsicle-color", "gifski-lossy")) return;
        var (r, o) = await RunAsync(RedBlue, "none-frame", "gifsicle-color", "gifski-lossy", new ParamPreset(30, 64, 1.0));
        AssertTimingKept(r);
        Assert.Equal(2, o.Invocations.Count);
    }

    [Fact(Timeout = 120_000)]
    public async Task FullChain_FrameColourLossy_AcrossFamilies()
    {
        if (Skip("ffmpeg-frame", "imagemagick-color", "gifsicle-lossy")) return;
        var (r, o) = await RunAsync(RedBlueOnce, "ffmpeg-frame", "imagemagick-color", "gifsicle-lossy", new ParamPreset(50, 32, 0.5));
        AssertTimingKept(r);
        Assert.Equal(2, (int)r.Checks["frame_count"]!);
        Assert.Equal(3, o.Invocations.Count);
    }

    [Fact(Timeout = 120_000)]
    public async Task Gifsicle_HostileFileNames_Work()
    {
        if (Skip("gifsicle-lossy")) return;
        using var tmp = TestEnvironment.NewTempDir(" dir 'q\" ü");
        var hostileIn = tmp.File("-o x 'quo\"te'\nline ü.gif");
        var hostileOut = tmp.File("--output=evil.gif");
        File.Copy(TestEnvironment.TestData(RedBlue), hostileIn);
        var source = RealEnginesFixture.Load(hostileIn);
        var status = fx.Catalog.Get("gifsicle-lossy");
        var plan = ToolCommands.Plan(ToolRegistry.Get("gifsicle-lossy"), new StepRequest(status.BinaryPath!, hostileIn, hostileOut, tmp.File("_s_"), 40, 256, 1.0, Timeline.Of(source.Frames)));
        await new ToolRunner(fx.Settings).RunCheckedAsync(plan.Invocations[0], "gifsicle-lossy", tmp.Path);
        Assert.True(File.Exists(hostileOut));
        Assert.Equal(4, GifDecoder.Decode(File.ReadAllBytes(hostileOut)).FrameCount);
        Assert.False(File.Exists(Path.Combine(tmp.Path, "x")), "'-o x' was parsed as an option");

        // Through the executor too, for every available family (the executor copies names ImageMagick/FFmpeg would misread).
        foreach (var lossy in new[] { "gifsicle-lossy", "imagemagick-lossy", "ffmpeg-lossy", "gifski-lossy" })
        {
            if (!fx.Catalog.IsAvailable(lossy)) continue;
            using var work = TestEnvironment.NewTempDir();
            var preset = new ParamPreset(20, 256, 1.0);
            var pipeline = new PipelineId("none-frame", "none-color", lossy);
            var outcome = await new PipelineExecutor(fx.Catalog, fx.Settings).ExecuteAsync(pipeline, preset, source, work.Path, CancellationToken.None);
            Assert.Equal(ValidationStatus.Valid, OutputValidator.Validate(outcome.OutputPath, source, pipeline, preset).Status);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task UnavailableTool_ThrowsToolUnavailable()
    {
        var catalog = await EngineCatalog.ProbeAsync(new EngineSettings { SearchPath = "/nonexistent", UseEnvironment = false }, CancellationToken.None);
        var source = RealEnginesFixture.Load(TestEnvironment.TestData(RedBlue));
        using var tmp = TestEnvironment.NewTempDir();
        var e = await Assert.ThrowsAsync<ToolUnavailableException>(() => new PipelineExecutor(catalog, fx.Settings).ExecuteAsync(
            new PipelineId("none-frame", "none-color", "gifsicle-lossy"), new ParamPreset(10, 256, 1), source, tmp.Path, CancellationToken.None));
        Assert.Equal("gifsicle-lossy", e.ToolName);
        // The no-op pipeline needs no binary.
        var copy = await new PipelineExecutor(catalog, fx.Settings).ExecuteAsync(
            new PipelineId("gifsicle-frame", "none-color", "none-lossy"), new ParamPreset(10, 256, 1), source, tmp.Path, CancellationToken.None);
        Assert.Equal(File.ReadAllBytes(source.Path), File.ReadAllBytes(copy.OutputPath));
    }
}
