using System.Runtime.CompilerServices;

namespace GifLab.Core.Features.Kernels;

/// <summary>
/// OpenCV <c>cvtColor(COLOR_RGB2GRAY)</c> for 8-bit input, bit-exact:
/// <c>Y = (9798·R + 19235·G + 3735·B + 16384) &gt;&gt; 15</c> (0.299/0.587/0.114 in 15-bit fixed point,
/// round half up). Verified against OpenCV 4.6.0 on random images (features.md §4).
/// </summary>
internal static class OpenCvGray
{
    public const int R2Y = 9798, G2Y = 19235, B2Y = 3735, Shift = 15;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte Y(int r, int g, int b) => (byte)((R2Y * r + G2Y * g + B2Y * b + (1 << (Shift - 1))) >> Shift);

    /// <summary>Grey plane of an opaque RGBA8 canvas (alpha ignored).</summary>
    public static void FromRgba(ReadOnlySpan<byte> rgba, Span<byte> gray)
    {
        var n = gray.Length;
        if (rgba.Length < n * 4) throw new ArgumentException("RGBA buffer too small.", nameof(rgba));
        for (int i = 0, p = 0; i < n; i++, p += 4)
            gray[i] = Y(rgba[p], rgba[p + 1], rgba[p + 2]);
    }
}
