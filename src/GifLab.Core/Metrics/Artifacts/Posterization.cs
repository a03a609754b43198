namespace GifLab.Core.Metrics.Artifacts;

/// <summary>
/// <c>posterization_score</c>: loss of tonal levels in smooth gradients. For each smooth gradient
/// block of the original (<see cref="BlockAnalysis.GradientBlocks"/>) with more than one luma level:
/// 1 − min(1, levels(compressed)/levels(original)), levels = distinct luma values rounded to
/// integers; mean over blocks. Range [0, 1], 0 = levels kept, lower is better; 0 when the original has
/// no smooth gradient (see <c>gradient_region_count</c>). Up to 10 uniformly spaced pairs unless
/// exact. Source: metrics.md §5.5, on the whole frame.
/// </summary>
public sealed class Posterization : IQualityMetric
{
    public MetricInfo Info { get; } = new("posterization_score", 1, ["posterization_score"],
        ScoreDirection.LowerIsBetter, 0, 1, false,
        "Share of distinct luma levels lost in smooth gradient blocks (0 = none lost).");

    public void Measure(MetricContext context, MetricSink sink)
    {
        int w = context.Width, h = context.Height;
        double sum = 0; long n = 0;
        Span<bool> seenO = stackalloc bool[256];
        Span<bool> seenC = stackalloc bool[256];
        var frames = BlockAnalysis.SampledPairs(context);
        var repeat = new MetricContext.RepeatLog<double>(context, frames); // a pair byte-identical to the last one adds its block terms again
        for (int f = 0; f < frames.Length; f++)
        {
            int i = frames[f];
            var blocks = context.ReferenceCached("gradient_blocks", i, () => BlockAnalysis.GradientBlocks(context.ReferenceLuma(i), w, h));
            if (repeat.Repeats(f))
            {
                foreach (double term in repeat.Terms) { sum += term; n++; }
                continue;
            }
            float[] o = context.ReferenceLuma(i), c = context.CandidateLuma(i);
            for (int k = 0; k < blocks.Length; k += 2)
            {
                seenO.Clear(); seenC.Clear();
                int lo = 0, lc = 0;
                for (int y = blocks[k + 1]; y < blocks[k + 1] + BlockAnalysis.Block; y++)
                    for (int x = blocks[k]; x < blocks[k] + BlockAnalysis.Block; x++)
                    {
                        int vo = (int)MathF.Round(o[y * w + x]), vc = (int)MathF.Round(c[y * w + x]);
                        if (!seenO[vo]) { seenO[vo] = true; lo++; }
                        if (!seenC[vc]) { seenC[vc] = true; lc++; }
                    }
                if (lo <= 1) continue;
                double lost = 1 - Math.Min(1.0, (double)lc / lo);
                sum += lost; n++;
                if (repeat.Logging) repeat.Terms.Add(lost);
            }
        }
        sink.Set("posterization_score", n == 0 ? 0.0 : Math.Clamp(sum / n, 0, 1));
    }
}
