using System.Buffers;
using GifLab.Core.Features.Kernels;
using static GifLab.Core.Features.FeatureNames;

namespace GifLab.Core.Features.Spatial;

/// <summary>
/// The seven single-frame features of the representative frame R (features.md §4). All work on the OpenCV
/// grey plane <c>Y</c> (<see cref="OpenCvGray"/>) except <c>color_complexity</c>, which reads RGB. "std" is the
/// population standard deviation; sums are in double.
/// <list type="bullet">
/// <item><c>entropy</c>: Shannon entropy (bits) of the 256-bin histogram of Y, capped at 8.</item>
/// <item><c>edge_density</c>: share of pixels marked by OpenCV Canny(Y, 100, 200, aperture 3, L1) (<see cref="Canny"/>).</item>
/// <item><c>color_complexity</c>: distinct colours after <c>v → floor(v/32)·32</c> per channel, / 512, capped at 1.</item>
/// <item><c>gradient_smoothness</c>: <c>1 / (1 + std(√(gx² + gy²)) / 50)</c>, 3×3 Sobel, reflect-101 border.</item>
/// <item><c>contrast_score</c>: <c>min(std(Y) / 128, 1)</c>.</item>
/// <item><c>text_density</c>: <c>min(mean |Laplacian(Y)| / 50, 1)</c>, 4-neighbour kernel, reflect-101.</item>
/// <item><c>dct_energy_ratio</c>: Y as float → 64×64 OpenCV bilinear (<see cref="BilinearResize"/>) → orthonormal
/// DCT-II (<see cref="Dct2"/>); Σ|D| outside the 16×16 low-frequency corner over Σ|D|; 0.5 when Σ|D| &lt; 1e-10
/// (a black frame gives 0.5). Absolute values, not energies, as in the reference.</item>
/// </list>
/// </summary>
internal sealed class SpatialFeatures : IFeature
{
    public const int CannyLow = 100, CannyHigh = 200;
    public const int DctSize = 64, DctLowBand = 16;
    private static readonly Dct2 Dct = new(DctSize);

    public string Name => "spatial";

    public IReadOnlyList<FeatureInfo> Outputs { get; } =
    [
        new(Entropy, 0, 8, false, false, "Shannon entropy (bits) of the grey histogram of the representative frame."),
        new(EdgeDensity, 0, 1, false, false, "Share of Canny(100, 200, L1) edge pixels in the representative frame."),
        new(ColorComplexity, 0, 1, false, false, "Distinct 8-level-per-channel colours / 512 in the representative frame."),
        new(GradientSmoothness, 0, 1, false, false, "1 / (1 + std(Sobel magnitude) / 50)."),
        new(ContrastScore, 0, 1, false, false, "min(std(grey) / 128, 1)."),
        new(TextDensity, 0, 1, false, false, "min(mean |4-neighbour Laplacian| / 50, 1)."),
        new(DctEnergyRatio, 0, 1, false, false, "Σ|DCT| outside the 16×16 low band / Σ|DCT| of the 64×64-resized grey frame."),
    ];

