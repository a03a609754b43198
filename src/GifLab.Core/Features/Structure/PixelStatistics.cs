using System.Runtime.InteropServices;
using GifLab.Core.Features.Kernels;

namespace GifLab.Core.Features.Structure;

/// <summary>
/// Neighbour and colour statistics of decoded (composited, straight-alpha) canvas frames, pooled over the sampled
/// frames. Pairs compare RGB only (alpha ignored, as the experiment did); the colour histogram counts a pixel with
/// alpha &lt; 128 as one "transparent" colour.
/// </summary>
internal readonly record struct PixelStatistics(double HorizontalEqual, double HorizontalSmallStep, double HorizontalMidStep,
                                                double VerticalEqual, double Isolated, double Top16, double Top64, double Top128,
                                                int Colors)
{
    /// <summary>Histogram key of a pixel with alpha &lt; 128.</summary>
    public const int TransparentKey = -1;

    /// <summary>
    /// Per frame of <paramref name="sample"/>: horizontal pairs (x−1, x) split by largest channel step (0, 1–16, 17–48);
    /// vertical pairs (y−1, y) with equal RGB; "isolated" pixels (x−1 and x+1 equal, x different from them; x = 1…W−2);
    /// and the colour histogram. Each ratio divides by its pair count (at least 1).
    /// </summary>
    public static PixelStatistics Measure(Model.FrameSequence frames, int[] sample)
    {
        int w = frames.Width, h = frames.Height;
        long equal = 0, small = 0, mid = 0, vEqual = 0, isolated = 0;
        var colors = new ColorIndex();
        var counts = new List<long>(1024);
        foreach (var k in sample)
        {
            var px = MemoryMarshal.Cast<byte, uint>(frames.Frames[k].Rgba.AsSpan(0, frames.FrameByteCount));
            for (var y = 0; y < h; y++)
            {
                var row = px.Slice(y * w, w);
                // Colour histogram in runs of one key (one hash look-up per run).
                var runKey = Key(row[0]);
                var run = 1;
                for (var x = 1; x < w; x++)
                {
                    var key = Key(row[x]);
                    if (key == runKey) { run++; continue; }
                    Add(colors, counts, runKey, run);
                    runKey = key;
                    run = 1;
                }
                Add(colors, counts, runKey, run);

                for (var x = 1; x < w; x++)
                {
                    uint p = row[x], q = row[x - 1];
                    if (((p ^ q) & 0xFFFFFF) == 0) { equal++; continue; }
                    var d = MaxChannelStep(p, q);
                    if (d <= 16) small++;
                    else if (d <= 48) mid++;
                }
                for (var x = 1; x + 1 < w; x++)
                {
                    uint p = row[x], q = row[x - 1], r = row[x + 1];
                    if (((q ^ r) & 0xFFFFFF) == 0 && ((q ^ p) & 0xFFFFFF) != 0) isolated++;
                }
                if (y > 0)
                {
                    var above = px.Slice((y - 1) * w, w);
                    for (var x = 0; x < w; x++)
                        if (((row[x] ^ above[x]) & 0xFFFFFF) == 0) vEqual++;
                }
            }
        }
        var frameCount = sample.Length;
        double pairs = Math.Max(1, (long)h * (w - 1) * frameCount);
        double vPairs = Math.Max(1, (long)(h - 1) * w * frameCount);
        double isoPairs = Math.Max(1, (long)h * Math.Max(0, w - 2) * frameCount);

        var sorted = counts.ToArray();
        Array.Sort(sorted);                                  // ascending; the largest are at the end
        long total = 0;
        foreach (var c in sorted) total += c;
        double Top(int m)
        {
            long sum = 0;
            for (var i = sorted.Length - 1; i >= 0 && i >= sorted.Length - m; i--) sum += sorted[i];
            return sum / (double)total;
        }
        return new PixelStatistics(equal / pairs, small / pairs, mid / pairs, vEqual / vPairs, isolated / isoPairs,
                                   Top(16), Top(64), Top(128), sorted.Length);
    }

    /// <summary>Histogram key: RGB packed as <c>R·2¹⁶ + G·2⁸ + B</c>, or <see cref="TransparentKey"/> when alpha &lt; 128.</summary>
    private static int Key(uint rgba) =>
        rgba >> 24 < 128 ? TransparentKey : (int)((rgba & 0xFF) << 16 | (rgba & 0xFF00) | (rgba >> 16 & 0xFF));

    private static void Add(ColorIndex colors, List<long> counts, int key, int run)
    {
        var id = colors.IdOf(key);
        if (id == counts.Count) counts.Add(run);
        else counts[id] += run;
    }

    private static int MaxChannelStep(uint p, uint q)
    {
        var r = Math.Abs((int)(p & 0xFF) - (int)(q & 0xFF));
        var g = Math.Abs((int)(p >> 8 & 0xFF) - (int)(q >> 8 & 0xFF));
        var b = Math.Abs((int)(p >> 16 & 0xFF) - (int)(q >> 16 & 0xFF));
        return Math.Max(r, Math.Max(g, b));
    }
}
