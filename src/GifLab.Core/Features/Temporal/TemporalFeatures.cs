using GifLab.Core.Features.Kernels;
using static GifLab.Core.Features.FeatureNames;

namespace GifLab.Core.Features.Temporal;

/// <summary>
/// Temporal features over consecutive pairs of the <b>sampled</b> frames (features.md §6), on the three colour
/// channels: per pair <c>mse_i = mean(|F_i − F_{i+1}|²)</c> over H·W·3 values and <c>static_i</c> = share of those
/// values with a difference below 10.
/// <list type="bullet">
/// <item><c>inter_frame_mse_mean</c> / <c>_std</c>: mean / population std of <c>mse_i</c>.</item>
/// <item><c>motion_intensity</c> = <c>min(10·mean / 65 025, 1)</c>; <c>frame_similarity</c> = 1 − motion_intensity.</item>
/// <item><c>motion_smoothness</c> = <c>1 / (1 + std / 1000)</c>; <c>static_region_ratio</c> = mean of <c>static_i</c>.</item>
/// <item><c>temporal_entropy</c>: <c>p_i = mse_i / (Σ mse + 1e-10)</c>, <c>−Σ p_i·log2(p_i + 1e-10)</c>, capped at 8.</item>
/// </list>
/// With fewer than 2 sampled frames: 0, 1, 1, 0, 1, 0, 0 (in schema order). Differences are exact integers
/// (<see cref="FrameDifference"/>); the reference works in float32 and agrees to ~1e-7 relative.
/// The alpha byte of the opaque samples is always 255, so it contributes 0 to the squares and is removed from the
/// "below 10" count.
/// </summary>
internal sealed class TemporalFeatures : IFeature
{
    public const byte StaticThreshold = 10;
    public const double MaxMse = 65025.0;

    public string Name => "temporal";

    public IReadOnlyList<FeatureInfo> Outputs { get; } =
    [
        new(MotionIntensity, 0, 1, false, false, "min(10 · mean inter-frame MSE / 65025, 1) over sampled consecutive pairs."),
        new(MotionSmoothness, 0, 1, false, false, "1 / (1 + std(inter-frame MSE) / 1000)."),
        new(StaticRegionRatio, 0, 1, false, false, "Mean share of channel values changing by less than 10 between sampled consecutive frames."),
        new(TemporalEntropy, 0, 8, false, false, "Entropy (bits) of the inter-frame MSE distribution over pairs."),
        new(FrameSimilarity, 0, 1, false, false, "1 − motion_intensity."),
        new(InterFrameMseMean, 0, double.PositiveInfinity, false, false, "Mean inter-frame MSE (0–65025 per pair)."),
        new(InterFrameMseStd, 0, double.PositiveInfinity, false, false, "Population std of the inter-frame MSE."),
    ];

    public void Compute(scoped in FeatureInput input, Span<double?> values)
    {
        var n = input.SampleCount;
        if (n < 2)
        {
            values[0] = 0.0; values[1] = 1.0; values[2] = 1.0; values[3] = 0.0; values[4] = 1.0; values[5] = 0.0; values[6] = 0.0;
            return;
        }
        var pairs = n - 1;
        Span<double> mse = pairs <= 256 ? stackalloc double[pairs] : new double[pairs];
        long px = input.PixelCount;
        double elements = px * 3.0;
        double staticSum = 0;
        for (var i = 0; i < pairs; i++)
        {
            var (sq, below) = FrameDifference.Measure(input.Sample(i), input.Sample(i + 1), StaticThreshold);
            mse[i] = sq / elements;
            staticSum += (below - px) / elements;   // alpha bytes are equal (255) and always "below"
        }
        Summarise(mse, staticSum / pairs, values);
    }

    /// <summary>Turns per-pair MSEs and the mean static share into the seven outputs.</summary>
    internal static void Summarise(ReadOnlySpan<double> mse, double staticRatio, Span<double?> values)
    {
        var pairs = mse.Length;
        double sum = 0;
        foreach (var m in mse) sum += m;
        var mean = sum / pairs;
        double ss = 0;
        foreach (var m in mse) ss += (m - mean) * (m - mean);
        var std = Math.Sqrt(ss / pairs);

        double h = 0;
        var denom = sum + 1e-10;
        foreach (var m in mse)
        {
            var p = m / denom;
            h -= p * Math.Log2(p + 1e-10);
        }
        var motion = Math.Min(10.0 * mean / MaxMse, 1.0);
        values[0] = motion;
        values[1] = 1.0 / (1.0 + std / 1000.0);
        values[2] = staticRatio;
        values[3] = Math.Min(Math.Max(h, 0.0), 8.0);   // tiny negative rounding → 0
        values[4] = 1.0 - motion;
        values[5] = mean;
        values[6] = std;
    }
}
