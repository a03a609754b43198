namespace GifLab.Core.Metrics;

/// <summary>
/// <c>efficiency</c>: quality per byte saved, <see cref="CompositeScore.Efficiency"/> of
/// <c>composite_score</c> and the file-size compression ratio. Needs the file sizes, so it is only
/// filled by <see cref="MetricSuite.Measure(PreparedReference, Model.FrameSequence, MetricOptions, long, long)"/>
/// (or computed later with <see cref="CompositeScore.Efficiency"/>); otherwise null with a reason.
/// Range [0, 1], higher is better.
/// </summary>
public sealed class Efficiency : IQualityMetric
{
    public MetricInfo Info { get; } = new("efficiency", 1, ["efficiency", "compression_ratio"], ScoreDirection.HigherIsBetter, 0, 1, false,
        "sqrt(composite) · sqrt(min(ln(1 + size ratio)/ln 21, 1)); needs file sizes.", MetricStage.Summary);

    public void Measure(MetricContext context, MetricSink sink)
    {
        if (context.CompressionRatio is not { } ratio)
        {
            sink.SetNull("efficiency", "file sizes not given");
            sink.SetNull("compression_ratio", "file sizes not given");
            return;
        }
        sink.Set("compression_ratio", ratio);
        sink.Set("efficiency", CompositeScore.Efficiency(sink.Get("composite_score"), ratio), "composite_score is null");
    }
}
