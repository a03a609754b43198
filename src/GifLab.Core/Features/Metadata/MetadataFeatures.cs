using static GifLab.Core.Features.FeatureNames;

namespace GifLab.Core.Features.Metadata;

/// <summary>
/// The six metadata fields (features.md §3), taken from the decoded sequence plus a structural walk of the file
/// (<see cref="GifStructure"/>) — one decoder instead of the reference's Pillow + OpenCV pair.
/// <list type="bullet">
/// <item><c>width</c>, <c>height</c>: logical screen size. <c>frame_count</c>: decoded frames.
/// <c>file_size_bytes</c>: length of the file bytes.</item>
/// <item><c>duration_ms</c>: reference formula, <b>not</b> the sum of delays: delays per image (GCE × 10 ms; an image
/// without GCE counts 100 ms, as Pillow's <c>info.get('duration', 100)</c>); <c>fps = 1000 / mean</c> (10 when the mean
/// is 0), rounded to 2 decimals the Python way; <c>duration = trunc(frames / max(fps, 0.1) · 1000)</c>
/// (3 × 70 ms → 209). If the walk finds a different number of images than the decoder, the decoded frames'
/// delays are used instead.</item>
/// <item><c>unique_colors</c>: distinct RGB triples in frame 0's colour table (local, else global) at its stored size,
/// capped at 256 — palette entries, not colours used. When the table is Pillow's identity grey ramp
/// (entry i = (i,i,i); Pillow then opens the GIF as mode L and quantises to a 256-entry palette padded with black), or
/// the file has no table, the distinct colours of decoded frame 0 are counted, plus one for the black padding when
/// black is absent and fewer than 256 colours are used (capped at 256) — matching Pillow 9.4 on wuffs/muybridge.gif.</item>
/// </list>
/// </summary>
internal sealed class MetadataFeatures : IFeature
{
    public string Name => "metadata";

    public IReadOnlyList<FeatureInfo> Outputs { get; } =
    [
        new(Width, 1, int.MaxValue, true, false, "Logical screen width in pixels."),
        new(Height, 1, int.MaxValue, true, false, "Logical screen height in pixels."),
        new(FrameCount, 1, int.MaxValue, true, false, "Number of frames."),
        new(DurationMs, 0, long.MaxValue, true, false, "trunc(frame_count / round(1000 / mean delay, 2) · 1000) — reference formula."),
        new(FileSizeBytes, 1, long.MaxValue, true, false, "File size in bytes."),
        new(UniqueColors, 1, 256, true, false, "Distinct RGB entries of frame 0's colour table (capped at 256)."),
    ];

    public void Compute(scoped in FeatureInput input, Span<double?> values)
    {
        var frames = input.Frames;
        var structure = GifStructure.Scan(input.FileBytes);
        values[0] = input.Width;
        values[1] = input.Height;
        values[2] = frames.FrameCount;
        values[3] = DurationFromDelays(structure, frames);
        values[4] = input.FileBytes.Length;
        values[5] = CountUniqueColors(structure, input);
    }

    private static long DurationFromDelays(GifStructure structure, Model.FrameSequence frames)
    {
        var n = frames.FrameCount;
        double total = 0;
        if (structure.Delays.Count == n)
            foreach (var d in structure.Delays) total += d ?? 100;
        else
            foreach (var f in frames.Frames) total += f.DelayMs;
        return ReferenceDuration(n, total / n);
    }

    /// <summary>The reference's <c>duration_ms</c> from a frame count and the mean delay in ms.</summary>
    internal static long ReferenceDuration(int frameCount, double meanDelayMs)
    {
        var fps = meanDelayMs > 0 ? 1000.0 / meanDelayMs : 10.0;
        fps = PythonRound.To2Decimals(fps);
        return (long)(frameCount / Math.Max(fps, 0.1) * 1000);
    }

    private static int CountUniqueColors(GifStructure structure, scoped in FeatureInput input)
    {
        var entries = structure.Frame0PaletteEntries;
        if (entries > 0)
        {
            var table = input.FileBytes.Slice(structure.Frame0PaletteOffset, 3 * entries);
            if (!IsIdentityGreyRamp(table)) return Math.Min(CountDistinct(table, 3, out _), 256);
        }
        // Pillow mode "L" (identity grey palette) or no colour table: Pillow quantises frame 0 to a 256-entry palette
        // holding the colours used, padded with (0,0,0) entries.
        var frame0 = input.Frames.Frames[0].Rgba.AsSpan(0, input.Frames.FrameByteCount);
        var used = CountDistinct(frame0, 4, out var hasBlack);
        if (used < 256 && !hasBlack) used++;
        return Math.Clamp(used, 1, 256);
    }

    private static bool IsIdentityGreyRamp(ReadOnlySpan<byte> table)
    {
        for (int i = 0, e = 0; i < table.Length; i += 3, e++)
            if (table[i] != e || table[i + 1] != e || table[i + 2] != e) return false;
        return true;
    }

    /// <summary>Distinct RGB triples in a packed buffer with <paramref name="stride"/> bytes per entry (stops counting past 257).</summary>
    private static int CountDistinct(ReadOnlySpan<byte> buffer, int stride, out bool hasBlack)
    {
        var seen = new HashSet<int>();
        hasBlack = false;
        for (var i = 0; i + 2 < buffer.Length; i += stride)
        {
            seen.Add(buffer[i] << 16 | buffer[i + 1] << 8 | buffer[i + 2]);
            if (seen.Count > 256) break;
        }
        hasBlack = seen.Contains(0);
        return seen.Count;
    }
}
