using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GifLab.Core.Metrics.Kernels;

/// <summary>
/// Separable FIR filtering in 'valid' mode: a w×h plane filtered with an n-tap kernel in both
/// directions gives a (w−n+1)×(h−n+1) plane, with no padding (the window lies fully inside).
/// Used by SSIM (7-tap box, scikit-image's cropped map) and MS-SSIM (11-tap Gaussian, the
/// authors' MATLAB 'valid' filter). Direct sums per output (no running sums): in float32 a
/// running/summed-area formulation cancels badly (see testdata/golden/README.md).
/// </summary>
/// <remarks>
/// Vector lanes: <see cref="Vector256{T}"/> of 8 floats along x, each lane one output column;
/// the tail (fewer than 8 columns left) runs the scalar loop. <see cref="ValidScalar"/> is the
/// scalar twin used by the equivalence tests.
/// </remarks>
internal static class SeparableFilter
{
    /// <summary>Filters <paramref name="src"/> (w×h) into <paramref name="dst"/> ((w−n+1)×(h−n+1)).
    /// <paramref name="scratch"/> needs (w−n+1)×h floats.</summary>
    public static void Valid(ReadOnlySpan<float> src, int width, int height, ReadOnlySpan<float> taps,
                             Span<float> dst, Span<float> scratch)
    {
        int n = taps.Length;
        int ow = width - n + 1, oh = height - n + 1;
        if (ow <= 0 || oh <= 0) return;
        // Horizontal: scratch[y, x] = Σk taps[k]·src[y, x+k]
        for (int y = 0; y < height; y++)
            HorizontalRow(src.Slice(y * width, width), taps, scratch.Slice(y * ow, ow));
        // Vertical: dst[y, x] = Σk taps[k]·scratch[y+k, x]
        for (int y = 0; y < oh; y++)
        {
            var outRow = dst.Slice(y * ow, ow);
            VerticalRow(scratch, ow, y, taps, outRow);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void HorizontalRow(ReadOnlySpan<float> row, ReadOnlySpan<float> taps, Span<float> outRow)
    {
        int n = taps.Length, ow = outRow.Length;
        int x = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float r0 = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(row);
            for (; x + 8 <= ow; x += 8)
            {
                var acc = Vector256<float>.Zero;
                for (int k = 0; k < n; k++)
                    acc += Vector256.LoadUnsafe(ref r0, (nuint)(x + k)) * Vector256.Create(taps[k]);
                acc.StoreUnsafe(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(outRow), (nuint)x);
            }
        }
        for (; x < ow; x++)
        {
            float s = 0f;
            for (int k = 0; k < n; k++) s += row[x + k] * taps[k];
            outRow[x] = s;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void VerticalRow(ReadOnlySpan<float> scratch, int ow, int y, ReadOnlySpan<float> taps, Span<float> outRow)
    {
        int n = taps.Length;
        int x = 0;
        ref float s0 = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(scratch);
        if (Vector256.IsHardwareAccelerated)
        {
            for (; x + 8 <= ow; x += 8)
            {
                var acc = Vector256<float>.Zero;
                for (int k = 0; k < n; k++)
                    acc += Vector256.LoadUnsafe(ref s0, (nuint)((y + k) * ow + x)) * Vector256.Create(taps[k]);
                acc.StoreUnsafe(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(outRow), (nuint)x);
            }
        }
        for (; x < ow; x++)
        {
            float s = 0f;
            for (int k = 0; k < n; k++) s += scratch[(y + k) * ow + x] * taps[k];
            outRow[x] = s;
        }
    }

    /// <summary>Scalar twin of <see cref="Valid"/> (same summation order per output).</summary>
    public static void ValidScalar(ReadOnlySpan<float> src, int width, int height, ReadOnlySpan<float> taps, Span<float> dst)
    {
        int n = taps.Length;
        int ow = width - n + 1, oh = height - n + 1;
        if (ow <= 0 || oh <= 0) return;
        var tmp = new float[ow * height];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < ow; x++)
            {
                float s = 0f;
                for (int k = 0; k < n; k++) s += src[y * width + x + k] * taps[k];
                tmp[y * ow + x] = s;
            }
        for (int y = 0; y < oh; y++)
            for (int x = 0; x < ow; x++)
            {
                float s = 0f;
                for (int k = 0; k < n; k++) s += tmp[(y + k) * ow + x] * taps[k];
                dst[y * ow + x] = s;
            }
    }
}
