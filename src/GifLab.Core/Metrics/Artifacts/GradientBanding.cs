namespace GifLab.Core.Metrics.Artifacts;

/// <summary>
/// <c>gradient_banding_score</c>: false contours in smooth gradients. In the original's smooth
/// gradient blocks (<see cref="BlockAnalysis.GradientBlocks"/>, whole frame, 16 px), over horizontal
/// and vertical neighbour pairs: B = Σ|ΔC| over pairs where the compressed steps by ≥ 3 luma levels
/// while the original steps by &lt; 2 (a new visible band edge), T = Σ|ΔO| (the gradient's own
/// variation). Score = min(1, B/T): ≈ 0 when the gradient survives (or is dithered finely), → 1 when
/// all of its variation is concentrated into visible steps. Range [0, 1], lower is better; 0 with
/// <c>gradient_region_count</c> = 0 when the original has no smooth gradient. Up to 10 uniformly
/// spaced pairs unless exact. Replaces the reference's 0–100 severity, which the composite
/// normalised as if 0–1 (metrics.md §16.5).
/// </summary>
public sealed class GradientBanding : IQualityMetric
{
    public MetricInfo Info { get; } = new("gradient_banding_score", 1, ["gradient_banding_score", "gradient_region_count"],
        ScoreDirection.LowerIsBetter, 0, 1, false,
        "Share of a smooth gradient's variation turned into visible steps (0 = no banding).");

    public void Measure(MetricContext context, MetricSink sink)
    {
        int w = context.Width, h = context.Height;
        double banded = 0, variation = 0;
        long regions = 0;
        var frames = BlockAnalysis.SampledPairs(context);
        foreach (var i in frames)
        {
            var blocks = context.ReferenceCached("gradient_blocks", i, () => BlockAnalysis.GradientBlocks(context.ReferenceLuma(i), w, h));
            regions += blocks.Length / 2;
            float[] o = context.ReferenceLuma(i), c = context.CandidateLuma(i);
            for (int k = 0; k < blocks.Length; k += 2)
            {
                int bx = blocks[k], by = blocks[k + 1];
                for (int y = by; y < by + BlockAnalysis.Block; y++)
                    for (int x = bx; x < bx + BlockAnalysis.Block; x++)
                    {
                        int p = y * w + x;
                        if (x + 1 < bx + BlockAnalysis.Block) Step(o, c, p, p + 1, ref banded, ref variation);
                        if (y + 1 < by + BlockAnalysis.Block) Step(o, c, p, p + w, ref banded, ref variation);
                    }
            }
        }
        sink.Set("gradient_banding_score", variation <= 0 ? 0.0 : Math.Min(1.0, banded / variation));
        sink.Set("gradient_region_count", frames.Length == 0 ? 0 : (double)regions / frames.Length);
    }

    private static void Step(float[] o, float[] c, int p, int q, ref double banded, ref double variation)
    {
        float dO = MathF.Abs(o[q] - o[p]), dC = MathF.Abs(c[q] - c[p]);
        variation += dO;
        if (dC >= 3f && dO < 2f) banded += dC;
    }
}
