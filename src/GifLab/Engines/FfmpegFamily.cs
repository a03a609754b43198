using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using GifLab.Core.Model;

namespace GifLab.Engines;

/// <summary>
/// FFmpeg: 1 frame, 14 colour tools (one per paletteuse dither) and the <c>ffmpeg-lossy</c> engine curve tool. Command
/// lines (engines-and-tools.md §3.5): two passes, <c>palettegen</c> over every frame, then <c>paletteuse</c> with that
/// palette. Up to <see cref="OneProcessMaxDecodedBytes"/> of decoded frames both passes run in one ffmpeg process (one
/// filter graph); larger inputs run two processes with the palette PNG in the work directory. Both forms write the
/// same bytes (<c>FfmpegOneProcessTests</c>). Timing fixes over the reference (verified on FFmpeg 5.1): <c>-fps_mode passthrough
/// -enc_time_base 1/100</c> keep every frame and its delay (without them delays are re-quantised to a guessed frame
/// rate), <c>-min_delay 1 -default_delay 0</c> keep 1 cs and 0 cs delays (the demuxer would make them 10 cs; a 0 cs
/// frame still leaves the muxer as 1 cs, so the executor writes the expected delays back into the output's Graphic
/// Control Extensions when the frame count matches), <c>-final_delay</c> restores the last frame's delay, and
/// <c>-loop</c> writes the input's loop count (-1 = no loop extension) instead of always looping.
/// Frame reduction selects the kept frames with <c>select</c>; kept frames keep their timestamps, so each lasts
/// until the next kept one and the total duration is kept. Paths use the <c>file:</c> protocol prefix so no name is
/// parsed as an option or another protocol. Native lossy value: q = 1 + round(30L/100) (1–31). <c>-q:v</c> does not
/// change GIF pixels, so q drives palettegen <c>max_colors</c> = <see cref="LossyMapping.PaletteSize"/>(100·(q − 1)/30)
/// with sierra2_4a dithering. The probe records the dithers the installed paletteuse supports (a colour tool whose
/// dither is missing is unavailable) and whether the gif muxer has <c>-final_delay</c>.
/// </summary>
public sealed partial class FfmpegFamily : EngineFamily
{
    public override string Name => ToolFamilies.Ffmpeg;

    public override IReadOnlyList<ToolDescriptor> Tools { get; }

    public FfmpegFamily()
    {
        var tools = new List<ToolDescriptor>
        {
            Tool("ffmpeg-frame", ToolCategory.FrameReduction, "ffmpeg select=(kept frames), palettegen/paletteuse; kept timestamps give merged delays"),
            Tool("ffmpeg-color", ToolCategory.ColorReduction, "ffmpeg palettegen max_colors=N + paletteuse, no dithering"),
        };
        foreach (var d in Dithers)
            tools.Add(Tool($"ffmpeg-color-{d}", ToolCategory.ColorReduction, $"ffmpeg palettegen max_colors=N + paletteuse dither={DitherByTool[$"ffmpeg-color-{d}"]}"));
        tools.Add(Tool("ffmpeg-lossy", ToolCategory.LossyCompression, "ffmpeg q=1+round(L·30/100) → palettegen max_colors=N + paletteuse sierra2_4a", Engine.Ffmpeg));
        Tools = tools;
    }

    private static readonly string[] Dithers =
        ["atkinson", "bayer0", "bayer1", "bayer2", "bayer3", "bayer4", "bayer5", "burkes", "floyd", "heckbert", "sierra2", "sierra2-4a", "sierra3"];

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

    /// <summary>FFmpeg q: 1 + round(30L/100), round half to even (as the reference's Python <c>round</c>).</summary>
    public static int Q(int lossyLevel) { LossyMapping.Check(lossyLevel); return 1 + (int)Math.Round(lossyLevel * 30 / 100.0, MidpointRounding.ToEven); }

    /// <summary>FFmpeg palette size driven by its q: N(100·(q − 1)/30).</summary>
    public static int Colors(int lossyLevel) => LossyMapping.PaletteSize(100.0 * (Q(lossyLevel) - 1) / 30.0);

