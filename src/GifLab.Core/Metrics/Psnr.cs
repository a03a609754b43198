namespace GifLab.Core.Metrics;

/// <summary>
/// PSNR in dB per frame pair over all R, G, B values: MSE = mean((a − b)²) in exact integers,
/// PSNR = 100 dB when MSE = 0 (identical frames) and otherwise min(100, 10·log10(255²/MSE)); the
/// 100 dB cap only matters for MSE below 6.5e-6. GIF value = mean of per-frame dB values (not the
/// PSNR of the mean MSE). Range [0, 100], higher is better. Always dB (the reference mixed a 0–1
/// scale into psnr_std/_min/_max; metrics.md §16.5). Golden tolerance 1e-4 dB.
/// </summary>
public sealed class Psnr : IQualityMetric
{
    /// <summary>PSNR reported for identical frames, and the upper cap.</summary>
    public const double IdenticalDb = 100.0;

    public MetricInfo Info { get; } = new("psnr", 1, MetricInfo.Family("psnr"), ScoreDirection.HigherIsBetter, 0, IdenticalDb, false,
        "PSNR in dB over RGB (identical frames → 100 dB cap), mean of per-frame dB.");

    public static double FromMse(double mse) =>
        mse <= 0 ? IdenticalDb : Math.Min(IdenticalDb, 10.0 * Math.Log10(255.0 * 255.0 / mse));

    public void Measure(MetricContext context, MetricSink sink)
    {
        var sse = context.SumSquaredErrors();
        double samples = 3.0 * context.Width * context.Height;
        var perFrame = new double?[sse.Length];
        for (int i = 0; i < sse.Length; i++) perFrame[i] = FromMse(sse[i] / samples);
        sink.SetFamily("psnr", perFrame, "no frame pairs");
    }
}
