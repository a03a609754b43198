using System.Buffers;

namespace GifLab.Core.Features.Kernels;

/// <summary>
/// OpenCV <c>cv::Canny(src, low, high, apertureSize = 3, L2gradient = false)</c> on an 8-bit grey plane,
/// re-implemented from OpenCV 4.x <c>imgproc/src/canny.cpp</c> and checked against OpenCV 4.6.0:
/// <list type="number">
/// <item>Derivatives: 3×3 Sobel (CV_16S) with <b>BORDER_REPLICATE</b> (not the reflect-101 default).</item>
/// <item>Magnitude: L1, <c>|dx| + |dy|</c> (integer). Magnitudes outside the image count as 0.</item>
/// <item>Thresholds are floored to integers (<c>cvFloor</c>) and swapped if low &gt; high; a pixel is a
/// candidate when <c>m &gt; low</c>, strong when also <c>m &gt; high</c> (strict).</item>
/// <item>Non-maximum suppression in 4 directions using OpenCV's fixed-point tangent test
/// (<c>TG22 = round(tan 22.5° · 2^15)</c>): horizontal <c>m &gt; left ∧ m ≥ right</c>; vertical
/// <c>m &gt; up ∧ m ≥ down</c>; diagonal (direction by the sign of dx·dy) both strict.</item>
/// <item>Hysteresis: candidates 8-connected to a strong pixel become edges. (OpenCV's in-loop
/// <c>prev_flag</c> / "pixel above is an edge" shortcuts only change <i>when</i> a pixel is marked, not the result.)</item>
/// </list>
/// </summary>
internal static class Canny
{
    private const int Shift = 15;
    private static readonly int Tg22 = (int)(0.4142135623730950488016887242097 * (1 << Shift) + 0.5);

    /// <summary>Writes 255 for edge pixels and 0 elsewhere into <paramref name="edges"/>; returns the number of edge pixels.</summary>
    public static int Detect(ReadOnlySpan<byte> gray, int width, int height, double lowThreshold, double highThreshold, Span<byte> edges)
    {
        var n = width * height;
        if (gray.Length < n || edges.Length < n) throw new ArgumentException("Buffers smaller than width × height.");
        if (lowThreshold > highThreshold) (lowThreshold, highThreshold) = (highThreshold, lowThreshold);
        var low = (int)Math.Floor(lowThreshold);
        var high = (int)Math.Floor(highThreshold);

        var dxArr = ArrayPool<int>.Shared.Rent(n);
        var dyArr = ArrayPool<int>.Shared.Rent(n);
        var magArr = ArrayPool<int>.Shared.Rent(n);
        var stackArr = ArrayPool<int>.Shared.Rent(n);
        try
        {
            var dx = dxArr.AsSpan(0, n);
            var dy = dyArr.AsSpan(0, n);
            var mag = magArr.AsSpan(0, n);
            Filters3x3.Sobel(gray, width, height, dx, dy, Filters3x3.BorderMode.Replicate);
            for (var i = 0; i < n; i++) mag[i] = Math.Abs(dx[i]) + Math.Abs(dy[i]);

            // map: 0 = not an edge, 1 = candidate (weak), 2 = edge.
            var map = edges.Slice(0, n);
            map.Clear();
            var sp = 0;
            for (var y = 0; y < height; y++)
            {
                var row = y * width;
                for (var x = 0; x < width; x++)
                {
                    var i = row + x;
                    var m = mag[i];
                    if (m <= low) continue;
                    int xs = dx[i], ys = dy[i];
                    var ax = Math.Abs(xs);
                    var ay = Math.Abs(ys) << Shift;
                    var tg22x = ax * Tg22;
                    bool keep;
                    if (ay < tg22x)
                    {
                        keep = m > Mag(mag, width, height, x - 1, y) && m >= Mag(mag, width, height, x + 1, y);
                    }
                    else
                    {
                        var tg67x = tg22x + (ax << (Shift + 1));
                        if (ay > tg67x)
                        {
                            keep = m > Mag(mag, width, height, x, y - 1) && m >= Mag(mag, width, height, x, y + 1);
                        }
                        else
                        {
                            var s = (xs ^ ys) < 0 ? -1 : 1;
                            keep = m > Mag(mag, width, height, x - s, y - 1) && m > Mag(mag, width, height, x + s, y + 1);
                        }
                    }
                    if (!keep) continue;
                    if (m > high) { map[i] = 2; stackArr[sp++] = i; }
                    else map[i] = 1;
                }
            }

            // Hysteresis: grow edges into 8-connected candidates.
            while (sp > 0)
            {
                var i = stackArr[--sp];
                int y = i / width, x = i - y * width;
                for (var yy = Math.Max(0, y - 1); yy <= Math.Min(height - 1, y + 1); yy++)
                for (var xx = Math.Max(0, x - 1); xx <= Math.Min(width - 1, x + 1); xx++)
                {
                    var j = yy * width + xx;
                    if (map[j] == 1) { map[j] = 2; stackArr[sp++] = j; }
                }
            }

            var count = 0;
            for (var i = 0; i < n; i++)
            {
                if (map[i] == 2) { map[i] = 255; count++; }
                else map[i] = 0;
            }
            return count;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(dxArr);
            ArrayPool<int>.Shared.Return(dyArr);
            ArrayPool<int>.Shared.Return(magArr);
            ArrayPool<int>.Shared.Return(stackArr);
        }
    }

    private static int Mag(Span<int> mag, int width, int height, int x, int y) =>
        (uint)x < (uint)width && (uint)y < (uint)height ? mag[y * width + x] : 0;
}
