using System.Globalization;
using GifLab.Core.Model;

namespace GifLab.Engines;

/// <summary>
/// gifsicle command lines (engines-and-tools.md §3.1–3.2), with three deliberate fixes: delays and the loop count are
/// left to gifsicle, which keeps both (the reference forced <c>--loopcount=0</c>, turning play-once GIFs into loops);
/// frame reduction reads the input with <c>--unoptimize</c> and gives each kept frame its merged delay with
/// <c>--delay</c> placed before the input mention it applies to (the reference's trailing <c>--delay</c> was ignored);
/// <c>gifsicle-lossy-basic</c> really runs without optimisation (the reference's was byte-identical to -O1).
/// Paths are absolute, so a file name starting with '-' or '#' is never read as an option or frame selection.
/// </summary>
public static class GifsicleTools
{
    public static StepPlan Plan(ToolDescriptor tool, StepRequest r) => tool.Name switch
    {
        "gifsicle-color" => Color(r),
        "gifsicle-frame" => Frame(r),
        "gifsicle-lossy" => Lossy(r, "--optimize"),
        "gifsicle-lossy-basic" => Lossy(r, null),
        "gifsicle-lossy-O1" => Lossy(r, "-O1"),
        "gifsicle-lossy-O2" => Lossy(r, "-O2"),
        "gifsicle-lossy-O3" => Lossy(r, "-O3"),
        _ => throw new ArgumentException($"Not a gifsicle tool: {tool.Name}", nameof(tool)),
    };

    private static StepPlan Color(StepRequest r)
    {
        var args = new List<string> { "--optimize" };
        var c = Math.Clamp(r.ColorCount, 2, 256);
        if (c < 256) args.AddRange(["--colors", c.ToString(CultureInfo.InvariantCulture), "--no-dither"]);
        args.AddRange([r.InputPath, "--output", r.OutputPath]);
        return new StepPlan([new ToolInvocation(r.Executable, args)], r.Input);
    }

    private static StepPlan Lossy(StepRequest r, string? optimize)
    {
        var args = new List<string>();
        if (optimize is not null) args.Add(optimize);
        var n = LossyMapping.Gifsicle(r.LossyLevel);
        if (n > 0) args.Add("--lossy=" + n.ToString(CultureInfo.InvariantCulture));
        args.AddRange([r.InputPath, "--output", r.OutputPath]);
        return new StepPlan([new ToolInvocation(r.Executable, args)], r.Input);
    }

    private static StepPlan Frame(StepRequest r)
    {
        var kept = FrameSelection.KeptIndices(r.Input.FrameCount, r.FrameRatio);
        var delays = FrameSelection.AdjustedDelays(r.Input.DelaysMs, kept);
        var args = new List<string> { "--unoptimize" };
        // One input mention per run of kept frames sharing a delay: "--delay=D in #a #b --delay=E in #c".
        var i = 0;
        while (i < kept.Length)
        {
            var cs = delays[i] / 10;
            args.Add("--delay=" + cs.ToString(CultureInfo.InvariantCulture));
            args.Add(r.InputPath);
            while (i < kept.Length && delays[i] / 10 == cs)
            {
                args.Add("#" + kept[i].ToString(CultureInfo.InvariantCulture));
                i++;
            }
        }
        args.AddRange(["--optimize", "--output", r.OutputPath]);
        return new StepPlan([new ToolInvocation(r.Executable, args)], r.Input with { DelaysMs = delays });
    }
}
