using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GifLab.Core.Features.Kernels;

/// <summary>
/// Per-element statistics of <c>|a − b|</c> over two equally long byte buffers: the sum of squared differences
/// and the number of elements whose difference is below a threshold. Exact integer arithmetic (the
/// reference uses float32; it agrees to ~1e-7 relative).
/// <para>SIMD layout: 32 byte lanes per step (<see cref="Vector256{T}"/>); <c>|a−b| = (a ⊖ b) | (b ⊖ a)</c> with
/// saturating subtraction; squares are formed after widening to 16-bit lanes (max 65 025 fits) and summed in
/// 32-bit lanes that are flushed to a 64-bit total every <see cref="FlushSteps"/> steps; the tail (&lt; 32 bytes)
/// goes through the scalar twin <see cref="MeasureScalar"/>, which is also the reference for the equivalence test.</para>
/// </summary>
internal static class FrameDifference
{
    // 32-bit lane budget: each step adds at most 2·65 025 per 32-bit lane (2 × 16-bit products per lane pair);
    // 4 096 steps ⇒ < 5.4e8, far below 2^32.
    private const int FlushSteps = 4096;

    public static (ulong SumSquares, long Below) Measure(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, byte threshold)
    {
        if (a.Length != b.Length) throw new ArgumentException("Buffers differ in length.");
        if (!Vector256.IsHardwareAccelerated || a.Length < Vector256<byte>.Count) return MeasureScalar(a, b, threshold);

        ref var ra = ref MemoryMarshal.GetReference(a);
        ref var rb = ref MemoryMarshal.GetReference(b);
        var n = a.Length;
        var step = Vector256<byte>.Count;
        var end = n - n % step;
        var thr = Vector256.Create(threshold);
        ulong sum = 0;
        long below = 0;
        var acc = Vector256<uint>.Zero;
        var belowAcc = Vector256<byte>.Zero;   // per-lane counts, flushed before it can wrap (≤ 255 steps)
        var steps = 0;
        var belowSteps = 0;
        for (var i = 0; i < end; i += step)
        {
            var va = Vector256.LoadUnsafe(ref ra, (nuint)i);
            var vb = Vector256.LoadUnsafe(ref rb, (nuint)i);
            var d = Vector256.SubtractSaturate(va, vb) | Vector256.SubtractSaturate(vb, va);
            // below: compare gives 0xFF per lane; subtracting it adds 1.
            belowAcc -= Vector256.LessThan(d, thr);
            var (lo, hi) = Vector256.Widen(d);
            var sqLo = lo * lo;
            var sqHi = hi * hi;
            var (l0, l1) = Vector256.Widen(sqLo);
            var (h0, h1) = Vector256.Widen(sqHi);
            acc += (l0 + l1) + (h0 + h1);
            if (++belowSteps == 255)
            {
                below += SumBytes(belowAcc);
                belowAcc = Vector256<byte>.Zero;
                belowSteps = 0;
            }
            if (++steps == FlushSteps)
            {
                sum += SumUInts(acc);
                acc = Vector256<uint>.Zero;
                steps = 0;
            }
        }
        sum += SumUInts(acc);
        below += SumBytes(belowAcc);
        var (ts, tb) = MeasureScalar(a[end..], b[end..], threshold);
        return (sum + ts, below + tb);
    }

    private static ulong SumUInts(Vector256<uint> v)
    {
        var (lo, hi) = Vector256.Widen(v);
        return Vector256.Sum(lo + hi);
    }

    private static long SumBytes(Vector256<byte> v)
    {
        var (lo, hi) = Vector256.Widen(v);
        return Vector256.Sum(lo + hi);
    }

    /// <summary>Scalar twin of <see cref="Measure"/>.</summary>
    public static (ulong SumSquares, long Below) MeasureScalar(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, byte threshold)
    {
        ulong sum = 0;
        long below = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var d = Math.Abs(a[i] - b[i]);
            sum += (ulong)(d * d);
            if (d < threshold) below++;
        }
        return (sum, below);
    }
}
