namespace GifLab.Core.Metrics;

/// <summary>
/// Context of a measurement: <c>frame_count</c> (original frames, all of them — never a sample),
/// <c>compressed_frame_count</c>, <c>frame_pairs</c> (pairs compared = original frames), and
/// <c>background_passes</c> (1 = opaque; 2 = some pixel is transparent, so every metric ran over
/// white and over black and the worse value was kept).
/// </summary>
public sealed class FrameCounts : IQualityMetric
{
    public MetricInfo Info { get; } = new("frame_count", 1, ["frame_count", "compressed_frame_count", "frame_pairs", "background_passes"],
        ScoreDirection.Informational, 1, null, false, "Frame counts, pairs compared and background passes.", MetricStage.Summary);

    public void Measure(MetricContext context, MetricSink sink)
    {
        sink.Set("frame_count", context.Reference.Frames.FrameCount);
        sink.Set("compressed_frame_count", context.Candidate.FrameCount);
        sink.Set("frame_pairs", context.PairCount);
        sink.Set("background_passes", context.BackgroundPasses);
    }
}
