using System.Text.Json;
using GifLab.Core.Model;
using GifLab.Engines;

namespace GifLab.Tests.Engines;

/// <summary>Pure argument lists for all 37 tools: no binary involved.</summary>
public class ToolCommandTests
{
    // 4 frames of 100/200/300/400 ms, loop count 2, 64×48; lossy 40, 64 colours, frame ratio 0.5 (keeps #0 and #2).
    private static readonly StepRequest Request = new("BIN", "/w/in.gif", "/w/out.gif", "/w/_step1_", 40, 64, 0.5,
        new Timeline([100, 200, 300, 400], 2, 64, 48));

    private const string FfGen = "-hide_banner -nostdin -y -v error -min_delay 1 -default_delay 0 -i file:/w/in.gif -vf palettegen=max_colors={0} -frames:v 1 -update 1 -f image2 file:/w/_step1_palette.png";
    private const string FfUse = "-hide_banner -nostdin -y -v error -min_delay 1 -default_delay 0 -i file:/w/in.gif -i file:/w/_step1_palette.png -filter_complex [0:v][1:v]paletteuse=dither={0} -fps_mode passthrough -enc_time_base 1/100 -loop 2 -final_delay 40 -f gif file:/w/out.gif";

    private const string FfOne = "-hide_banner -nostdin -y -v error -min_delay 1 -default_delay 0 -i file:/w/in.gif -filter_complex [0:v]split[a][b];[a]palettegen=max_colors={0}[p];[b][p]paletteuse=dither={1} -fps_mode passthrough -enc_time_base 1/100 -loop 2 -final_delay 40 -f gif file:/w/out.gif";

    /// <summary>The request's 64×48×4 input is small: both passes in one ffmpeg process.</summary>
    private static string Ff(int colors, string dither) => string.Format(FfOne, colors, dither);

    /// <summary>An input over <see cref="FfmpegFamily.OneProcessMaxDecodedBytes"/>: palettegen, then paletteuse.</summary>
    private static string FfTwo(int colors, string dither) => string.Format(FfGen, colors) + " || " + string.Format(FfUse, dither);

