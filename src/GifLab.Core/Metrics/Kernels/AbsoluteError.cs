using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GifLab.Core.Metrics.Kernels;

/// <summary>Σ|a − b| over two byte buffers (exact, 64-bit).</summary>
/// <remarks>
/// Lanes: AVX2 <c>vpsadbw</c> on 32 bytes gives four 64-bit partial sums per step; without AVX2 the
/// scalar loop runs. Tail (&lt; 32 bytes) is scalar. <see cref="SumScalar"/> is the twin.
/// </remarks>
internal static class AbsoluteError
{
    public static long Sum(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length != b.Length) throw new ArgumentException("length mismatch");
        long total = 0;
        int i = 0;
        if (Avx2.IsSupported)
        {
            ref byte ra = ref MemoryMarshal.GetReference(a);
            ref byte rb = ref MemoryMarshal.GetReference(b);
            var acc = Vector256<ulong>.Zero;
            for (; i + 32 <= a.Length; i += 32)
            {
                var va = Vector256.LoadUnsafe(ref ra, (nuint)i);
                var vb = Vector256.LoadUnsafe(ref rb, (nuint)i);
                acc += Avx2.SumAbsoluteDifferences(va, vb).AsUInt64();
            }
            total = (long)Vector256.Sum(acc);
        }
        for (; i < a.Length; i++) total += Math.Abs(a[i] - b[i]);
        return total;
    }

    public static long SumScalar(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        long total = 0;
        for (int i = 0; i < a.Length; i++) total += Math.Abs(a[i] - b[i]);
        return total;
    }
}
