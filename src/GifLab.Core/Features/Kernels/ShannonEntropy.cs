namespace GifLab.Core.Features.Kernels;

/// <summary>Shannon entropy (bits) of a histogram: <c>−Σ p·log2 p</c> over non-empty bins, <c>p = count / total</c>.</summary>
internal static class ShannonEntropy
{
    public static double OfHistogram(ReadOnlySpan<long> histogram)
    {
        long total = 0;
        foreach (var c in histogram) total += c;
        if (total == 0) return 0;
        double h = 0;
        foreach (var c in histogram)
        {
            if (c == 0) continue;
            var p = (double)c / total;
            h -= p * Math.Log2(p);
        }
        return h;
    }
}
