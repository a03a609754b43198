using System.Globalization;
using System.Text;

namespace GifLab.Engines;

/// <summary>
/// ImageMagick command lines (engines-and-tools.md §3.4) for <c>convert</c> (IM6) or <c>magick</c> (IM7). Paths carry a
/// <c>gif:</c> format prefix and are absolute, so '-' or '@' at the start of a name is never an option or list file.
/// Changes from the reference: colour and lossy quantisation run on coalesced frames (the reference quantised raw,
/// possibly partial layers) and re-optimise with <c>-layers OptimizeFrame</c> (frame cropping only: measured on
/// corpus <c>waves.gif</c>, plain <c>-layers optimize</c> — which adds OptimizeTransparency — made composited frames show
/// up to 119 colours after <c>-colors 84</c> and a larger file); frame reduction sets each kept frame's merged
/// delay with a per-image <c>-set delay</c> expression (the reference's trailing <c>-delay</c> was ignored).
/// Delays and the loop count are kept by ImageMagick itself.
/// </summary>
public static class ImageMagickTools
{
    public static StepPlan Plan(ToolDescriptor tool, StepRequest r) => tool.Name switch
    {
        "imagemagick-color" => Quantise(r, ["+dither"], Math.Clamp(r.ColorCount, 2, 256)),
        "imagemagick-color-floyd" => Quantise(r, ["-dither", "FloydSteinberg"], Math.Clamp(r.ColorCount, 2, 256)),
        "imagemagick-color-riemersma" => Quantise(r, ["-dither", "Riemersma"], Math.Clamp(r.ColorCount, 2, 256)),
        "imagemagick-lossy" => Lossy(r),
        "imagemagick-frame" => Frame(r),
        _ => throw new ArgumentException($"Not an ImageMagick tool: {tool.Name}", nameof(tool)),
    };

    internal static string In(string path) => "gif:" + path;

    private static StepPlan Quantise(StepRequest r, string[] dither, int colors)
    {
        List<string> args = [In(r.InputPath), "-coalesce", .. dither, "-colors", colors.ToString(CultureInfo.InvariantCulture), "-layers", "OptimizeFrame", In(r.OutputPath)];
        return new StepPlan([new ToolInvocation(r.Executable, args)], r.Input);
    }

    private static StepPlan Lossy(StepRequest r)
    {
        var n = LossyMapping.ImageMagickColors(r.LossyLevel);
        if (n >= 256) // L = 0: plain re-save, as the reference does.
            return new StepPlan([new ToolInvocation(r.Executable, [In(r.InputPath), In(r.OutputPath)])], r.Input);
        return Quantise(r, ["-dither", "Riemersma"], n);
    }

    private static StepPlan Frame(StepRequest r)
    {
        var total = r.Input.FrameCount;
        var kept = FrameSelection.KeptIndices(total, r.FrameRatio);
        var delays = FrameSelection.AdjustedDelays(r.Input.DelaysMs, kept);
        var keptSet = new HashSet<int>(kept);
        var dropped = new List<int>();
        for (var i = 0; i < total; i++) if (!keptSet.Contains(i)) dropped.Add(i);
        var args = new List<string> { In(r.InputPath), "-coalesce" };
        if (dropped.Count > 0) args.AddRange(["-delete", Ranges(dropped)]);
        args.AddRange(["-set", "delay", DelayExpression(delays), "-layers", "OptimizeFrame", In(r.OutputPath)]);
        return new StepPlan([new ToolInvocation(r.Executable, args)], r.Input with { DelaysMs = delays });
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
}
