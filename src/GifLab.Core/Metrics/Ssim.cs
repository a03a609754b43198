using GifLab.Core.Metrics.Kernels;

namespace GifLab.Core.Metrics;

/// <summary>
/// SSIM per frame pair, scikit-image <c>structural_similarity(Y1, Y2, data_range=255)</c> with its
/// defaults: BT.601 float luma (not rounded), 7×7 uniform window, K1 = 0.01, K2 = 0.03, sample
/// covariance (49/48), mean of the map cropped by 3 px. Range [−1, 1] (1 = identical), higher is
/// better; not clamped. Frames under 7 px → null. GIF value = mean over pairs, plus _std/_min/_max.
/// Golden: testdata/golden (scikit-image 0.19.3), tolerance 1e-4.
/// </summary>
public sealed class Ssim : IQualityMetric
{
    public MetricInfo Info { get; } = new("ssim", 1, MetricInfo.Family("ssim"), ScoreDirection.HigherIsBetter, -1, 1, false,
        "SSIM (scikit-image definition: 7×7 box window, sample covariance, BT.601 float luma), mean over frame pairs.");

    public void Measure(MetricContext context, MetricSink sink)
    {
        var rows = context.Options.ComputeIdenticalPairs ? null : new StructuralSimilarity.RowSums();
        int last = -1; // pair whose row sums `rows` holds
        bool window = context.Width >= StructuralSimilarity.SsimWindow && context.Height >= StructuralSimilarity.SsimWindow;
        var perFrame = context.PerPair<double?>(context.AllPairs(), i =>
        {
            // Rows equal to the last computed pair's (in both frames) keep their window sums (bit-identical).
            var v = StructuralSimilarity.Ssim(context.ReferenceLuma(i), context.CandidateLuma(i), context.Width, context.Height,
                rows is not null && last >= 0 ? context.UnchangedRows(i, last) : default, rows);
            last = i;
            return v;
        }, window ? () => 1.0 : null);
        sink.SetSeries("ssim", perFrame);
        sink.SetFamily("ssim", perFrame, "canvas smaller than 7 px");
    }
}
