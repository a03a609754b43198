using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GifLab.Core.Metrics;

/// <summary>
/// Flat-content fallback of the gradient/texture similarity metrics (metrics.md §3.12): a frame is
/// flat when every channel has peak-to-peak ≤ 4 and standard deviation &lt; 1 (8-bit units). When
/// both frames are flat, the score blends from the metric's identity value (same colour) to its
/// worst value with the distance of the mean colours: blend = clamp((L2 − 1)/50, 0, 1). When exactly
/// one is flat, the worst value. Otherwise null (use the normal formula).
/// </summary>
internal static class FlatContent
{
    public static (bool Flat, double R, double G, double B) Analyse(ReadOnlySpan<byte> rgb) => Analyse(rgb, vectorised: true);

    /// <summary><see cref="Analyse(ReadOnlySpan{byte})"/>; the vector path reads 96-byte blocks (32 pixels, so
    /// every byte lane always holds the same channel) and keeps per-lane min, max and integer sums of v and v²,
    /// folded into the three channels at the end: the same integers as the scalar loop.</summary>
    internal static (bool Flat, double R, double G, double B) Analyse(ReadOnlySpan<byte> rgb, bool vectorised)
    {
        int n = rgb.Length / 3;
        Span<int> min = [255, 255, 255];
        Span<int> max = [0, 0, 0];
        Span<long> sumI = [0, 0, 0];
        Span<long> sqI = [0, 0, 0];
        int start = 0;
        if (vectorised && Vector256.IsHardwareAccelerated && rgb.Length >= 96)
            start = AnalyseBlocks(rgb, min, max, sumI, sqI);
        for (int i = start; i + 2 < rgb.Length; i += 3)
            for (int c = 0; c < 3; c++)
            {
                int v = rgb[i + c];
                if (v < min[c]) min[c] = v;
                if (v > max[c]) max[c] = v;
                sumI[c] += v; sqI[c] += v * v;
            }
        Span<double> sum = [sumI[0], sumI[1], sumI[2]];
        Span<double> sq = [sqI[0], sqI[1], sqI[2]];
        bool flat = true;
        for (int c = 0; c < 3; c++)
        {
            double m = sum[c] / n, var = sq[c] / n - m * m;
            if (max[c] - min[c] > 4 || Math.Sqrt(Math.Max(0, var)) >= 1.0) flat = false;
        }
        return (flat, sum[0] / n, sum[1] / n, sum[2] / n);
    }

    private static int AnalyseBlocks(ReadOnlySpan<byte> rgb, Span<int> min, Span<int> max, Span<long> sum, Span<long> sq)
    {
        ref byte p = ref MemoryMarshal.GetReference(rgb);
        int blocks = rgb.Length / 96;
        Span<Vector256<byte>> mn = [Vector256<byte>.AllBitsSet, Vector256<byte>.AllBitsSet, Vector256<byte>.AllBitsSet];
        Span<Vector256<byte>> mx = [default, default, default];
        Span<Vector256<uint>> s = stackalloc Vector256<uint>[12];
        Span<Vector256<uint>> q = stackalloc Vector256<uint>[12];
        Span<uint> lanes = stackalloc uint[8];
        for (int b0 = 0; b0 < blocks; b0 += 16384) // 16384 · 255² < 2³²: flush the uint lanes before they can overflow
        {
            s.Clear(); q.Clear();
            int end = Math.Min(blocks, b0 + 16384);
            for (int b = b0; b < end; b++)
                for (int v = 0; v < 3; v++)
                {
                    var x = Vector256.LoadUnsafe(ref p, (nuint)(b * 96 + v * 32));
                    mn[v] = Vector256.Min(mn[v], x); mx[v] = Vector256.Max(mx[v], x);
                    var (lo, hi) = Vector256.Widen(x);
                    var lo2 = lo * lo; var hi2 = hi * hi;
                    var (a0, a1) = Vector256.Widen(lo); var (a2, a3) = Vector256.Widen(hi);
                    var (q0, q1) = Vector256.Widen(lo2); var (q2, q3) = Vector256.Widen(hi2);
                    int k = v * 4;
                    s[k] += a0; s[k + 1] += a1; s[k + 2] += a2; s[k + 3] += a3;
                    q[k] += q0; q[k + 1] += q1; q[k + 2] += q2; q[k + 3] += q3;
                }
            for (int k = 0; k < 12; k++)
            {
                int offset = (k >> 2) * 32 + (k & 3) * 8; // byte offset of lane 0 in the 96-byte block
                s[k].CopyTo(lanes);
                for (int l = 0; l < 8; l++) sum[(offset + l) % 3] += lanes[l];
                q[k].CopyTo(lanes);
                for (int l = 0; l < 8; l++) sq[(offset + l) % 3] += lanes[l];
            }
        }
        Span<byte> bytes = stackalloc byte[32];
        for (int v = 0; v < 3; v++)
        {
            mn[v].CopyTo(bytes);
            for (int l = 0; l < 32; l++) { int c = (v * 32 + l) % 3; if (bytes[l] < min[c]) min[c] = bytes[l]; }
            mx[v].CopyTo(bytes);
            for (int l = 0; l < 32; l++) { int c = (v * 32 + l) % 3; if (bytes[l] > max[c]) max[c] = bytes[l]; }
        }
        return blocks * 96;
    }

    public static double? Score((bool Flat, double R, double G, double B) a, (bool Flat, double R, double G, double B) b,
                                double identity, double worst)
    {
        if (a.Flat && b.Flat)
        {
            double dr = a.R - b.R, dg = a.G - b.G, db = a.B - b.B;
            double l2 = Math.Sqrt(dr * dr + dg * dg + db * db);
            double blend = Math.Clamp((l2 - 1.0) / 50.0, 0, 1);
            return identity * (1 - blend) + worst * blend;
        }
        if (a.Flat != b.Flat) return worst;
        return null;
    }
}
