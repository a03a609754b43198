namespace GifLab.Core.Metrics.Artifacts;

/// <summary>
/// <c>disposal_artifact_score</c>: wrong frame disposal in the compressed GIF — stale content left
/// on screen (trails, ghosting) or content changing where the original holds still. Range [0, 1],
/// 0 = none, 1 = every moving pixel wrong; lower is better.
/// <para>For each pair of consecutive original frames (skipping steps where the compressed frame
/// does not change because frames were merged or dropped — pairing penalises those elsewhere) and
/// each pixel, with "differs" = BT.601 luma differs by more than 24 levels: <i>stale</i> = the original
/// changed, the compressed did not, and the compressed now differs from the original;
/// <i>ghost</i> = the original did not change, the compressed did, and now differs from the
/// original. Score = Σ(stale + ghost) / Σ(original changed + ghost); 0 when nothing moves.</para>
/// <para>Source: the intent of the reference's single-stream disposal heuristic (metrics.md §4.2,
/// a bag of magic constants computed on each stream alone); this is a pair signal instead, so a
/// clean re-encode of a busy animation scores 0 rather than "the animation's own variance".</para>
/// </summary>
public sealed class DisposalArtifacts : IQualityMetric
{
    private const float Threshold = 24f;

    public MetricInfo Info { get; } = new("disposal_artifact_score", 1, ["disposal_artifact_score"],
        ScoreDirection.LowerIsBetter, 0, 1, true,
        "Fraction of moving pixels left stale or changed where the original is static (0 = clean).");

    public void Measure(MetricContext context, MetricSink sink)
    {
        long bad = 0, denom = 0;
        for (int i = 1; i < context.PairCount; i++)
        {
            if (context.Pairs[i] == context.Pairs[i - 1]) continue;
            var (changed, stale, ghost) = Kernels.TemporalCounts.Disposal(context.ReferenceLuma(i - 1), context.ReferenceLuma(i),
                                                                          context.CandidateLuma(i - 1), context.CandidateLuma(i), Threshold);
            bad += stale + ghost;
            denom += changed + ghost;
        }
        sink.Set("disposal_artifact_score", denom == 0 ? 0.0 : (double)bad / denom);
    }
}