    public static readonly Dictionary<string, string> Expected = new()
    {
        ["none-frame"] = "",
        ["none-color"] = "",
        ["none-lossy"] = "",
        ["gifsicle-frame"] = "--unoptimize --delay=30 /w/in.gif #0 --delay=70 /w/in.gif #2 --optimize --output /w/out.gif",
        ["gifsicle-color"] = "--optimize --colors 64 --no-dither /w/in.gif --output /w/out.gif",
        ["gifsicle-lossy"] = "--optimize --lossy=120 /w/in.gif --output /w/out.gif",
        ["gifsicle-lossy-basic"] = "--lossy=120 /w/in.gif --output /w/out.gif",
        ["gifsicle-lossy-O1"] = "-O1 --lossy=120 /w/in.gif --output /w/out.gif",
        ["gifsicle-lossy-O2"] = "-O2 --lossy=120 /w/in.gif --output /w/out.gif",
        ["gifsicle-lossy-O3"] = "-O3 --lossy=120 /w/in.gif --output /w/out.gif",
        ["animately-frame"] = "--input /w/in.gif --output /w/out.gif --reduce 0.50 --delay 500 --loops 2",
        ["animately-color"] = "--input /w/in.gif --output /w/out.gif --colors 64 --loops 2",
        ["animately-standard"] = "--input /w/in.gif --output /w/out.gif --lossy 40 --loops 2",
        ["animately-hard"] = "--input /w/in.gif --output /w/out.gif --hard --lossy 40 --loops 2",
        ["animately-advanced"] = "--input /w/in.gif --output /w/out.gif --advanced-lossy /w/_step1_animately_config.json --loops 2",
        ["imagemagick-frame"] = "gif:/w/in.gif -coalesce -delete 1,3 -set delay %[fx:t==1?70:30] -layers OptimizeFrame gif:/w/out.gif",
        ["imagemagick-color"] = "gif:/w/in.gif -coalesce +dither -colors 64 -layers OptimizeFrame gif:/w/out.gif",
        ["imagemagick-color-floyd"] = "gif:/w/in.gif -coalesce -dither FloydSteinberg -colors 64 -layers OptimizeFrame gif:/w/out.gif",
        ["imagemagick-color-riemersma"] = "gif:/w/in.gif -coalesce -dither Riemersma -colors 64 -layers OptimizeFrame gif:/w/out.gif",
        ["imagemagick-lossy"] = "gif:/w/in.gif -coalesce -dither Riemersma -colors 84 -layers OptimizeFrame gif:/w/out.gif",
        ["ffmpeg-frame"] = "-hide_banner -nostdin -y -v error -min_delay 1 -default_delay 0 -i file:/w/in.gif -filter_complex [0:v]select='eq(n,0)+eq(n,2)',split[a][b];[a]palettegen=stats_mode=full[p];[b][p]paletteuse=dither=none -fps_mode passthrough -enc_time_base 1/100 -loop 2 -final_delay 70 -f gif file:/w/out.gif",
        ["ffmpeg-color"] = Ff(64, "none"),
        ["ffmpeg-color-atkinson"] = Ff(64, "atkinson"),
        ["ffmpeg-color-bayer0"] = Ff(64, "bayer:bayer_scale=0"),
        ["ffmpeg-color-bayer1"] = Ff(64, "bayer:bayer_scale=1"),
        ["ffmpeg-color-bayer2"] = Ff(64, "bayer:bayer_scale=2"),
        ["ffmpeg-color-bayer3"] = Ff(64, "bayer:bayer_scale=3"),
        ["ffmpeg-color-bayer4"] = Ff(64, "bayer:bayer_scale=4"),
        ["ffmpeg-color-bayer5"] = Ff(64, "bayer:bayer_scale=5"),
        ["ffmpeg-color-burkes"] = Ff(64, "burkes"),
        ["ffmpeg-color-floyd"] = Ff(64, "floyd_steinberg"),
        ["ffmpeg-color-heckbert"] = Ff(64, "heckbert"),
        ["ffmpeg-color-sierra2"] = Ff(64, "sierra2"),
        ["ffmpeg-color-sierra2-4a"] = Ff(64, "sierra2_4a"),
        ["ffmpeg-color-sierra3"] = Ff(64, "sierra3"),
        // q = 1 + round(30·40/100) = 13 → palette N(100·12/30 = 40) = 84.
        ["ffmpeg-lossy"] = Ff(84, "sierra2_4a"),
        ["gifski-lossy"] = "--quiet --quality 60 --fps 100 --repeat 2 --no-sort -W 64 -H 48 -o /w/out.gif "
            + "/w/_step1_frames/frame_00000.png /w/_step1_frames/frame_00001.png /w/_step1_frames/frame_00002.png /w/_step1_frames/frame_00003.png",
    };

    public static IEnumerable<object[]> AllTools() => ToolRegistry.All.Select(t => new object[] { t.Name });

    [Fact]
    public void Registry_Has37Tools_5Frame_20Colour_12Lossy_AndEveryOneHasAnExpectation()
    {
        Assert.Equal(37, ToolRegistry.All.Count);
        Assert.Equal(5, ToolRegistry.InCategory(ToolCategory.FrameReduction).Count());
        Assert.Equal(20, ToolRegistry.InCategory(ToolCategory.ColorReduction).Count());
        Assert.Equal(12, ToolRegistry.InCategory(ToolCategory.LossyCompression).Count());
        Assert.Equal(ToolRegistry.All.Select(t => t.Name).Order(), Expected.Keys.Order());
        Assert.All(ToolRegistry.All, t => Assert.False(string.IsNullOrWhiteSpace(t.Description)));
    }

    [Theory]
    [MemberData(nameof(AllTools))]
    public void Plan_ProducesTheExactArgumentList(string toolName)
    {
        var plan = ToolCommands.Plan(ToolRegistry.Get(toolName), Request);
        var rendered = string.Join(" || ", plan.Invocations.Select(i => string.Join(' ', i.Arguments)));
        Assert.Equal(Expected[toolName], rendered);
        Assert.All(plan.Invocations, i => Assert.Equal("BIN", i.Executable));
        Assert.Equal(ToolRegistry.Get(toolName).IsNoOp, plan.CopyInput);
    }

