using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GifLab.Core.Model;

/// <summary>Distinct colours of composited frames, counted exactly (output validation and the <c>max_frame_colors</c> feature).</summary>
public static class FrameColors
{
    [ThreadStatic] private static ColorSet? _exact;
    [ThreadStatic] private static ColorSet? _cover;

    /// <summary>
    /// Largest number of distinct RGB colours in one composited frame: visible colours only, or with
    /// <paramref name="countTransparent"/> the pixels of alpha 0 counted as one more colour (what a palette must hold:
    /// the <c>max_frame_colors</c> feature). Output validation counts visible colours.
    /// Uses 2^24-bit sets (2 MiB each, two per thread) instead of a hash set: ~1 ns per pixel, which matters because
    /// every run's output is checked (a 800×400×423 GIF is 135 M pixels). Pixels equal to their left neighbour cannot
    /// add a colour (runs of eight are skipped with one vector compare), a frame byte-identical to the previous one
    /// has the same count, and only the words a set touched are cleared.
    /// </summary>
    /// <remarks>
    /// Frames that cannot raise the maximum are not counted: a second set <c>cover</c> always holds every colour of
    /// the last frame (a superset after skipped frames). Frame f equals frame f−1 outside the rows that changed, so
    /// cover ∪ colours(changed rows) ⊇ colours(f); when that union has no more colours than the maximum so far, f's
    /// own count cannot exceed it and f is skipped (only its changed rows were read). Otherwise f is counted exactly
    /// and its set becomes the cover. The result is the exact maximum either way
    /// (<c>MaxDistinctColors_EqualsAHashSetCount_*</c> tests).
    /// </remarks>
    public static int MaxDistinctColors(FrameSequence frames, bool countTransparent = false)
    {
        var exact = _exact ??= new ColorSet();
        var cover = _cover ??= new ColorSet();
        int max = 0, stride = frames.Width * 4;
        bool covered = false;
        try
        {
            for (var f = 0; f < frames.FrameCount; f++)
            {
                if (f > 0 && frames.SameAsPrevious(f)) continue; // same colours as the frame before (comparison shared with metrics)
                var rgba = frames.Frames[f].Rgba;
                if (covered)
                {
                    var prev = frames.Frames[f - 1].Rgba;
                    for (int o = 0; o + stride <= rgba.Length; o += stride)
                        if (!rgba.AsSpan(o, stride).SequenceEqual(prev.AsSpan(o, stride))) cover.AddPixels(rgba.AsSpan(o, stride), countTransparent);
                    if (cover.Count <= max) continue; // count(f) ≤ |cover| ≤ max
                }
                exact.AddPixels(rgba.AsSpan(0, rgba.Length & ~3), countTransparent);
                if (exact.Count > max) max = exact.Count;
                cover.Clear();
                (exact, cover) = (cover, exact); // this frame's colours are the new cover; the old cover is the empty scratch
                covered = true;
            }
            return max;
        }
        finally
        {
            exact.Clear(); cover.Clear();
            (_exact, _cover) = (exact, cover);
        }
    }

    /// <summary>A set of 24-bit RGB colours and "transparent": a 2^24-bit set plus the list of words it touched (cleared in O(colours)).</summary>
    private sealed class ColorSet
    {
        private readonly ulong[] _bits = new ulong[(1 << 24) / 64];
        private readonly int[] _touched = new int[(1 << 24) / 64];
        private int _words;
        private bool _transparent;

        public int Count { get; private set; }

        /// <summary>Adds the visible colours of little-endian RGBA pixels, and with <paramref name="countTransparent"/> one for alpha 0.</summary>
        public void AddPixels(ReadOnlySpan<byte> rgba, bool countTransparent)
        {
            var pixels = MemoryMarshal.Cast<byte, uint>(rgba);
            ref uint p0 = ref MemoryMarshal.GetReference(pixels);
            int n = pixels.Length, i = 0, count = Count, words = _words;
            var bits = _bits;
            while (i < n)
            {
                // Eight pixels equal to their left neighbours (one vector compare against the same run shifted by one)
                // add nothing: skipped at once.
                if (i > 0 && i + 8 <= n && Vector256.IsHardwareAccelerated &&
                    Vector256.LoadUnsafe(ref p0, (nuint)i) == Vector256.LoadUnsafe(ref p0, (nuint)(i - 1)))
                {
                    i += 8;
                    continue;
                }
                for (int end = Math.Min(n, i + 8); i < end; i++)
                {
                    var px = pixels[i];
                    if (i > 0 && px == pixels[i - 1]) continue;
                    if (px >> 24 == 0) // alpha 0: not visible; one colour when counted
                    {
                        if (countTransparent && !_transparent) { _transparent = true; count++; }
                        continue;
                    }
                    var c = (int)((px & 0xFF) << 16 | (px & 0xFF00) | (px >> 16 & 0xFF));
                    ref var word = ref bits[c >> 6];
                    var mask = 1UL << (c & 63);
                    if ((word & mask) == 0)
                    {
                        if (word == 0) _touched[words++] = c >> 6;
                        word |= mask;
                        count++;
                    }
                }
            }
            Count = count;
            _words = words;
        }

        public void Clear()
        {
            for (var k = 0; k < _words; k++) _bits[_touched[k]] = 0;
            _words = 0;
            _transparent = false;
            Count = 0;
        }
    }
}
