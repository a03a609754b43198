namespace GifLab.Core.Metrics.Artifacts;

/// <summary>
/// <c>dither_quality_score</c>: how well the compressed GIF renders the original's smooth areas —
/// what dithering is for: keep the local average colour, at the cost of little visible noise. Per
/// smooth 8×8 block of the original (<see cref="BlockAnalysis.SmoothBlocks"/>): e = RMS over R, G, B
/// of the block-mean error (colour drift, which good dithering avoids), n = RMS of the remaining
/// per-pixel error (dither/quantisation noise); block quality = 1 − clamp((e + n/4)/16, 0, 1), noise
/// weighted ¼ because fine dither at small amplitude is hardly visible. Score = mean over blocks.
/// Range [0, 1], 1 = as the original (a perfect copy scores 1, unlike the reference's 0; metrics.md
/// §16.3), higher is better. Null when the original has no smooth block. Up to 10 uniformly spaced
/// pairs unless exact.
/// </summary>
public sealed class DitherQuality : IQualityMetric
{
    public MetricInfo Info { get; } = new("dither_quality_score", 1, ["dither_quality_score"],
        ScoreDirection.HigherIsBetter, 0, 1, false,
        "Smooth-area rendering: local mean colour kept, little added noise (1 = as original).");

    public void Measure(MetricContext context, MetricSink sink)
    {
        int w = context.Width, h = context.Height, bs = BlockAnalysis.SmallBlock;
        double sum = 0; long n = 0;
        var frames = BlockAnalysis.SampledPairs(context);
        var repeat = new MetricContext.RepeatLog<double>(context, frames); // a pair byte-identical to the last one adds its block terms again
        for (int f = 0; f < frames.Length; f++)
        {
            int i = frames[f];
            var blocks = context.ReferenceCached("smooth_blocks", i, () => BlockAnalysis.SmoothBlocks(context.ReferenceLuma(i), w, h));
            byte[] o = context.ReferenceRgb(i), c = context.CandidateRgb(i);
            if (context.PairIdentical(i))
            {
                // Identical frames: every block has zero error and scores exactly 1 (same additions as below).
                for (int k = 0; k < blocks.Length; k += 2) { sum += 1 - Math.Clamp(0.0, 0, 1); n++; }
                continue;
            }
            if (repeat.Repeats(f))
            {
                foreach (double term in repeat.Terms) { sum += term; n++; }
                continue;
            }
            for (int k = 0; k < blocks.Length; k += 2)
            {
                // Integer sums (exact, as the double sums of integer differences were).
                int er = 0, eg = 0, eb = 0; long sqI = 0;
                for (int y = blocks[k + 1]; y < blocks[k + 1] + bs; y++)
                {
                    int p = (y * w + blocks[k]) * 3;
                    for (int end = p + 3 * bs; p < end; p += 3)
                    {
                        int dr = c[p] - o[p], dg = c[p + 1] - o[p + 1], db = c[p + 2] - o[p + 2];
                        er += dr; eg += dg; eb += db;
                        sqI += dr * dr + dg * dg + db * db;
                    }
                }
                Span<double> meanErr = [er, eg, eb];
                double sq = sqI;
                int px = bs * bs;
                double e2 = 0;
                for (int ch = 0; ch < 3; ch++) { meanErr[ch] /= px; e2 += meanErr[ch] * meanErr[ch]; }
                double e = Math.Sqrt(e2 / 3);
                double noise = Math.Sqrt(Math.Max(0, sq / (3.0 * px) - e2 / 3));
                double quality = 1 - Math.Clamp((e + noise / 4) / 16, 0, 1);
                sum += quality; n++;
                if (repeat.Logging) repeat.Terms.Add(quality);
            }
        }
        if (n == 0) sink.SetNull("dither_quality_score", "no smooth regions in the original");
        else sink.Set("dither_quality_score", sum / n);
    }
}
