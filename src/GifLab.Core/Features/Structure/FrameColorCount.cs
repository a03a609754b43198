using System.Buffers;
using System.Runtime.InteropServices;

namespace GifLab.Core.Features.Structure;

/// <summary>
/// <c>max_frame_colors</c>: the most distinct colours in one composited frame, over <b>every</b> frame (pixels with
/// alpha &lt; 128 count as one colour), capped at <see cref="Cap"/>. A palette reduction to N ≥ this count is a no-op
/// on every frame, so engines whose curve points differ only in palette size (ImageMagick's lossy and colour curves)
/// give byte-identical output at all such points (<c>Modeling.PaletteSaturation</c>).
/// <para>One 2²⁴-bit set of seen RGB values, cleared word by word after each frame; runs of equal pixels cost one
/// test. The scan stops at the first frame with more than 256 colours: the value is then <see cref="Cap"/>.</para>
/// </summary>
internal static class FrameColorCount
{
    /// <summary>The value for "more than 256 colours in some frame".</summary>
    public const int Cap = 257;

    public static int Measure(Model.FrameSequence frames)
    {
        var bits = ArrayPool<ulong>.Shared.Rent(1 << 18);          // 2^24 bits
        var touched = ArrayPool<int>.Shared.Rent(Cap + 1);
        try
        {
            Array.Clear(bits, 0, 1 << 18);
            var max = 0;
            foreach (var frame in frames.Frames)
            {
                var px = MemoryMarshal.Cast<byte, uint>(frame.Rgba.AsSpan(0, frames.FrameByteCount));
                var count = CountFrame(px, bits, touched);
                if (count > max) max = count;
                if (max >= Cap) return Cap;
            }
            return max;
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(bits);
            ArrayPool<int>.Shared.Return(touched);
        }
    }

    /// <summary>Distinct colours of one frame, at most <see cref="Cap"/>; leaves <paramref name="bits"/> all clear.</summary>
    private static int CountFrame(ReadOnlySpan<uint> px, ulong[] bits, int[] touched)
    {
        int count = 0, words = 0;
        var transparent = false;
        var previous = ~px[0];                               // differs from the first pixel
        foreach (var p in px)
        {
            if (p == previous) continue;
            previous = p;
            if (p >> 24 < 128) { if (!transparent) { transparent = true; count++; } }
            else
            {
                var rgb = (int)(p & 0xFFFFFF);
                ref var word = ref bits[rgb >> 6];
                var mask = 1UL << (rgb & 63);
                if ((word & mask) == 0)
                {
                    if (word == 0) touched[words++] = rgb >> 6;
                    word |= mask;
                    count++;
                }
            }
            if (count >= Cap) break;
        }
        for (var i = 0; i < words; i++) bits[touched[i]] = 0;
        return Math.Min(count, Cap);
    }
}
