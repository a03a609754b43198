namespace GifLab.Core.Metrics;

/// <summary>
/// Root mean squared error per frame pair, sqrt(mse) over R, G, B (0–255 units). Range [0, 255],
/// lower is better. GIF value = mean of per-frame RMSE.
/// </summary>
public sealed class Rmse : IQualityMetric
{
    public MetricInfo Info { get; } = new("rmse", 1, MetricInfo.Family("rmse"), ScoreDirection.LowerIsBetter, 0, 255, false,
        "Root mean squared error over RGB in 8-bit units, mean over frame pairs.");

    public void Measure(MetricContext context, MetricSink sink)
    {
        var sse = context.SumSquaredErrors();
        double samples = 3.0 * context.Width * context.Height;
        var perFrame = new double?[sse.Length];
        for (int i = 0; i < sse.Length; i++) perFrame[i] = Math.Sqrt(sse[i] / samples);
        sink.SetFamily("rmse", perFrame, "no frame pairs");
    }
}
