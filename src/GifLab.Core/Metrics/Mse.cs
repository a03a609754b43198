namespace GifLab.Core.Metrics;

/// <summary>
/// Mean squared error per frame pair over all R, G, B values (0–255 units, exact integer sums).
/// Range [0, 65025], lower is better; black vs white = 65025. GIF value = mean over pairs.
/// Golden tolerance 1e-6 relative.
/// </summary>
public sealed class Mse : IQualityMetric
{
    public MetricInfo Info { get; } = new("mse", 1, MetricInfo.Family("mse"), ScoreDirection.LowerIsBetter, 0, 65025, false,
        "Mean squared error over RGB in 8-bit units, mean over frame pairs.");

    public void Measure(MetricContext context, MetricSink sink)
    {
        var sse = context.SumSquaredErrors();
        double samples = 3.0 * context.Width * context.Height;
        var perFrame = new double?[sse.Length];
        for (int i = 0; i < sse.Length; i++) perFrame[i] = sse[i] / samples;
        sink.SetFamily("mse", perFrame, "no frame pairs");
    }
}
