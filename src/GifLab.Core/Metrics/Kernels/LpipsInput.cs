using System.Buffers;
using System.Numerics.Tensors;

namespace GifLab.Core.Metrics.Kernels;

/// <summary>
/// Turns an interleaved RGB24 frame into one planar (CHW) float item of an LPIPS input tensor:
/// value v → v / 127.5 − 1 (the reference's float/255 → ×2−1, so 0 → −1 and 255 → 1 exactly),
/// resized to the network's input size when it differs from the frame's.
/// </summary>
/// <remarks>
/// Resizing is separable box (area) resampling: output pixel j of an axis covers the source interval
/// [j·s, (j+1)·s) with s = source / target length, and is the overlap-weighted mean of the source pixels
/// it touches (OpenCV's INTER_AREA for downscaling; for upscaling, a pixel blends at most two source
/// pixels, nearest-neighbour-like). The reference downscales with Lanczos-4; area averaging is used
/// instead because it never rings or clips and keeps a flat colour exactly flat (up to float rounding of
/// the weights). Rows are resampled first (into an interleaved float buffer), then columns.
/// </remarks>
internal static class LpipsInput
{
    private static readonly float[] Table = BuildTable();

    private static float[] BuildTable()
    {
        var t = new float[256];
        for (int v = 0; v < 256; v++) t[v] = (float)(v / 127.5 - 1.0);
        return t;
    }

    /// <summary>Writes the 3 × <paramref name="targetHeight"/> × <paramref name="targetWidth"/> floats of one frame into <paramref name="destination"/>.</summary>
    public static void Write(ReadOnlySpan<byte> rgb, int width, int height, int targetWidth, int targetHeight, Span<float> destination)
    {
        int plane = targetWidth * targetHeight;
        if (rgb.Length != 3 * width * height) throw new ArgumentException("RGB buffer does not match the size", nameof(rgb));
        if (destination.Length != 3 * plane) throw new ArgumentException("destination does not match the target size", nameof(destination));
        var r = destination[..plane];
        var g = destination.Slice(plane, plane);
        var b = destination.Slice(2 * plane, plane);
        if (targetWidth == width && targetHeight == height)
        {
            var table = Table;
            for (int i = 0, j = 0; i < plane; i++, j += 3)
            {
                r[i] = table[rgb[j]];
                g[i] = table[rgb[j + 1]];
                b[i] = table[rgb[j + 2]];
            }
            return;
        }

        int rowFloats = 3 * targetWidth;
        var rows = ArrayPool<float>.Shared.Rent(height * rowFloats);   // every source row resampled horizontally (interleaved)
        var acc = ArrayPool<float>.Shared.Rent(rowFloats);
        try
        {
            Resample(rgb, width, height, targetWidth, targetHeight, rows, acc, r, g, b);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(acc);
            ArrayPool<float>.Shared.Return(rows);
        }
    }

    private static void Resample(ReadOnlySpan<byte> rgb, int width, int height, int targetWidth, int targetHeight,
                                 float[] rows, float[] accBuffer, Span<float> r, Span<float> g, Span<float> b)
    {
        var (xStart, xCount, xWeights) = Weights(width, targetWidth);
        var (yStart, yCount, yWeights) = Weights(height, targetHeight);
        int rowFloats = 3 * targetWidth;
        var acc = accBuffer.AsSpan(0, rowFloats);
        int xStride = xWeights.Length / targetWidth;
        for (int y = 0; y < height; y++)
        {
            var src = rgb.Slice(3 * y * width, 3 * width);
            var dst = rows.AsSpan(y * rowFloats, rowFloats);
            for (int x = 0; x < targetWidth; x++)
            {
                float sr = 0, sg = 0, sb = 0;
                int s0 = xStart[x];
                var w = xWeights.AsSpan(x * xStride, xCount[x]);
                for (int k = 0; k < w.Length; k++)
                {
                    int p = 3 * (s0 + k);
                    sr += w[k] * src[p]; sg += w[k] * src[p + 1]; sb += w[k] * src[p + 2];
                }
                dst[3 * x] = sr; dst[3 * x + 1] = sg; dst[3 * x + 2] = sb;
            }
        }
        int yStride = yWeights.Length / targetHeight;
        for (int y = 0; y < targetHeight; y++)
        {
            acc.Clear();
            int s0 = yStart[y];
            var w = yWeights.AsSpan(y * yStride, yCount[y]);
            for (int k = 0; k < w.Length; k++)
                TensorPrimitives.MultiplyAdd(rows.AsSpan((s0 + k) * rowFloats, rowFloats), w[k], acc, acc);
            int o = y * targetWidth;
            for (int x = 0; x < targetWidth; x++)
            {
                r[o + x] = acc[3 * x] / 127.5f - 1f;
                g[o + x] = acc[3 * x + 1] / 127.5f - 1f;
                b[o + x] = acc[3 * x + 2] / 127.5f - 1f;
            }
        }
    }

    /// <summary>Area weights of one axis: for each target index, the first source index, how many source
    /// indices contribute, and their weights (row-major, fixed stride = the largest count).</summary>
    internal static (int[] Start, int[] Count, float[] Weights) Weights(int source, int target)
    {
        double scale = (double)source / target;
        int stride = (int)Math.Ceiling(scale) + 1;
        var start = new int[target];
        var count = new int[target];
        var weights = new float[target * stride];
        for (int j = 0; j < target; j++)
        {
            double lo = j * scale, hi = Math.Min((j + 1) * scale, source);
            int first = (int)Math.Floor(lo);
            int last = Math.Min((int)Math.Ceiling(hi), source);     // exclusive
            start[j] = first;
            int n = 0;
            for (int i = first; i < last && n < stride; i++)
            {
                double overlap = Math.Min(i + 1, hi) - Math.Max(i, lo);
                if (overlap <= 0) continue;
                if (n == 0) start[j] = i;
                weights[j * stride + n++] = (float)(overlap / scale);
            }
            count[j] = n;
        }
        return (start, count, weights);
    }
}
