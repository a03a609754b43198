namespace GifLab.Core.Features.Kernels;

/// <summary>
/// OpenCV <c>cv::resize(src32f, dsize, interpolation = INTER_LINEAR)</c> for one float plane, following
/// <c>imgproc/src/resize.cpp</c>: scale = src/dst (computed as <c>1 / (dst/src)</c> in double); source coordinate
/// <c>fx = (float)((d + 0.5)·scale − 0.5)</c>, <c>sx = floor(fx)</c>, weights <c>1 − frac</c> and <c>frac</c> in float;
/// below 0 or at/after the last sample the coordinate is clamped with weight 0 (edge value repeated); no
/// anti-aliasing when shrinking (only 2 taps). Horizontal pass first, then vertical, both in float,
/// as OpenCV's HResizeLinear / VResizeLinear do. (For an exact 2× shrink OpenCV switches to INTER_AREA,
/// which gives the same 2×2 mean up to float rounding.)
/// </summary>
internal static class BilinearResize
{
    public static void Resize(ReadOnlySpan<float> src, int srcWidth, int srcHeight, Span<float> dst, int dstWidth, int dstHeight)
    {
        Span<int> xofs = dstWidth <= 512 ? stackalloc int[dstWidth] : new int[dstWidth];
        Span<float> xalpha = dstWidth <= 512 ? stackalloc float[dstWidth] : new float[dstWidth];
        Coefficients(srcWidth, dstWidth, xofs, xalpha);
        Span<int> yofs = dstHeight <= 512 ? stackalloc int[dstHeight] : new int[dstHeight];
        Span<float> yalpha = dstHeight <= 512 ? stackalloc float[dstHeight] : new float[dstHeight];
        Coefficients(srcHeight, dstHeight, yofs, yalpha);

        var rows = new float[2 * dstWidth];
        var r0 = rows.AsSpan(0, dstWidth);
        var r1 = rows.AsSpan(dstWidth, dstWidth);
        for (var dy = 0; dy < dstHeight; dy++)
        {
            var sy = yofs[dy];
            var sy1 = Math.Min(sy + 1, srcHeight - 1);
            HResize(src.Slice(sy * srcWidth, srcWidth), xofs, xalpha, r0);
            HResize(src.Slice(sy1 * srcWidth, srcWidth), xofs, xalpha, r1);
            float b1 = yalpha[dy], b0 = 1f - b1;
            var o = dst.Slice(dy * dstWidth, dstWidth);
            for (var x = 0; x < dstWidth; x++) o[x] = r0[x] * b0 + r1[x] * b1;
        }
    }

    private static void HResize(ReadOnlySpan<float> row, ReadOnlySpan<int> xofs, ReadOnlySpan<float> xalpha, Span<float> dst)
    {
        var last = row.Length - 1;
        for (var x = 0; x < dst.Length; x++)
        {
            var sx = xofs[x];
            float a1 = xalpha[x], a0 = 1f - a1;
            dst[x] = row[sx] * a0 + row[Math.Min(sx + 1, last)] * a1;
        }
    }

    /// <summary>Source index and the weight of the next sample for each destination index (OpenCV's xofs/alpha).</summary>
    internal static void Coefficients(int srcSize, int dstSize, Span<int> ofs, Span<float> alpha)
    {
        var inv = (double)dstSize / srcSize;
        var scale = 1.0 / inv;
        for (var d = 0; d < dstSize; d++)
        {
            var f = (float)((d + 0.5) * scale - 0.5);
            var s = (int)MathF.Floor(f);
            f -= s;
            if (s < 0) { f = 0; s = 0; }
            if (s >= srcSize - 1) { f = 0; s = srcSize - 1; }
            ofs[d] = s;
            alpha[d] = f;
        }
    }
}
