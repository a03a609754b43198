using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GifLab.Core.Metrics.Kernels;

/// <summary>
/// Σ(a − b)² over two byte buffers, exact in 64-bit integers (the golden README: float32
/// sequential sums miss by 1.9e-3 relative on a 312×442 frame).
/// </summary>
/// <remarks>
/// Lanes: 32 bytes per step, widened to two <see cref="Vector256{T}"/> of 16 shorts, differences
/// squared after widening to 32-bit ints (a difference of 255 squared fits in int). Each int lane
/// accumulates at most 2^15 steps of ≤ 2·65025 before it is flushed into a long, so it never
/// overflows. The tail (&lt; 32 bytes) runs the scalar loop. <see cref="SumScalar"/> is the twin.
/// </remarks>
internal static class SquaredError
{
    public static long Sum(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length != b.Length) throw new ArgumentException("length mismatch");
        long total = 0;
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref byte ra = ref MemoryMarshal.GetReference(a);
            ref byte rb = ref MemoryMarshal.GetReference(b);
            while (i + 32 <= a.Length)
            {
                var acc = Vector256<int>.Zero;
                int blockEnd = Math.Min(a.Length - 31, i + 32 * 4096);
                for (; i < blockEnd; i += 32)
                {
                    var va = Vector256.LoadUnsafe(ref ra, (nuint)i);
                    var vb = Vector256.LoadUnsafe(ref rb, (nuint)i);
                    var (alo, ahi) = Vector256.Widen(va);
                    var (blo, bhi) = Vector256.Widen(vb);
                    var dlo = alo.AsInt16() - blo.AsInt16();
                    var dhi = ahi.AsInt16() - bhi.AsInt16();
                    var (d0, d1) = Vector256.Widen(dlo);
                    var (d2, d3) = Vector256.Widen(dhi);
                    acc += d0 * d0 + d1 * d1 + d2 * d2 + d3 * d3;
                }
                total += Vector256.Sum(Vector256.WidenLower(acc)) + Vector256.Sum(Vector256.WidenUpper(acc));
            }
        }
        for (; i < a.Length; i++)
        {
            int d = a[i] - b[i];
            total += d * d;
        }
        return total;
    }

    public static long SumScalar(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        long total = 0;
        for (int i = 0; i < a.Length; i++)
        {
            int d = a[i] - b[i];
            total += d * d;
        }
        return total;
    }
}
