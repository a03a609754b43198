using System.Globalization;
using System.Text;
using System.Text.Json;

namespace GifLab.Engines;

/// <summary>
/// animately (proprietary; no Linux binary) command lines from its documentation and the reference code
/// (engines-and-tools.md §3.3): <c>animately --input IN --output OUT</c> plus
/// <c>--lossy L</c> (standard), <c>--hard --lossy L</c> (hard), <c>--advanced-lossy CONFIG.json</c> (advanced, the
/// documented form that keeps <c>--input</c>), <c>--colors C</c> (colour), <c>--reduce r --delay ms</c> (frame), and
/// <c>--loops n</c> whenever the input has a loop extension (omitted for play-once GIFs instead of forcing 0 = forever).
/// Fixes over the reference: hard at L = 0 drops <c>--hard --lossy 0</c> (animately was observed to write an empty file
/// for <c>--lossy 0</c>); the advanced config lists PNGs of our composited frames with their exact delays (not floored at 20 ms).
/// </summary>
public static class AnimatelyTools
{
    public static StepPlan Plan(ToolDescriptor tool, StepRequest r) => tool.Name switch
    {
        "animately-standard" => Core(r, r.LossyLevel > 0 ? ["--lossy", Num(LossyMapping.Animately(r.LossyLevel))] : []),
        "animately-hard" => Core(r, r.LossyLevel > 0 ? ["--hard", "--lossy", Num(LossyMapping.Animately(r.LossyLevel))] : []),
        "animately-color" => Core(r, Math.Clamp(r.ColorCount, 2, 256) < 256 ? ["--colors", Num(Math.Clamp(r.ColorCount, 2, 256))] : []),
        "animately-frame" => Frame(r),
        "animately-advanced" => Advanced(r),
        _ => throw new ArgumentException($"Not an animately tool: {tool.Name}", nameof(tool)),
    };

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
        var kept = FrameSelection.KeptIndices(r.Input.FrameCount, r.FrameRatio);
        var delays = FrameSelection.AdjustedDelays(r.Input.DelaysMs, kept);
        var args = Base(r);
        var mean = delays.Length == 0 ? 0 : (int)Math.Round(delays.Average());
        args.AddRange(["--reduce", r.FrameRatio.ToString("0.00", CultureInfo.InvariantCulture), "--delay", Num(mean)]);
        Loops(args, r.Input);
        // animately applies one mean delay to every kept frame: the expected output timing says so.
        var uniform = new int[delays.Length];
        Array.Fill(uniform, mean / 10 * 10);
        return new StepPlan([new ToolInvocation(r.Executable, args)], r.Input with { DelaysMs = uniform });
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
            TextFiles = [new TextFile(config, ConfigJson(LossyMapping.Animately(r.LossyLevel), pngs, r.Input.DelaysMs))],
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
}