    public override int NativeLossyValue(Engine engine, int lossyLevel) =>
        engine == Engine.Ffmpeg ? Q(lossyLevel) : base.NativeLossyValue(engine, lossyLevel);

    public override int? MaxColors(ToolDescriptor tool, ParamPreset preset) =>
        tool.Name == "ffmpeg-lossy" ? Colors(preset.LossyLevel) : base.MaxColors(tool, preset);

    public override async Task<FamilyStatus?> ProbeAsync(FamilyProbe probe, CancellationToken ct)
    {
        var f = await probe.SimpleAsync(Name, "ffmpeg", ["-hide_banner", "-version"], Version(), ct).ConfigureAwait(false);
        if (!f.Available || f.BinaryPath is null) return f;
        var caps = new Dictionary<string, string>();
        var (use, _) = await probe.TryRunAsync(f.BinaryPath, ["-hide_banner", "-h", "filter=paletteuse"], ct).ConfigureAwait(false);
        var (gen, _) = await probe.TryRunAsync(f.BinaryPath, ["-hide_banner", "-h", "filter=palettegen"], ct).ConfigureAwait(false);
        var (mux, _) = await probe.TryRunAsync(f.BinaryPath, ["-hide_banner", "-h", "muxer=gif"], ct).ConfigureAwait(false);
        if (!gen.Contains("max_colors", StringComparison.Ordinal) || !use.Contains("dither", StringComparison.Ordinal))
            return f with { Available = false, Reason = $"ffmpeg {f.Version} lacks the palettegen/paletteuse filters" };
        caps["paletteuse.dithers"] = string.Join(',', ParseDithers(use));
        caps["gif.final_delay"] = mux.Contains("final_delay", StringComparison.Ordinal) ? "yes" : "no";
        return f with { Capabilities = caps };
    }

    /// <summary>A dither variant is unavailable when the installed paletteuse lacks its dither.</summary>
    public override ToolStatus StatusOf(ToolDescriptor tool, FamilyStatus family)
    {
        if (DitherModeOf(tool.Name) is { } mode && family.Capabilities.TryGetValue("paletteuse.dithers", out var list))
        {
            var supported = list.Split(',', StringSplitOptions.RemoveEmptyEntries);
            if (!supported.Contains(mode, StringComparer.Ordinal))
                return new ToolStatus(tool, false, family.BinaryPath, family.Version,
                    $"ffmpeg {family.Version} paletteuse has no dither '{mode}' (supports: {string.Join(", ", supported)})");
        }
        return base.StatusOf(tool, family);
    }

    /// <summary>
    /// Dither names from <c>ffmpeg -h filter=paletteuse</c>: the named constants listed under the <c>dither</c> option, plus
    /// <c>none</c> when the option's range starts at 0 (FFmpeg 5.1 accepts <c>none</c> = 0 without listing it).
    /// </summary>
    public static IReadOnlyList<string> ParseDithers(string helpText)
    {
        var result = new List<string>();
        var lines = helpText.Split('\n');
        var inDither = false;
        foreach (var raw in lines)
        {
            var line = raw.TrimEnd('\r');
            var option = OptionLine().Match(line);
            if (option.Success)
            {
                inDither = option.Groups[1].Value == "dither";
                if (inDither && line.Contains("from 0 ", StringComparison.Ordinal)) result.Add("none");
                continue;
            }
            if (!inDither) continue;
            var constant = ConstantLine().Match(line);
            if (constant.Success) { if (!result.Contains(constant.Groups[1].Value)) result.Add(constant.Groups[1].Value); }
            else if (line.Trim().Length > 0) inDither = false;
        }
        return result;
    }

    /// <summary>Filter graphs longer than this are passed with <c>-filter_complex_script</c>.</summary>
    public const int MaxInlineGraphChars = 16 * 1024;

