using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using GifLab.Core.Model;

namespace GifLab.Engines;

/// <summary>
/// animately (proprietary; no Linux binary): 1 frame, 1 colour and 3 lossy tools, one per animately engine
/// (standard, advanced, hard). Command lines from its documentation and the reference code
/// (engines-and-tools.md §3.3): <c>animately --input IN --output OUT</c> plus
/// <c>--lossy L</c> (standard), <c>--hard --lossy L</c> (hard), <c>--advanced-lossy CONFIG.json</c> (advanced, the
/// documented form that keeps <c>--input</c>), <c>--colors C</c> (colour), <c>--reduce r --delay ms</c> (frame), and
/// <c>--loops n</c> whenever the input has a loop extension (omitted for play-once GIFs instead of forcing 0 = forever).
/// Fixes over the reference: hard at L = 0 drops <c>--hard --lossy 0</c> (animately was observed to write an empty file
/// for <c>--lossy 0</c>); the advanced config lists PNGs of our composited frames with their exact delays (not floored at 20 ms).
/// Native lossy value: L as-is. A binary that starts is usable (its <c>--version</c> is not guaranteed).
/// </summary>
public sealed partial class AnimatelyFamily : EngineFamily
{
    public override string Name => ToolFamilies.Animately;

    public override IReadOnlyList<ToolDescriptor> Tools { get; }

    public AnimatelyFamily() =>
        Tools =
        [
            Tool("animately-frame", ToolCategory.FrameReduction, "animately --reduce r --delay (mean merged delay)"),
            Tool("animately-color", ToolCategory.ColorReduction, "animately --colors N"),
            Tool("animately-standard", ToolCategory.LossyCompression, "animately --lossy L", Engine.AnimatelyStandard),
            Tool("animately-advanced", ToolCategory.LossyCompression, "animately --advanced-lossy config.json (PNG frames + delays, lossy L)", Engine.AnimatelyAdvanced),
            Tool("animately-hard", ToolCategory.LossyCompression, "animately --hard --lossy L", Engine.AnimatelyHard),
        ];

    /// <summary>animately <c>--lossy</c> value: L.</summary>
    public static int LossyValue(int lossyLevel) { LossyMapping.Check(lossyLevel); return lossyLevel; }

    public override int NativeLossyValue(Engine engine, int lossyLevel) =>
        engine is Engine.AnimatelyStandard or Engine.AnimatelyAdvanced or Engine.AnimatelyHard
            ? LossyValue(lossyLevel) : base.NativeLossyValue(engine, lossyLevel);

    public override async Task<FamilyStatus?> ProbeAsync(FamilyProbe probe, CancellationToken ct)
    {
        var name = probe.Configured(Name) ?? "animately";
        var exe = probe.Locate(name).FirstOrDefault();
        if (exe is null)
            return FamilyProbe.Missing(Name, name == "animately"
                ? "'animately' not found on PATH (proprietary, no Linux build; set GIFLAB_ANIMATELY_PATH to its binary)"
                : $"'{name}' is not an executable file");
        var (text, ran) = await probe.TryRunAsync(exe, ["--version"], ct).ConfigureAwait(false);
        var m = Version().Match(text);
        // animately's --version is not guaranteed: a binary that starts is usable; record "unknown" then.
        return new FamilyStatus(Name, true, exe, m.Success ? m.Groups[1].Value : ran ? FirstToken(text) : "unknown", null,
            new Dictionary<string, string>());
    }

