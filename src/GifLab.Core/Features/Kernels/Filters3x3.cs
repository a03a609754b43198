namespace GifLab.Core.Features.Kernels;

/// <summary>
/// 3×3 derivative filters on an 8-bit grey plane, as OpenCV computes them.
/// <list type="bullet">
/// <item><see cref="Sobel"/>: <c>cv2.Sobel(ksize=3)</c> — gx = correlation with <c>[-1 0 1; -2 0 2; -1 0 1]</c>,
/// gy = its transpose. On 8-bit input every result is an exact integer (|g| ≤ 1020), so the int form
/// equals OpenCV's CV_16S and CV_64F outputs.</item>
/// <item><see cref="Laplacian"/>: <c>cv2.Laplacian(ksize=1)</c> — correlation with <c>[0 1 0; 1 -4 1; 0 1 0]</c>.</item>
/// </list>
/// The border is a parameter: OpenCV's default is reflect-101, Canny uses replicate.
/// Interior rows/columns take a branch-free path; only the 1-pixel frame goes through the border maths.
/// </summary>
internal static class Filters3x3
{
    public enum BorderMode { Reflect101, Replicate }

    private static int Map(int i, int n, BorderMode mode) =>
        mode == BorderMode.Reflect101 ? Border.Reflect101(i, n) : Border.Replicate(i, n);

    /// <summary>Sobel gx and gy (row-major, width × height).</summary>
    public static void Sobel(ReadOnlySpan<byte> src, int width, int height, Span<int> gx, Span<int> gy, BorderMode mode)
    {
        for (var y = 0; y < height; y++)
        {
            var up = src.Slice(Map(y - 1, height, mode) * width, width);
            var mid = src.Slice(y * width, width);
            var dn = src.Slice(Map(y + 1, height, mode) * width, width);
            var ox = gx.Slice(y * width, width);
            var oy = gy.Slice(y * width, width);
            // Border columns.
            SobelAt(up, mid, dn, width, 0, ox, oy, mode);
            if (width > 1) SobelAt(up, mid, dn, width, width - 1, ox, oy, mode);
            for (var x = 1; x < width - 1; x++)
            {
                int a = up[x - 1], b = up[x], c = up[x + 1];
                int d = mid[x - 1], f = mid[x + 1];
                int g = dn[x - 1], h = dn[x], k = dn[x + 1];
                ox[x] = (c - a) + 2 * (f - d) + (k - g);
                oy[x] = (g - a) + 2 * (h - b) + (k - c);
            }
        }
    }

    private static void SobelAt(ReadOnlySpan<byte> up, ReadOnlySpan<byte> mid, ReadOnlySpan<byte> dn, int width, int x,
                                Span<int> ox, Span<int> oy, BorderMode mode)
    {
        int l = Map(x - 1, width, mode), r = Map(x + 1, width, mode);
        int a = up[l], b = up[x], c = up[r];
        int d = mid[l], f = mid[r];
        int g = dn[l], h = dn[x], k = dn[r];
        ox[x] = (c - a) + 2 * (f - d) + (k - g);
        oy[x] = (g - a) + 2 * (h - b) + (k - c);
    }

    /// <summary>4-neighbour Laplacian (row-major, width × height).</summary>
    public static void Laplacian(ReadOnlySpan<byte> src, int width, int height, Span<int> dst, BorderMode mode)
    {
        for (var y = 0; y < height; y++)
        {
            var up = src.Slice(Map(y - 1, height, mode) * width, width);
            var mid = src.Slice(y * width, width);
            var dn = src.Slice(Map(y + 1, height, mode) * width, width);
            var o = dst.Slice(y * width, width);
            for (var x = 0; x < width; x++)
            {
                int l, r;
                if (x == 0 || x == width - 1) { l = Map(x - 1, width, mode); r = Map(x + 1, width, mode); }
                else { l = x - 1; r = x + 1; }
                o[x] = up[x] + dn[x] + mid[l] + mid[r] - 4 * mid[x];
            }
        }
    }
}
