using System.Globalization;
using System.Text;

namespace GifLab.Engines;

/// <summary>
/// FFmpeg command lines (engines-and-tools.md §3.5): two passes, <c>palettegen</c> into a palette PNG inside the work
/// directory, then <c>paletteuse</c>. Timing fixes over the reference (verified on FFmpeg 5.1): <c>-fps_mode passthrough
/// -enc_time_base 1/100</c> keep every frame and its delay (without them delays are re-quantised to a guessed frame
/// rate), <c>-min_delay 1 -default_delay 0</c> keep 1 cs and 0 cs delays (the demuxer would make them 10 cs; a 0 cs
/// frame still leaves the muxer as 1 cs, so the executor writes the expected delays back into the output's Graphic
/// Control Extensions when the frame count matches), <c>-final_delay</c> restores the last frame's delay, and
/// <c>-loop</c> writes the input's loop count (-1 = no loop extension) instead of always looping.
/// Frame reduction selects the kept frames with <c>select</c>; kept frames keep their timestamps, so each lasts
/// until the next kept one and the total duration is kept. Paths use the <c>file:</c> protocol prefix so no name is
/// parsed as an option or another protocol.
/// </summary>
public static class FfmpegTools
{
    /// <summary>Tool name suffix → paletteuse dither value.</summary>
    public static IReadOnlyDictionary<string, string> DitherByTool { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ffmpeg-color"] = "none",
        ["ffmpeg-color-atkinson"] = "atkinson",
        ["ffmpeg-color-bayer0"] = "bayer:bayer_scale=0",
        ["ffmpeg-color-bayer1"] = "bayer:bayer_scale=1",
        ["ffmpeg-color-bayer2"] = "bayer:bayer_scale=2",
        ["ffmpeg-color-bayer3"] = "bayer:bayer_scale=3",
        ["ffmpeg-color-bayer4"] = "bayer:bayer_scale=4",
        ["ffmpeg-color-bayer5"] = "bayer:bayer_scale=5",
        ["ffmpeg-color-burkes"] = "burkes",
        ["ffmpeg-color-floyd"] = "floyd_steinberg",
        ["ffmpeg-color-heckbert"] = "heckbert",
        ["ffmpeg-color-sierra2"] = "sierra2",
        ["ffmpeg-color-sierra2-4a"] = "sierra2_4a",
        ["ffmpeg-color-sierra3"] = "sierra3",
        ["ffmpeg-lossy"] = "sierra2_4a",
    };

    /// <summary>The dither mode name (before any ':' option) a tool needs.</summary>
    public static string? DitherModeOf(string toolName) =>
        DitherByTool.TryGetValue(toolName, out var d) ? d.Split(':')[0] : null;

    /// <summary>Filter graphs longer than this are passed with <c>-filter_complex_script</c>.</summary>
    public const int MaxInlineGraphChars = 16 * 1024;

    public static StepPlan Plan(ToolDescriptor tool, StepRequest r)
    {
        if (tool.Name == "ffmpeg-frame") return Frame(r);
        if (!DitherByTool.TryGetValue(tool.Name, out var dither))
            throw new ArgumentException($"Not an FFmpeg tool: {tool.Name}", nameof(tool));
        // palettegen accepts 4–256 colours.
        var colors = tool.Name == "ffmpeg-lossy" ? LossyMapping.FfmpegColors(r.LossyLevel) : Math.Clamp(r.ColorCount, 4, 256);
        var palette = r.ScratchPrefix + "palette.png";
        List<string> gen =
        [
            .. Common(), .. InputArgs(r.InputPath),
            "-vf", "palettegen=max_colors=" + colors.ToString(CultureInfo.InvariantCulture),
            "-frames:v", "1", "-update", "1", "-f", "image2", "file:" + palette,
        ];
        List<string> use =
        [
            .. Common(), .. InputArgs(r.InputPath), "-i", "file:" + palette,
            "-filter_complex", "[0:v][1:v]paletteuse=dither=" + dither,
            .. OutputArgs(r, r.Input),
        ];
        return new StepPlan([new ToolInvocation(r.Executable, gen), new ToolInvocation(r.Executable, use)], r.Input)
        {
            Scratch = [palette],
            DelayRestore = DelayRestoreMode.ExactCount,
        };
    }

    private static StepPlan Frame(StepRequest r)
    {
        var kept = FrameSelection.KeptIndices(r.Input.FrameCount, r.FrameRatio);
        var delays = FrameSelection.AdjustedDelays(r.Input.DelaysMs, kept);
        var output = r.Input with { DelaysMs = delays };
        var select = new StringBuilder("select='");
        for (var i = 0; i < kept.Length; i++)
        {
            if (i > 0) select.Append('+');
            select.Append(CultureInfo.InvariantCulture, $"eq(n,{kept[i]})");
        }
        select.Append('\'');
        var graph = $"[0:v]{select},split[a][b];[a]palettegen=stats_mode=full[p];[b][p]paletteuse=dither=none";
        // One argument may not exceed 128 KiB on Linux (MAX_ARG_STRLEN): long frame lists go through a script file.
        var script = graph.Length > MaxInlineGraphChars ? r.ScratchPrefix + "filter_graph.txt" : null;
        List<string> args =
        [
            .. Common(), .. InputArgs(r.InputPath),
            .. script is null ? ["-filter_complex", graph] : new[] { "-filter_complex_script", script },
            .. OutputArgs(r, output),
        ];
        return new StepPlan([new ToolInvocation(r.Executable, args)], output)
        {
            DelayRestore = DelayRestoreMode.ExactCount,
            TextFiles = script is null ? [] : [new TextFile(script, graph)],
            Scratch = script is null ? [] : [script],
        };
    }

    private static string[] Common() => ["-hide_banner", "-nostdin", "-y", "-v", "error"];

    private static string[] InputArgs(string path) => ["-min_delay", "1", "-default_delay", "0", "-i", "file:" + path];

    private static List<string> OutputArgs(StepRequest r, Timeline output)
    {
        var args = new List<string> { "-fps_mode", "passthrough", "-enc_time_base", "1/100", "-loop", Math.Max(-1, output.LoopCount).ToString(CultureInfo.InvariantCulture) };
        if (r.FfmpegFinalDelay && output.FrameCount > 0)
        {
            args.AddRange(["-final_delay", (output.DelaysMs[^1] / 10).ToString(CultureInfo.InvariantCulture)]);
        }
        args.AddRange(["-f", "gif", "file:" + r.OutputPath]);
        return args;
    }
}