    [Theory]
    [MemberData(nameof(AllTools))]
    public void Plan_EveryTemporaryFileLivesUnderTheScratchPrefix(string toolName)
    {
        var plan = ToolCommands.Plan(ToolRegistry.Get(toolName), Request);
        Assert.All(plan.Scratch, s => Assert.StartsWith("/w/_step1_", s));
        Assert.All(plan.PngFrames, p => Assert.StartsWith("/w/_step1_", p.Path));
        Assert.All(plan.TextFiles, p => Assert.StartsWith("/w/_step1_", p.Path));
    }

    [Theory]
    [InlineData("gifsicle-frame")]
    [InlineData("imagemagick-frame")]
    [InlineData("ffmpeg-frame")]
    public void FrameTools_KeepTotalDuration(string toolName)
    {
        var plan = ToolCommands.Plan(ToolRegistry.Get(toolName), Request);
        Assert.Equal([300, 700], plan.Output.DelaysMs);
        Assert.Equal(Request.Input.DurationMs, plan.Output.DurationMs);
        Assert.Equal(2, plan.Output.LoopCount);
    }

    [Fact]
    public void AnimatelyAdvanced_WritesConfigWithPngFramesAndExactDelays()
    {
        var plan = ToolCommands.Plan(ToolRegistry.Get("animately-advanced"), Request);
        Assert.Equal(4, plan.PngFrames.Count);
        var json = JsonDocument.Parse(Assert.Single(plan.TextFiles).Content).RootElement;
        Assert.Equal(40, json.GetProperty("lossy").GetInt32());
        var frames = json.GetProperty("frames").EnumerateArray().ToList();
        Assert.Equal([100, 200, 300, 400], frames.Select(f => f.GetProperty("delay").GetInt32()));
        Assert.Equal("/w/_step1_frames/frame_00000.png", frames[0].GetProperty("png").GetString());
    }

    [Fact]
    public void LevelZero_OmitsLossyFlags_AndPlayOnceOmitsLoopFlags()
    {
        var r = Request with { LossyLevel = 0, ColorCount = 256, Input = Request.Input with { LoopCount = -1 } };
        string Args(string tool) => string.Join(' ', ToolCommands.Plan(ToolRegistry.Get(tool), r).Invocations[^1].Arguments);
        Assert.Equal("--optimize /w/in.gif --output /w/out.gif", Args("gifsicle-lossy"));
        Assert.Equal("--optimize /w/in.gif --output /w/out.gif", Args("gifsicle-color"));
        Assert.Equal("--input /w/in.gif --output /w/out.gif", Args("animately-standard"));
        Assert.Equal("--input /w/in.gif --output /w/out.gif", Args("animately-hard")); // never "--hard --lossy 0" (empty output)
        Assert.Equal("--input /w/in.gif --output /w/out.gif", Args("animately-color"));
        Assert.Equal("gif:/w/in.gif gif:/w/out.gif", Args("imagemagick-lossy"));
        Assert.Contains("-loop -1", Args("ffmpeg-lossy"));
        Assert.Contains("--repeat -1", Args("gifski-lossy"));
        Assert.Contains("palettegen=max_colors=256", string.Join(' ', ToolCommands.Plan(ToolRegistry.Get("ffmpeg-lossy"), r).Invocations[0].Arguments));
        Assert.Single(ToolCommands.Plan(ToolRegistry.Get("ffmpeg-lossy"), r).Invocations);
    }

    [Fact]
    public void HostilePaths_AreNeverOptionLike()
    {
        var r = Request with { InputPath = "/w/-o evil.gif", OutputPath = "/w/--output.gif" };
        foreach (var tool in ToolRegistry.All.Where(t => !t.IsNoOp))
            foreach (var inv in ToolCommands.Plan(tool, r).Invocations)
                foreach (var a in inv.Arguments.Where(a => a.Contains("evil", StringComparison.Ordinal) || a.Contains("--output.gif", StringComparison.Ordinal)))
                    Assert.False(a.StartsWith('-'), $"{tool.Name}: argument '{a}' starts with '-'");
    }

