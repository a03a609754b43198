namespace GifLab.Core.Metrics.Artifacts;

/// <summary>
/// Block classification of an original frame's luma, shared by the banding, posterization, dither
/// and text artefact scores. Blocks tile the WHOLE frame (the reference inspected only a top-left
/// square; metrics.md §16.4); a partial last row/column of blocks is ignored.
/// </summary>
internal static class BlockAnalysis
{
    /// <summary>Side of the gradient / text blocks (px).</summary>
    public const int Block = 16;

    /// <summary>Side of the smooth blocks used for dithering (px).</summary>
    public const int SmallBlock = 8;

    /// <summary>Luma statistics of one block: range and mean/max absolute neighbour step.</summary>
    public static (float Range, float MeanStep, float MaxStep) Stats(float[] luma, int w, int bx, int by, int size)
    {
        float min = float.MaxValue, max = float.MinValue, maxStep = 0;
        double steps = 0; int count = 0;
        for (int y = by; y < by + size; y++)
            for (int x = bx; x < bx + size; x++)
            {
                float v = luma[y * w + x];
                if (v < min) min = v;
                if (v > max) max = v;
                if (x + 1 < bx + size) { float d = MathF.Abs(luma[y * w + x + 1] - v); steps += d; count++; if (d > maxStep) maxStep = d; }
                if (y + 1 < by + size) { float d = MathF.Abs(luma[(y + 1) * w + x] - v); steps += d; count++; if (d > maxStep) maxStep = d; }
            }
        return (max - min, count == 0 ? 0 : (float)(steps / count), maxStep);
    }

    /// <summary>
    /// Smooth-gradient blocks: the luma changes across the block (range ≥ 6) but only in small steps
    /// (mean step ≤ 2.5, largest step ≤ 8): skies, shading, vignettes — where banding shows.
    /// Returns block origins as (x, y) pairs flattened.
    /// </summary>
    public static int[] GradientBlocks(float[] luma, int w, int h)
    {
        var list = new List<int>();
        for (int by = 0; by + Block <= h; by += Block)
            for (int bx = 0; bx + Block <= w; bx += Block)
            {
                var s = Stats(luma, w, bx, by, Block);
                if (s.Range >= 6 && s.MeanStep <= 2.5f && s.MaxStep <= 8) { list.Add(bx); list.Add(by); }
            }
        return [.. list];
    }

    /// <summary>Smooth blocks (8×8, range ≤ 24, mean step ≤ 3): where a palette must dither.</summary>
    public static int[] SmoothBlocks(float[] luma, int w, int h)
    {
        var list = new List<int>();
        for (int by = 0; by + SmallBlock <= h; by += SmallBlock)
            for (int bx = 0; bx + SmallBlock <= w; bx += SmallBlock)
            {
                var s = Stats(luma, w, bx, by, SmallBlock);
                if (s.Range <= 24 && s.MeanStep <= 3f) { list.Add(bx); list.Add(by); }
            }
        return [.. list];
    }

    /// <summary>Frames an artefact score inspects: ≤ 10 uniformly spaced pairs unless exact.</summary>
    public static int[] SampledPairs(MetricContext context) => context.SampledPairs();
}