    public override StepPlan Plan(ToolDescriptor tool, StepRequest r)
    {
        if (tool.Name == "ffmpeg-frame") return Frame(r);
        if (!DitherByTool.TryGetValue(tool.Name, out var dither))
            throw new ArgumentException($"Not an FFmpeg tool: {tool.Name}", nameof(tool));
        // palettegen accepts 4–256 colours.
        var colors = tool.Name == "ffmpeg-lossy" ? Colors(r.LossyLevel) : Math.Clamp(r.ColorCount, 4, 256);
        return PaletteStep(r, colors, dither, OneProcess(r.Input));
    }

    /// <summary>palettegen over every frame, then paletteuse: in one process (one filter graph) or in two (the palette as
    /// a PNG in the work directory). Tests run both forms and compare the bytes.</summary>
    internal static StepPlan PaletteStep(StepRequest r, int colors, string dither, bool oneProcess)
    {
        if (oneProcess)
        {
            // Both passes in one filter graph: split feeds palettegen (which emits the palette at the end of the input)
            // and paletteuse (which waits for it); no palette file. Same bytes as the two-process form below.
            var graph = "[0:v]split[a][b];[a]palettegen=max_colors=" + colors.ToString(CultureInfo.InvariantCulture) +
                        "[p];[b][p]paletteuse=dither=" + dither;
            List<string> args = [.. Common(), .. InputArgs(r.InputPath), "-filter_complex", graph, .. OutputArgs(r, r.Input)];
            return new StepPlan([new ToolInvocation(r.Executable, args)], r.Input) { DelayRestore = DelayRestoreMode.ExactCount };
        }
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

    /// <summary>Decoded size (canvas × frames × 4 bytes) up to which the two passes run in one ffmpeg process.</summary>
    /// <remarks>Measured on training-corpus GIFs (FFmpeg 5.1, CPU of the whole run, 64 colours; outputs byte-identical in
    /// every case, 46 GIFs and 5 dithers): each ffmpeg process costs ~0.2–0.3 s of CPU to start (215 shared
    /// libraries), so one process instead of two saves 25–30 % on small GIFs (2 MB decoded: 0.66 → 0.47 s) and 5–8 %
    /// at 17–80 MB. In one process paletteuse must hold every frame until palettegen has seen the last one: at 139 MB
    /// decoded it cost 19 % more (2.03 → 2.41 s, RSS 79 → 229 MB), at 380–580 MB 34–52 % more. Hence 64 MB.</remarks>
    public const long OneProcessMaxDecodedBytes = 64L * 1024 * 1024;

    internal static bool OneProcess(Timeline input) =>
        (long)input.Width * input.Height * Math.Max(1, input.FrameCount) * 4 <= OneProcessMaxDecodedBytes;

    public override Timeline OutputTimeline(ToolDescriptor tool, Timeline input, double frameRatio) =>
        tool.Category == ToolCategory.FrameReduction ? FrameSelection.Reduce(input, frameRatio) : input;

    private static StepPlan Frame(StepRequest r)
    {
        var kept = FrameSelection.KeptIndices(r.Input.FrameCount, r.FrameRatio);
        var output = FrameSelection.Reduce(r.Input, r.FrameRatio);
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
        // The gif muxer's -final_delay is used unless probing found it missing.
        var finalDelay = !r.Capabilities.TryGetValue("gif.final_delay", out var fd) || fd == "yes";
        if (finalDelay && output.FrameCount > 0)
        {
            args.AddRange(["-final_delay", (output.DelaysMs[^1] / 10).ToString(CultureInfo.InvariantCulture)]);
        }
        args.AddRange(["-f", "gif", "file:" + r.OutputPath]);
        return args;
    }

    [GeneratedRegex(@"ffmpeg version (\S+)")] private static partial Regex Version();
    [GeneratedRegex(@"^  {1,3}-?([a-z_0-9]+)\s+<")] private static partial Regex OptionLine();
    [GeneratedRegex(@"^\s{4,}([a-z_0-9]+)\s+-?\d+\s")] private static partial Regex ConstantLine();
}
