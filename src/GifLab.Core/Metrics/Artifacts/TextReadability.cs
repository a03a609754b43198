using GifLab.Core.Metrics.Kernels;

namespace GifLab.Core.Metrics.Artifacts;

/// <summary>
/// <c>text_readability_score</c>: sharpness of text and UI-like detail. Text-like blocks of the
/// original: 16×16 blocks with luma range ≥ 64 (high contrast) and Canny(50, 150) edge density
/// between 8 % and 50 % (strokes, not texture or a single border). In those blocks, the mean
/// gradient-magnitude similarity (2·g1·g2 + 170)/(g1² + g2² + 170) of Sobel magnitudes — 1 when
/// strokes keep their edges, lower when they blur, break or ring. Range [0, 1], higher is better;
/// <c>text_region_fraction</c> = share of blocks that are text-like. Null when the original has no
/// text-like block (the reference reported "perfect" defaults then; metrics.md §16.3). No OCR.
/// Up to 10 uniformly spaced pairs unless exact.
/// </summary>
public sealed class TextReadability : IQualityMetric
{
    private const int B = BlockAnalysis.Block;

    public MetricInfo Info { get; } = new("text_readability_score", 1, ["text_readability_score", "text_region_fraction"],
        ScoreDirection.HigherIsBetter, 0, 1, false,
        "Edge (gradient-magnitude) similarity inside high-contrast text/UI-like blocks (no OCR).");

    public void Measure(MetricContext context, MetricSink sink)
    {
        int w = context.Width, h = context.Height;
        // Scratch planes from the exact-length pool: Sobel writes every element.
        var gx = ViewArrayPool.RentFloats(w * h); var gy = ViewArrayPool.RentFloats(w * h);
        try
        {
            Measure(context, sink, gx, gy);
        }
        finally
        {
            ViewArrayPool.Return(gx); ViewArrayPool.Return(gy);
        }
    }

    private static void Measure(MetricContext context, MetricSink sink, float[] gx, float[] gy)
    {
        int w = context.Width, h = context.Height;
        double sum = 0; long blocksSeen = 0, textBlocks = 0;
        int totalBlocks = (w / B) * (h / B);
        var frames = BlockAnalysis.SampledPairs(context);
        var repeat = new MetricContext.RepeatLog<double>(context, frames); // a pair byte-identical to the last one adds its block terms again
        for (int f = 0; f < frames.Length; f++)
        {
            int i = frames[f];
            var text = context.ReferenceCached("text_blocks", i, () => TextBlocks(context, i));
            blocksSeen += totalBlocks;
            if (text.Blocks.Length == 0) continue;
            if (repeat.Repeats(f))
            {
                foreach (double term in repeat.Terms) { textBlocks++; sum += term; }
                continue;
            }
            Gradients.Sobel(context.CandidateLuma(i), w, h, gx, gy);
            for (int k = 0; k < text.Blocks.Length; k += 2)
            {
                textBlocks++;
                double s = 0;
                for (int y = text.Blocks[k + 1]; y < text.Blocks[k + 1] + B; y++)
                    for (int x = text.Blocks[k]; x < text.Blocks[k] + B; x++)
                    {
                        int p = y * w + x;
                        double g1 = text.Magnitude[p], g2 = Math.Sqrt((double)gx[p] * gx[p] + (double)gy[p] * gy[p]);
                        s += (2 * g1 * g2 + 170) / (g1 * g1 + g2 * g2 + 170);
                    }
                sum += s / (B * B);
                if (repeat.Logging) repeat.Terms.Add(s / (B * B));
            }
        }
        sink.Set("text_region_fraction", blocksSeen == 0 ? 0.0 : (double)textBlocks / blocksSeen);
        if (textBlocks == 0) sink.SetNull("text_readability_score", "no text/UI-like regions in the original");
        else sink.Set("text_readability_score", Math.Clamp(sum / textBlocks, 0, 1));
    }

    private sealed record TextMap(int[] Blocks, float[] Magnitude);

    private static TextMap TextBlocks(MetricContext context, int i)
    {
        int w = context.Width, h = context.Height;
        var luma = context.ReferenceLuma(i);
        var edges = context.ReferenceCached("canny", i, () => Gradients.Canny(luma, w, h, 50, 150));
        var list = new List<int>();
        for (int by = 0; by + B <= h; by += B)
            for (int bx = 0; bx + B <= w; bx += B)
            {
                var s = BlockAnalysis.Stats(luma, w, bx, by, B);
                if (s.Range < 64) continue;
                int e = 0;
                for (int y = by; y < by + B; y++)
                    for (int x = bx; x < bx + B; x++) e += edges[y * w + x];
                double density = e / (double)(B * B);
                if (density >= 0.08 && density <= 0.5) { list.Add(bx); list.Add(by); }
            }
        if (list.Count == 0) return new TextMap([], []);
        var gx = new float[w * h]; var gy = ViewArrayPool.RentFloats(w * h);
        Gradients.Sobel(luma, w, h, gx, gy);
        for (int p = 0; p < gx.Length; p++) gx[p] = MathF.Sqrt(gx[p] * gx[p] + gy[p] * gy[p]);
        ViewArrayPool.Return(gy);
        return new TextMap([.. list], gx);
    }
}