    private static string FirstToken(string text)
    {
        var t = text.Trim().Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries);
        return t.Length > 0 && t[0].Length <= 40 ? t[0] : "unknown";
    }

    public override StepPlan Plan(ToolDescriptor tool, StepRequest r) => tool.Name switch
    {
        "animately-standard" => Core(r, r.LossyLevel > 0 ? ["--lossy", Num(LossyValue(r.LossyLevel))] : []),
        "animately-hard" => Core(r, r.LossyLevel > 0 ? ["--hard", "--lossy", Num(LossyValue(r.LossyLevel))] : []),
        "animately-color" => Core(r, Math.Clamp(r.ColorCount, 2, 256) < 256 ? ["--colors", Num(Math.Clamp(r.ColorCount, 2, 256))] : []),
        "animately-frame" => Frame(r),
        "animately-advanced" => Advanced(r),
        _ => throw new ArgumentException($"Not an animately tool: {tool.Name}", nameof(tool)),
    };

    /// <summary>animately applies one mean delay to every kept frame: the expected output timing says so.</summary>
    public override Timeline OutputTimeline(ToolDescriptor tool, Timeline input, double frameRatio) =>
        tool.Category == ToolCategory.FrameReduction ? UniformDelays(input, frameRatio) : input;

    private static int MeanDelayMs(Timeline input, double frameRatio)
    {
        var delays = FrameSelection.Reduce(input, frameRatio).DelaysMs;
        return delays.Count == 0 ? 0 : (int)Math.Round(delays.Average());
    }

    private static Timeline UniformDelays(Timeline input, double frameRatio)
    {
        var uniform = new int[FrameSelection.KeptIndices(input.FrameCount, frameRatio).Length];
        Array.Fill(uniform, MeanDelayMs(input, frameRatio) / 10 * 10);
        return input with { DelaysMs = uniform };
    }

    private static string Num(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static List<string> Base(StepRequest r) => ["--input", r.InputPath, "--output", r.OutputPath];

    private static void Loops(List<string> args, Timeline t)
    {
        if (t.LoopCount >= 0) args.AddRange(["--loops", Num(t.LoopCount)]);
    }

    private static StepPlan Core(StepRequest r, string[] extra)
    {
        var args = Base(r);
        args.AddRange(extra);
        Loops(args, r.Input);
        return new StepPlan([new ToolInvocation(r.Executable, args)], r.Input);
    }

    private static StepPlan Frame(StepRequest r)
    {
        var args = Base(r);
        args.AddRange(["--reduce", r.FrameRatio.ToString("0.00", CultureInfo.InvariantCulture), "--delay", Num(MeanDelayMs(r.Input, r.FrameRatio))]);
        Loops(args, r.Input);
        return new StepPlan([new ToolInvocation(r.Executable, args)], UniformDelays(r.Input, r.FrameRatio));
    }

    private static StepPlan Advanced(StepRequest r)
    {
        var dir = r.ScratchPrefix + "frames";
        var config = r.ScratchPrefix + "animately_config.json";
        var pngs = new List<PngFrameFile>();
        for (var i = 0; i < r.Input.FrameCount; i++)
            pngs.Add(new PngFrameFile(Path.Combine(dir, "frame_" + i.ToString("D5", CultureInfo.InvariantCulture) + ".png"), i));
        var args = Base(r);
        args.AddRange(["--advanced-lossy", config]);
        Loops(args, r.Input);
        return new StepPlan([new ToolInvocation(r.Executable, args)], r.Input)
        {
            PngFrames = pngs,
            TextFiles = [new TextFile(config, ConfigJson(LossyValue(r.LossyLevel), pngs, r.Input.DelaysMs))],
            Scratch = [dir, config],
        };
    }

    /// <summary><c>{"lossy": L, "frames": [{"png": path, "delay": ms}, …]}</c> (indented).</summary>
    internal static string ConfigJson(int lossy, IReadOnlyList<PngFrameFile> pngs, IReadOnlyList<int> delaysMs)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("lossy", lossy);
            w.WriteStartArray("frames");
            for (var i = 0; i < pngs.Count; i++)
            {
                w.WriteStartObject();
                w.WriteString("png", pngs[i].Path);
                w.WriteNumber("delay", delaysMs[pngs[i].FrameIndex]);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    [GeneratedRegex(@"Version: (\S+)")] private static partial Regex Version();
}
