using System.Globalization;

namespace GifLab.Engines;

/// <summary>
/// gifski (PNG frames only): our decoded, composited frames are written as RGBA PNGs (no partial layers, no resizing —
/// the reference's split without <c>-coalesce</c> broke optimised GIFs), then
/// <c>gifski --quality max(1,100−L) --fps F --repeat LOOP --no-sort -W w -H h -o OUT frames…</c>.
/// gifski only takes a constant frame rate, so variable delays are expressed by repeating frames: F = 100/u frames per
/// second for the largest unit u (cs) dividing 100 and every delay, and each frame is listed delay/u times; gifski
/// merges identical consecutive frames and sums their delays (verified with gifski 1.7.1), so delays come out exact.
/// A frame with delay 0 is listed once (shown for one unit). If repetition would list more than
/// <see cref="MaxRepetitionFactor"/> × frames files, a uniform rate from the mean delay is used instead (timing approximate).
/// </summary>
public static class GifskiTools
{
    public const int MaxRepetitionFactor = 20;

    private static readonly int[] UnitsCs = [100, 50, 25, 20, 10, 5, 4, 2, 1];

    public static StepPlan Plan(ToolDescriptor tool, StepRequest r)
    {
        if (tool.Name != "gifski-lossy") throw new ArgumentException($"Not a gifski tool: {tool.Name}", nameof(tool));
        var n = r.Input.FrameCount;
        var dir = r.ScratchPrefix + "frames";
        var pngs = new List<PngFrameFile>(n);
        for (var i = 0; i < n; i++)
            pngs.Add(new PngFrameFile(Path.Combine(dir, "frame_" + i.ToString("D5", CultureInfo.InvariantCulture) + ".png"), i));

        var (fps, repeats) = Schedule(r.Input.DelaysMs);
        var args = new List<string>
        {
            "--quiet",
            "--quality", LossyMapping.GifskiQuality(r.LossyLevel).ToString(CultureInfo.InvariantCulture),
            "--fps", fps,
            "--repeat", Math.Max(-1, r.Input.LoopCount).ToString(CultureInfo.InvariantCulture),
            "--no-sort",
            "-W", r.Input.Width.ToString(CultureInfo.InvariantCulture),
            "-H", r.Input.Height.ToString(CultureInfo.InvariantCulture),
            "-o", r.OutputPath,
        };
        for (var i = 0; i < n; i++)
            for (var k = 0; k < repeats[i]; k++) args.Add(pngs[i].Path);
        return new StepPlan([new ToolInvocation(r.Executable, args)], r.Input) { PngFrames = pngs, Scratch = [dir] };
    }

    /// <summary>The <c>--fps</c> value and how many times each frame is listed.</summary>
    internal static (string Fps, int[] Repeats) Schedule(IReadOnlyList<int> delaysMs)
    {
        var n = delaysMs.Count;
        var repeats = new int[n];
        var unit = 1;
        foreach (var u in UnitsCs)
        {
            var ok = true;
            foreach (var d in delaysMs) if (d / 10 % u != 0) { ok = false; break; }
            if (ok) { unit = u; break; }
        }
        long total = 0;
        for (var i = 0; i < n; i++) { repeats[i] = Math.Max(1, delaysMs[i] / 10 / unit); total += repeats[i]; }
        if (total <= (long)MaxRepetitionFactor * n)
            return ((100 / unit).ToString(CultureInfo.InvariantCulture), repeats);

        Array.Fill(repeats, 1);
        var meanCs = Math.Max(1.0, delaysMs.Average() / 10.0);
        return ((100.0 / meanCs).ToString("0.###", CultureInfo.InvariantCulture), repeats);
    }
}
