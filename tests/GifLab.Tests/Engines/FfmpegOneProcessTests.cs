using GifLab.Core.Decoding;
using GifLab.Engines;
using Xunit.Abstractions;

namespace GifLab.Tests.Engines;

/// <summary>
/// FFmpeg's palette step runs in one process for small inputs (<see cref="FfmpegFamily.OneProcessMaxDecodedBytes"/>)
/// and in two above: both forms must write byte-identical GIFs with the installed ffmpeg, or the choice would change
/// stored outputs. Real ffmpeg on committed GIFs (animated, transparent, partial frames, a still); skips with a
/// message when ffmpeg is absent.
/// </summary>
public sealed class FfmpegOneProcessTests(RealEnginesFixture fx, ITestOutputHelper output) : IClassFixture<RealEnginesFixture>
{
    public static TheoryData<string, int, string> Cases => new()
    {
        { "engines/animated-red-blue.gif", 16, "sierra2_4a" },
        { "engines/dispose_bgnd.gif", 84, "sierra2_4a" },
        { "../samples/waves.gif", 256, "sierra2_4a" },
        { "../samples/muybridge.gif", 37, "sierra2_4a" },
        { "../samples/dispose_bgnd_transparency.gif", 64, "none" },
        { "../samples/muybridge.gif", 64, "floyd_steinberg" },
        { "../samples/waves.gif", 16, "bayer:bayer_scale=2" },
        { "gifs/giflab/transparency_bearing_monotonicity.gif", 128, "heckbert" },
    };

    [Theory(Timeout = 120_000)]
    [MemberData(nameof(Cases))]
    public async Task OneProcessAndTwoProcesses_WriteTheSameBytes(string file, int colors, string dither)
    {
        if (!fx.Catalog.IsAvailable("ffmpeg-lossy"))
        {
            output.WriteLine($"SKIPPED: ffmpeg unavailable: {fx.Catalog.Get("ffmpeg-lossy").Reason}");
            return;
        }
        var path = Path.GetFullPath(Path.Combine(TestEnvironment.RepoRoot, "testdata", file));
        var source = RealEnginesFixture.Load(path);
        var frames = source.Frames;
        var timeline = Timeline.Of(frames);
        using var tmp = TestEnvironment.NewTempDir();
        var bytes = new List<byte[]>();
        foreach (var one in new[] { true, false })
        {
            var outPath = tmp.File(one ? "one.gif" : "two.gif");
            var request = new StepRequest(fx.Catalog.Get("ffmpeg-lossy").BinaryPath!, path, outPath, tmp.File(one ? "one_" : "two_"),
                                          0, colors, 1.0, timeline) { Capabilities = fx.Catalog.Family("ffmpeg")!.Capabilities };
            var plan = FfmpegFamily.PaletteStep(request, colors, dither, one);
            Assert.Equal(one ? 1 : 2, plan.Invocations.Count);
            foreach (var invocation in plan.Invocations)
                await new ToolRunner(fx.Settings).RunCheckedAsync(invocation, "ffmpeg");
            bytes.Add(File.ReadAllBytes(outPath));
            output.WriteLine($"{(one ? "one process" : "two processes")}: {bytes[^1].Length} bytes");
        }
        Assert.True(bytes[0].AsSpan().SequenceEqual(bytes[1]), $"{file} at {colors} colours, dither {dither}: outputs differ");
        Assert.Equal(frames.FrameCount, GifDecoder.Decode(bytes[0]).FrameCount);
    }
}
