using System.Runtime.CompilerServices;

namespace GifLab.Core.Features.Kernels;

/// <summary>OpenCV border rules (<c>cv::borderInterpolate</c>) for a 1-pixel kernel radius.</summary>
internal static class Border
{
    /// <summary>BORDER_REFLECT_101 (OpenCV's default): <c>… c b | a b c … | … b a b</c>; a 1-long axis maps to 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Reflect101(int i, int n)
    {
        if (n == 1) return 0;
        if (i < 0) return -i;
        if (i >= n) return 2 * n - 2 - i;
        return i;
    }

    /// <summary>BORDER_REPLICATE: <c>a a | a b c … | c c</c> (what OpenCV's Canny uses for its Sobel derivatives).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Replicate(int i, int n) => i < 0 ? 0 : i >= n ? n - 1 : i;
}