    public void Compute(scoped in FeatureInput input, Span<double?> values)
    {
        int w = input.Width, h = input.Height, n = w * h;
        var rgba = input.Representative;
        var grayArr = ArrayPool<byte>.Shared.Rent(n);
        var aArr = ArrayPool<int>.Shared.Rent(n);
        var bArr = ArrayPool<int>.Shared.Rent(n);
        try
        {
            var gray = grayArr.AsSpan(0, n);
            OpenCvGray.FromRgba(rgba, gray);

            // entropy and contrast from the grey histogram (exact sums).
            Span<long> hist = stackalloc long[256];
            hist.Clear();
            foreach (var v in gray) hist[v]++;
            values[0] = Math.Min(ShannonEntropy.OfHistogram(hist), 8.0);

            // edge_density
            var edgesArr = ArrayPool<byte>.Shared.Rent(n);
            try { values[1] = (double)Canny.Detect(gray, w, h, CannyLow, CannyHigh, edgesArr) / n; }
            finally { ArrayPool<byte>.Shared.Return(edgesArr); }

            values[2] = ColorComplexityOf(rgba, n);

            var gx = aArr.AsSpan(0, n);
            var gy = bArr.AsSpan(0, n);
            Filters3x3.Sobel(gray, w, h, gx, gy, Filters3x3.BorderMode.Reflect101);
            values[3] = 1.0 / (1.0 + GradientMagnitudeStd(gx, gy) / 50.0);

            values[4] = Math.Min(StdOfHistogram(hist, n) / 128.0, 1.0);

            var lap = aArr.AsSpan(0, n);
            Filters3x3.Laplacian(gray, w, h, lap, Filters3x3.BorderMode.Reflect101);
            long absSum = 0;
            foreach (var v in lap) absSum += Math.Abs(v);
            values[5] = Math.Min((double)absSum / n / 50.0, 1.0);

            values[6] = DctEnergyRatioOf(gray, w, h);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(grayArr);
            ArrayPool<int>.Shared.Return(aArr);
            ArrayPool<int>.Shared.Return(bArr);
        }
    }

    internal static double ColorComplexityOf(ReadOnlySpan<byte> rgba, int n)
    {
        Span<bool> seen = stackalloc bool[512];
        seen.Clear();
        var count = 0;
        for (int i = 0, p = 0; i < n; i++, p += 4)
        {
            var code = (rgba[p] >> 5) << 6 | (rgba[p + 1] >> 5) << 3 | (rgba[p + 2] >> 5);
            if (!seen[code]) { seen[code] = true; count++; }
        }
        return Math.Min(count / 512.0, 1.0);
    }

    /// <summary>Population std of √(gx² + gy²), two passes in double (as numpy's <c>std</c>).</summary>
    internal static double GradientMagnitudeStd(ReadOnlySpan<int> gx, ReadOnlySpan<int> gy)
    {
        var n = gx.Length;
        double sum = 0;
        for (var i = 0; i < n; i++) sum += Math.Sqrt((double)gx[i] * gx[i] + (double)gy[i] * gy[i]);
        var mean = sum / n;
        double ss = 0;
        for (var i = 0; i < n; i++)
        {
            var d = Math.Sqrt((double)gx[i] * gx[i] + (double)gy[i] * gy[i]) - mean;
            ss += d * d;
        }
        return Math.Sqrt(ss / n);
    }

    /// <summary>Population std of the grey values, exact moments from the histogram.</summary>
    internal static double StdOfHistogram(ReadOnlySpan<long> hist, int n)
    {
        double sum = 0;
        for (var v = 0; v < 256; v++) sum += (double)v * hist[v];
        var mean = sum / n;
        double ss = 0;
        for (var v = 0; v < 256; v++) { var d = v - mean; ss += d * d * hist[v]; }
        return Math.Sqrt(ss / n);
    }

    internal static double DctEnergyRatioOf(ReadOnlySpan<byte> gray, int w, int h)
    {
        var src = ArrayPool<float>.Shared.Rent(w * h);
        try
        {
            for (var i = 0; i < w * h; i++) src[i] = gray[i];
            Span<float> small = new float[DctSize * DctSize];
            if (w == DctSize && h == DctSize) src.AsSpan(0, w * h).CopyTo(small);
            else BilinearResize.Resize(src.AsSpan(0, w * h), w, h, small, DctSize, DctSize);
            var coeffs = new double[DctSize * DctSize];
            Dct.Forward(small, coeffs);
            double low = 0, high = 0;
            for (var u = 0; u < DctSize; u++)
            for (var v = 0; v < DctSize; v++)
            {
                var a = Math.Abs(coeffs[u * DctSize + v]);
                if (u < DctLowBand && v < DctLowBand) low += a; else high += a;
            }
            var total = low + high;
            return total < 1e-10 ? 0.5 : high / total;
        }
        finally { ArrayPool<float>.Shared.Return(src); }
    }
}
