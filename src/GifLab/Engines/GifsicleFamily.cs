using System.Globalization;
using System.Text.RegularExpressions;
using GifLab.Core.Model;

namespace GifLab.Engines;

/// <summary>
/// gifsicle: 1 frame, 1 colour and 6 lossy tools (<c>gifsicle-lossy</c> feeds the gifsicle engine curve). Command lines
/// follow engines-and-tools.md §3.1–3.2, with three deliberate fixes: delays and the loop count are left to gifsicle,
/// which keeps both (the reference forced <c>--loopcount=0</c>, turning play-once GIFs into loops); frame reduction
/// reads the input with <c>--unoptimize</c> and gives each kept frame its merged delay with <c>--delay</c> placed before
/// the input mention it applies to (the reference's trailing <c>--delay</c> was ignored); <c>gifsicle-lossy-basic</c>
/// really runs without optimisation (the reference's was byte-identical to -O1). Paths are absolute, so a file name
/// starting with '-' or '#' is never read as an option or frame selection. Native lossy value: <c>--lossy=3L</c>
/// (0–300; flag omitted at 0).
/// </summary>
public sealed partial class GifsicleFamily : EngineFamily
{
    public override string Name => ToolFamilies.Gifsicle;

    public override IReadOnlyList<ToolDescriptor> Tools { get; }

    public GifsicleFamily() =>
        Tools =
        [
            Tool("gifsicle-frame", ToolCategory.FrameReduction, "gifsicle --unoptimize, keep frames #i…, each with its merged delay (--delay before the input)"),
            Tool("gifsicle-color", ToolCategory.ColorReduction, "gifsicle --colors N (no dithering)"),
            Tool("gifsicle-lossy", ToolCategory.LossyCompression, "gifsicle --optimize --lossy=3·L (engine curve tool)", Engine.Gifsicle),
            Tool("gifsicle-lossy-basic", ToolCategory.LossyCompression, "gifsicle --lossy=3·L without optimisation"),
            Tool("gifsicle-lossy-O1", ToolCategory.LossyCompression, "gifsicle -O1 --lossy=3·L"),
            Tool("gifsicle-lossy-O2", ToolCategory.LossyCompression, "gifsicle -O2 --lossy=3·L"),
            Tool("gifsicle-lossy-O3", ToolCategory.LossyCompression, "gifsicle -O3 --lossy=3·L"),
        ];

    /// <summary>gifsicle <c>--lossy</c> value: 3L.</summary>
    public static int LossyValue(int lossyLevel) { LossyMapping.Check(lossyLevel); return 3 * lossyLevel; }

    public override int NativeLossyValue(Engine engine, int lossyLevel) =>
        engine == Engine.Gifsicle ? LossyValue(lossyLevel) : base.NativeLossyValue(engine, lossyLevel);

    public override async Task<FamilyStatus?> ProbeAsync(FamilyProbe probe, CancellationToken ct) =>
        await probe.SimpleAsync(Name, "gifsicle", ["--version"], Version(), ct).ConfigureAwait(false);

    public override StepPlan Plan(ToolDescriptor tool, StepRequest r) => tool.Name switch
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

    public override Timeline OutputTimeline(ToolDescriptor tool, Timeline input, double frameRatio) =>
        tool.Category == ToolCategory.FrameReduction ? FrameSelection.Reduce(input, frameRatio) : input;

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
        var n = LossyValue(r.LossyLevel);
        if (n > 0) args.Add("--lossy=" + n.ToString(CultureInfo.InvariantCulture));
        args.AddRange([r.InputPath, "--output", r.OutputPath]);
        return new StepPlan([new ToolInvocation(r.Executable, args)], r.Input);
    }

    private static StepPlan Frame(StepRequest r)
    {
        var kept = FrameSelection.KeptIndices(r.Input.FrameCount, r.FrameRatio);
        var output = FrameSelection.Reduce(r.Input, r.FrameRatio);
        var delays = output.DelaysMs;
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
        return new StepPlan([new ToolInvocation(r.Executable, args)], output);
    }

    [GeneratedRegex(@"LCDF Gifsicle (\S+)")] private static partial Regex Version();
}
