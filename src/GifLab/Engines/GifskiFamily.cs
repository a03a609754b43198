using System.Globalization;
using System.Text.RegularExpressions;
using GifLab.Core.Model;

namespace GifLab.Engines;

/// <summary>
/// gifski: one lossy tool, <c>gifski-lossy</c> (the gifski engine curve), fed PNG frames only: our decoded, composited frames are written as RGBA PNGs (no partial layers, no resizing —
/// the reference's split without <c>-coalesce</c> broke optimised GIFs), then
/// <c>gifski --quiet --quality max(1,100−L) --fps 100 --repeat LOOP --no-sort -W w -H h -o OUT frames…</c>.
/// gifski 1.7 takes only a constant frame rate, so every frame is listed once at 100 fps (1 cs each) and the real
/// delays are written into the output's Graphic Control Extensions afterwards (<see cref="GifDelayPatcher"/>; gifski
/// merges identical consecutive frames by summing their 1 cs delays, which tells which source frames each output frame
/// covers). Pixels and sizes are gifski's own; only the delay fields change. A single frame is listed twice (gifski
/// refuses one image). <c>-W</c>/<c>-H</c> keep the canvas size (gifski otherwise limits it to about 800×600).
/// Native lossy value: <c>--quality max(1, 100 − L)</c>. The probe requires the options that keep delays and loop count.
/// </summary>
public sealed partial class GifskiFamily : EngineFamily
{
    public override string Name => ToolFamilies.Gifski;

    public override IReadOnlyList<ToolDescriptor> Tools { get; }

    public GifskiFamily() =>
        Tools =
        [
            Tool("gifski-lossy", ToolCategory.LossyCompression, "gifski --quality max(1,100−L) from our composited PNG frames, delays and loop kept", Engine.Gifski),
        ];

    /// <summary>gifski quality: max(1, 100 − L).</summary>
    public static int Quality(int lossyLevel) { LossyMapping.Check(lossyLevel); return Math.Max(1, 100 - lossyLevel); }

    public override int NativeLossyValue(Engine engine, int lossyLevel) =>
        engine == Engine.Gifski ? Quality(lossyLevel) : base.NativeLossyValue(engine, lossyLevel);

    public override async Task<FamilyStatus?> ProbeAsync(FamilyProbe probe, CancellationToken ct)
    {
        var f = await probe.SimpleAsync(Name, "gifski", ["--version"], Version(), ct).ConfigureAwait(false);
        if (!f.Available || f.BinaryPath is null) return f;
        var (help, _) = await probe.TryRunAsync(f.BinaryPath, ["--help"], ct).ConfigureAwait(false);
        foreach (var option in new[] { "--fps", "--repeat", "--no-sort", "--quality" })
            if (!help.Contains(option, StringComparison.Ordinal))
                return f with { Available = false, Reason = $"gifski {f.Version} lacks {option} (needed to keep delays and loop count)" };
        return f with { Capabilities = new Dictionary<string, string> { ["options"] = "--fps,--repeat,--no-sort,--quality" } };
    }

    public override StepPlan Plan(ToolDescriptor tool, StepRequest r)
    {
        if (tool.Name != "gifski-lossy") throw new ArgumentException($"Not a gifski tool: {tool.Name}", nameof(tool));
        var n = r.Input.FrameCount;
        var dir = r.ScratchPrefix + "frames";
        var pngs = new List<PngFrameFile>(n);
        for (var i = 0; i < n; i++)
            pngs.Add(new PngFrameFile(Path.Combine(dir, "frame_" + i.ToString("D5", CultureInfo.InvariantCulture) + ".png"), i));

        var listing = n == 1 ? new[] { 0, 0 } : Enumerable.Range(0, n).ToArray();
        var args = new List<string>
        {
            "--quiet",
            "--quality", Quality(r.LossyLevel).ToString(CultureInfo.InvariantCulture),
            "--fps", "100",
            "--repeat", Math.Max(-1, r.Input.LoopCount).ToString(CultureInfo.InvariantCulture),
            "--no-sort",
            "-W", r.Input.Width.ToString(CultureInfo.InvariantCulture),
            "-H", r.Input.Height.ToString(CultureInfo.InvariantCulture),
            "-o", r.OutputPath,
        };
        foreach (var i in listing) args.Add(pngs[i].Path);
        return new StepPlan([new ToolInvocation(r.Executable, args)], r.Input)
        {
            PngFrames = pngs,
            Scratch = [dir],
            DelayRestore = DelayRestoreMode.MergedListings,
            Listing = listing,
        };
    }

    [GeneratedRegex(@"gifski (\S+)")] private static partial Regex Version();
}
