using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GifLab.Core.Features.Kernels;

/// <summary>
/// Counts RGBA8 pixels whose alpha is below 128. A pixel read as a little-endian <c>uint</c> has alpha in
/// bits 24–31, so "alpha &lt; 128" is "the 32-bit value, read as signed, is ≥ 0". SIMD: 8 pixels per
/// <see cref="Vector256{T}"/> step, tail through the scalar twin.
/// </summary>
internal static class AlphaCount
{
    public static int CountTransparent(ReadOnlySpan<byte> rgba)
    {
        var px = MemoryMarshal.Cast<byte, int>(rgba[..(rgba.Length & ~3)]);
        if (!BitConverter.IsLittleEndian) return CountTransparentScalar(rgba);
        var i = 0;
        var count = 0;
        if (Vector256.IsHardwareAccelerated && px.Length >= Vector256<int>.Count)
        {
            var acc = Vector256<int>.Zero;
            var end = px.Length - px.Length % Vector256<int>.Count;
            ref var r = ref MemoryMarshal.GetReference(px);
            for (; i < end; i += Vector256<int>.Count)
                acc -= Vector256.GreaterThanOrEqual(Vector256.LoadUnsafe(ref r, (nuint)i), Vector256<int>.Zero);
            count = Vector256.Sum(acc);
        }
        for (; i < px.Length; i++) if (px[i] >= 0) count++;
        return count;
    }

    /// <summary>Scalar twin of <see cref="CountTransparent"/>.</summary>
    public static int CountTransparentScalar(ReadOnlySpan<byte> rgba)
    {
        var count = 0;
        for (var p = 3; p < rgba.Length; p += 4) if (rgba[p] < 128) count++;
        return count;
    }
}
