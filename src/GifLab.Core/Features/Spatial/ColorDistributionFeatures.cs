using System.Buffers;
using GifLab.Core.Features.Kernels;
using static GifLab.Core.Features.FeatureNames;

namespace GifLab.Core.Features.Spatial;

/// <summary>
/// Colour-distribution features over the pixels of the first 5 sampled frames, pooled (features.md §5).
/// <list type="bullet">
/// <item><c>color_histogram_entropy</c>: Shannon entropy (bits) of the 512-bin histogram of
/// <c>64·⌊R/32⌋ + 8·⌊G/32⌋ + ⌊B/32⌋</c>, capped at 8 (schema range 0–8; a 512-bin entropy can reach 9).
/// <b>Deviation from the reference (extraction 1.1.0):</b> the reference (1.0.0) forms the bin code in 8-bit
/// unsigned arithmetic, so <c>64·⌊R/32⌋</c> wraps modulo 256 and red levels 0/4, 1/5, 2/6, 3/7 share bins
/// (half (0,0,0) + half (128,0,0) gives 0 instead of 1). We use all 512 bins. Values are unchanged whenever no
/// two colours present differ only in the top bit of their red level (e.g. both Appendix A GIFs).
/// <see cref="HistogramEntropy"/> keeps the reference behaviour available for tests.</item>
/// <item><c>dominant_color_ratio</c>: per channel <c>v → ⌊v/16⌋·16</c> (4 096 colours); the 10 largest colour
/// counts summed / number of pixels.</item>
/// </list>
/// </summary>
internal sealed class ColorDistributionFeatures : IFeature
{
    public const int FramesUsed = 5;
    public const int TopColors = 10;

    public string Name => "color";

    public IReadOnlyList<FeatureInfo> Outputs { get; } =
    [
        new(ColorHistogramEntropy, 0, 8, false, false, "Entropy (bits) of the 512-bin 3-bit-per-channel colour histogram of the first 5 sampled frames (1.1.0: no 8-bit wrap)."),
        new(DominantColorRatio, 0, 1, false, false, "Share of pixels in the 10 most common 4-bit-per-channel colours of the first 5 sampled frames."),
    ];

    public void Compute(scoped in FeatureInput input, Span<double?> values)
    {
        var frames = Math.Min(FramesUsed, input.SampleCount);
        var hist512 = ArrayPool<long>.Shared.Rent(512);
        var hist4096 = ArrayPool<long>.Shared.Rent(4096);
        try
        {
            var h512 = hist512.AsSpan(0, 512);
            var h4096 = hist4096.AsSpan(0, 4096);
            h512.Clear();
            h4096.Clear();
            for (var k = 0; k < frames; k++) Accumulate(input.Sample(k), h512, h4096, wrapRed: false);
            long pixels = (long)frames * input.PixelCount;
            values[0] = Math.Min(ShannonEntropy.OfHistogram(h512), 8.0);
            values[1] = TopShare(h4096, pixels);
        }
        finally
        {
            ArrayPool<long>.Shared.Return(hist512);
            ArrayPool<long>.Shared.Return(hist4096);
        }
    }

    /// <summary>Adds an opaque RGBA frame to the 512-bin and 4 096-bin histograms.</summary>
    /// <param name="rgba">The frame's pixels.</param>
    /// <param name="h512">The 512-bin histogram.</param>
    /// <param name="h4096">The 4 096-bin histogram.</param>
    /// <param name="wrapRed">Reproduce the reference's 8-bit overflow (<c>(64·qR) mod 256</c>).</param>
    internal static void Accumulate(ReadOnlySpan<byte> rgba, Span<long> h512, Span<long> h4096, bool wrapRed)
    {
        var redMask = wrapRed ? 0xFF : 0x1FF;
        for (var p = 0; p + 3 < rgba.Length; p += 4)
        {
            int r = rgba[p], g = rgba[p + 1], b = rgba[p + 2];
            h512[((r >> 5) << 6 & redMask) | (g >> 5) << 3 | (b >> 5)]++;
            h4096[(r >> 4) << 8 | (g >> 4) << 4 | (b >> 4)]++;
        }
    }

    /// <summary><c>color_histogram_entropy</c> of a set of opaque RGBA frames; <paramref name="wrapRed"/> = reference 1.0.0 behaviour.</summary>
    internal static double HistogramEntropy(IEnumerable<byte[]> frames, bool wrapRed)
    {
        var h512 = new long[512];
        var h4096 = new long[4096];
        foreach (var f in frames) Accumulate(f, h512, h4096, wrapRed);
        return Math.Min(ShannonEntropy.OfHistogram(h512), 8.0);
    }

    private static double TopShare(ReadOnlySpan<long> counts, long pixels)
    {
        Span<long> top = stackalloc long[TopColors];   // descending
        top.Clear();
        foreach (var c in counts)
        {
            if (c <= top[TopColors - 1]) continue;
            var i = TopColors - 1;
            while (i > 0 && top[i - 1] < c) { top[i] = top[i - 1]; i--; }
            top[i] = c;
        }
        long sum = 0;
        foreach (var t in top) sum += t;
        return (double)sum / pixels;
    }
}
