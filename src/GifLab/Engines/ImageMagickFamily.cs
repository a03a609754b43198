using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using GifLab.Core.Model;

namespace GifLab.Engines;

/// <summary>
/// ImageMagick (<c>convert</c> IM6 or <c>magick</c> IM7): 1 frame, 3 colour tools and the <c>imagemagick-lossy</c> engine
/// curve tool. Command lines follow engines-and-tools.md §3.4; paths carry a <c>gif:</c> format prefix and are absolute,
/// so '-' or '@' at the start of a name is never an option or list file. Changes from the reference: colour and lossy
/// quantisation run on coalesced frames (the reference quantised raw, possibly partial layers) and re-optimise with
/// <c>-layers OptimizeFrame</c> (frame cropping only: measured on corpus <c>waves.gif</c>, plain <c>-layers optimize</c>
/// — which adds OptimizeTransparency — made composited frames show up to 119 colours after <c>-colors 84</c> and a
/// larger file); frame reduction sets each kept frame's merged delay with a per-image <c>-set delay</c> expression (the
/// reference's trailing <c>-delay</c> was ignored). Delays and the loop count are kept by ImageMagick itself.
/// Native lossy value: quality Q = 100 − L. <c>-quality</c> does not change GIF pixels, so Q drives the palette size
/// N = <see cref="LossyMapping.PaletteSize"/>(100 − Q) with Riemersma dithering (the reference's calibrated replacement).
/// A script on the path (e.g. a sandbox's stand-in <c>convert</c>) is never trusted as ImageMagick.
/// </summary>
public sealed partial class ImageMagickFamily : EngineFamily
{
    public override string Name => ToolFamilies.ImageMagick;

    public override IReadOnlyList<ToolDescriptor> Tools { get; }

    public ImageMagickFamily() =>
        Tools =
        [
            Tool("imagemagick-frame", ToolCategory.FrameReduction, "ImageMagick -coalesce -delete (dropped) -set delay (merged) -layers OptimizeFrame"),
            Tool("imagemagick-color", ToolCategory.ColorReduction, "ImageMagick -coalesce +dither -colors N -layers OptimizeFrame"),
            Tool("imagemagick-color-floyd", ToolCategory.ColorReduction, "ImageMagick -coalesce -dither FloydSteinberg -colors N -layers OptimizeFrame"),
            Tool("imagemagick-color-riemersma", ToolCategory.ColorReduction, "ImageMagick -coalesce -dither Riemersma -colors N -layers OptimizeFrame"),
            Tool("imagemagick-lossy", ToolCategory.LossyCompression, "ImageMagick quality 100−L → -dither Riemersma -colors N(L) on coalesced frames", Engine.ImageMagick),
        ];

    /// <summary>ImageMagick quality: 100 − L.</summary>
    public static int Quality(int lossyLevel) { LossyMapping.Check(lossyLevel); return 100 - lossyLevel; }

    /// <summary>ImageMagick palette size driven by its quality: N(100 − Q).</summary>
    public static int Colors(int lossyLevel) => LossyMapping.PaletteSize(100 - Quality(lossyLevel));

    public override int NativeLossyValue(Engine engine, int lossyLevel) =>
        engine == Engine.ImageMagick ? Quality(lossyLevel) : base.NativeLossyValue(engine, lossyLevel);

    public override int? MaxColors(ToolDescriptor tool, ParamPreset preset) =>
        tool.Name == "imagemagick-lossy" ? Colors(preset.LossyLevel) : base.MaxColors(tool, preset);

    public override async Task<FamilyStatus?> ProbeAsync(FamilyProbe probe, CancellationToken ct)
    {
        var explicitName = probe.Configured(Name);
        string[] names = explicitName is not null ? [explicitName] : ["magick", "convert", "convert-im6.q16", "convert-im6"];
        var rejected = new List<string>();
        foreach (var name in names)
        {
            foreach (var exe in probe.Locate(name))
            {
                // A script (e.g. a sandbox's stand-in 'convert') is never trusted as ImageMagick, even if it forwards.
                if (EngineProbe.IsScript(exe)) { rejected.Add($"{exe} is a script wrapper"); continue; }
                var (text, ran) = await probe.TryRunAsync(exe, ["-version"], ct).ConfigureAwait(false);
                var m = Version().Match(text);
                if (!ran || !m.Success) { rejected.Add($"{exe} -version does not report ImageMagick"); continue; }
                return new FamilyStatus(Name, true, exe, m.Groups[1].Value, null,
                    new Dictionary<string, string> { ["command"] = Path.GetFileName(exe) });
            }
        }
        return FamilyProbe.Missing(Name, rejected.Count > 0
            ? "no real ImageMagick binary: " + string.Join("; ", rejected)
            : "neither 'magick' nor 'convert' found on PATH (set GIFLAB_IMAGEMAGICK_PATH)");
    }