    [Fact]
    public void Gifski_SingleFrame_IsListedTwice_AndDelaysAreRestoredByMergedListings()
    {
        var plan = ToolCommands.Plan(ToolRegistry.Get("gifski-lossy"), Request with { Input = new Timeline([70], -1, 8, 8) });
        Assert.Equal([0, 0], plan.Listing);
        Assert.Equal(DelayRestoreMode.MergedListings, plan.DelayRestore);
        Assert.Equal(2, plan.Invocations[0].Arguments.Count(a => a.EndsWith("frame_00000.png", StringComparison.Ordinal)));
    }

    [Fact]
    public void Ffmpeg_LargeInput_RunsPalettegenAndPaletteuseAsTwoProcesses()
    {
        // 2048×2048×4 frames × 4 B = 64 MiB: the largest input still run in one process; one more frame makes it two.
        var atLimit = Request with { Input = new Timeline([100, 200, 300, 400], 2, 2048, 2048) };
        var over = Request with { Input = new Timeline([100, 200, 300, 400, 400], 2, 2048, 2048) };
        Assert.Single(ToolCommands.Plan(ToolRegistry.Get("ffmpeg-lossy"), atLimit).Invocations);
        foreach (var (tool, colors, dither) in new[] { ("ffmpeg-lossy", 84, "sierra2_4a"), ("ffmpeg-color", 64, "none"), ("ffmpeg-color-bayer2", 64, "bayer:bayer_scale=2") })
        {
            var plan = ToolCommands.Plan(ToolRegistry.Get(tool), over);
            Assert.Equal(2, plan.Invocations.Count);
            Assert.Equal(FfTwo(colors, dither),
                         string.Join(" || ", plan.Invocations.Select(i => string.Join(' ', i.Arguments))));
            Assert.Equal(["/w/_step1_palette.png"], plan.Scratch);
        }
    }

    [Fact]
    public void Ffmpeg_WithoutFinalDelayCapability_OmitsFinalDelay()
    {
        string Args(StepRequest r) => string.Join(' ', ToolCommands.Plan(ToolRegistry.Get("ffmpeg-lossy"), r).Invocations[^1].Arguments);
        Assert.Contains("-final_delay 40", Args(Request));
        Assert.Contains("-final_delay 40", Args(Request with { Capabilities = new Dictionary<string, string> { ["gif.final_delay"] = "yes" } }));
        Assert.DoesNotContain("-final_delay", Args(Request with { Capabilities = new Dictionary<string, string> { ["gif.final_delay"] = "no" } }));
    }

    [Fact]
    public void FfmpegFrame_ManyFrames_UsesAFilterScriptFile()
    {
        var delays = Enumerable.Repeat(40, 6000).ToArray();
        var plan = ToolCommands.Plan(ToolRegistry.Get("ffmpeg-frame"), Request with { Input = new Timeline(delays, 0, 64, 48) });
        var args = plan.Invocations[0].Arguments;
        var i = args.ToList().IndexOf("-filter_complex_script");
        Assert.True(i > 0);
        Assert.Equal("/w/_step1_filter_graph.txt", args[i + 1]);
        var script = Assert.Single(plan.TextFiles);
        Assert.Contains("eq(n,5998)", script.Content);
        Assert.All(args, a => Assert.True(a.Length < 1024));
        Assert.Equal(3000, plan.Output.FrameCount);
        Assert.Contains("/w/_step1_filter_graph.txt", plan.Scratch);
    }

    [Fact]
    public void ImageMagick_Helpers()
    {
        Assert.Equal("1,3-5,9", ImageMagickFamily.Ranges([1, 3, 4, 5, 9]));
        Assert.Equal("10", ImageMagickFamily.DelayExpression([100, 100, 100]));
        Assert.Equal("%[fx:t==2?7:10]", ImageMagickFamily.DelayExpression([100, 100, 70]));
    }

    [Fact]
    public void Plan_RejectsLossyOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ToolCommands.Plan(ToolRegistry.Get("gifsicle-lossy"), Request with { LossyLevel = 101 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ToolCommands.Plan(ToolRegistry.Get("gifsicle-lossy"), Request with { LossyLevel = -1 }));
    }
}
