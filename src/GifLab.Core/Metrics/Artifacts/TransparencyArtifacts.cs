namespace GifLab.Core.Metrics.Artifacts;

/// <summary>
/// <c>transparency_artifact_score</c>: how much of the transparent area changed, on the raw RGBA
/// frames before any background is applied (the reference computed it on already-composited RGB,
/// so it was always 0; metrics.md §5.6). Per pair, a pixel is transparent when alpha &lt; 128;
/// score = Σ pixels transparent in exactly one of the two / Σ pixels transparent in either
/// (Jaccard distance of the transparency masks). Range [0, 1], 0 = transparency preserved (also when
/// neither GIF has any transparent pixel), lower is better. Colour damage under transparency is
/// caught by the other metrics, which run over white and black and keep the worse.
/// </summary>
public sealed class TransparencyArtifacts : IQualityMetric
{
    public MetricInfo Info { get; } = new("transparency_artifact_score", 1, ["transparency_artifact_score"],
        ScoreDirection.LowerIsBetter, 0, 1, false,
        "Jaccard distance of the transparent-pixel masks (0 = transparency preserved).");

    public void Measure(MetricContext context, MetricSink sink)
    {
        long mismatch = 0, union = 0;
        var reference = context.Reference.Frames;
        for (int i = 0; i < context.PairCount; i++)
        {
            var a = reference.Frames[i].Rgba; var b = context.Candidate.Frames[context.Pairs[i]].Rgba;
            for (int p = 3; p < a.Length; p += 4)
            {
                bool ta = a[p] < 128, tb = b[p] < 128;
                if (ta || tb) { union++; if (ta != tb) mismatch++; }
            }
        }
        sink.Set("transparency_artifact_score", union == 0 ? 0.0 : (double)mismatch / union);
    }
}