    public override StepPlan Plan(ToolDescriptor tool, StepRequest r) => tool.Name switch
    {
        "imagemagick-color" => Quantise(r, ["+dither"], Math.Clamp(r.ColorCount, 2, 256)),
        "imagemagick-color-floyd" => Quantise(r, ["-dither", "FloydSteinberg"], Math.Clamp(r.ColorCount, 2, 256)),
        "imagemagick-color-riemersma" => Quantise(r, ["-dither", "Riemersma"], Math.Clamp(r.ColorCount, 2, 256)),
        "imagemagick-lossy" => Lossy(r),
        "imagemagick-frame" => Frame(r),
        _ => throw new ArgumentException($"Not an ImageMagick tool: {tool.Name}", nameof(tool)),
    };

    public override Timeline OutputTimeline(ToolDescriptor tool, Timeline input, double frameRatio) =>
        tool.Category == ToolCategory.FrameReduction ? FrameSelection.Reduce(input, frameRatio) : input;

    internal static string In(string path) => "gif:" + path;

    private static StepPlan Quantise(StepRequest r, string[] dither, int colors)
    {
        List<string> args = [In(r.InputPath), "-coalesce", .. dither, "-colors", colors.ToString(CultureInfo.InvariantCulture), "-layers", "OptimizeFrame", In(r.OutputPath)];
        return new StepPlan([new ToolInvocation(r.Executable, args)], r.Input);
    }

    private static StepPlan Lossy(StepRequest r)
    {
        var n = Colors(r.LossyLevel);
        if (n >= 256) // L = 0: plain re-save, as the reference does.
            return new StepPlan([new ToolInvocation(r.Executable, [In(r.InputPath), In(r.OutputPath)])], r.Input);
        return Quantise(r, ["-dither", "Riemersma"], n);
    }

    private static StepPlan Frame(StepRequest r)
    {
        var total = r.Input.FrameCount;
        var kept = FrameSelection.KeptIndices(total, r.FrameRatio);
        var output = FrameSelection.Reduce(r.Input, r.FrameRatio);
        var keptSet = new HashSet<int>(kept);
        var dropped = new List<int>();
        for (var i = 0; i < total; i++) if (!keptSet.Contains(i)) dropped.Add(i);
        var args = new List<string> { In(r.InputPath), "-coalesce" };
        if (dropped.Count > 0) args.AddRange(["-delete", Ranges(dropped)]);
        args.AddRange(["-set", "delay", DelayExpression(output.DelaysMs), "-layers", "OptimizeFrame", In(r.OutputPath)]);
        return new StepPlan([new ToolInvocation(r.Executable, args)], output);
    }
    /// <summary>"1,3-5,9": ImageMagick's index-list syntax.</summary>
    internal static string Ranges(IReadOnlyList<int> sorted)
    {
        var sb = new StringBuilder();
        var i = 0;
        while (i < sorted.Count)
        {
            var j = i;
            while (j + 1 < sorted.Count && sorted[j + 1] == sorted[j] + 1) j++;
            if (sb.Length > 0) sb.Append(',');
            sb.Append(sorted[i].ToString(CultureInfo.InvariantCulture));
            if (j > i) sb.Append('-').Append(sorted[j].ToString(CultureInfo.InvariantCulture));
            i = j + 1;
        }
        return sb.ToString();
    }

    /// <summary>
    /// Delay in ticks (cs) per image: a constant when all are equal, else <c>%[fx:t==1?30:t==4?7:10]</c> listing only the
    /// images whose delay differs from the most common one (fx <c>t</c> = image index).
    /// </summary>
    internal static string DelayExpression(IReadOnlyList<int> delaysMs)
    {
        var counts = new Dictionary<int, int>();
        foreach (var d in delaysMs) counts[d / 10] = counts.GetValueOrDefault(d / 10) + 1;
        var common = counts.MaxBy(kv => (kv.Value, -kv.Key)).Key;
        if (counts.Count == 1) return common.ToString(CultureInfo.InvariantCulture);
        var sb = new StringBuilder("%[fx:");
        for (var i = 0; i < delaysMs.Count; i++)
        {
            var cs = delaysMs[i] / 10;
            if (cs == common) continue;
            sb.Append(CultureInfo.InvariantCulture, $"t=={i}?{cs}:");
        }
        sb.Append(common.ToString(CultureInfo.InvariantCulture)).Append(']');
        return sb.ToString();
    }

    [GeneratedRegex(@"Version: ImageMagick (\S+)")] private static partial Regex Version();
}
