using GifLab.Core.Metrics.Kernels;
using GifLab.Core.Model;

namespace GifLab.Core.Metrics;

/// <summary>
/// A decoded GIF flattened for metrics on one opaque background: interleaved RGB24 and the
/// float luma plane of every composited frame. Pixels with alpha &lt; 255 are blended over the
/// background (<c>(a·c + (255 − a)·bg) / 255</c>, rounded; GIF alpha is 0 or 255 so this is a pick).
/// </summary>
internal sealed class FrameView
{
    public FrameView(FrameSequence sequence, byte background)
    {
        Width = sequence.Width;
        Height = sequence.Height;
        Background = background;
        int n = sequence.FrameCount, px = Width * Height;
        Rgb = new byte[n][];
        Luma = new float[n][];
        for (int f = 0; f < n; f++)
        {
            var rgba = sequence.Frames[f].Rgba;
            var rgb = new byte[px * 3];
            for (int i = 0, j = 0; i < px; i++, j += 3)
            {
                int o0 = i * 4;
                if (rgba[o0 + 3] == 255)
                {
                    rgb[j] = rgba[o0]; rgb[j + 1] = rgba[o0 + 1]; rgb[j + 2] = rgba[o0 + 2];
                    continue;
                }
                int o = i * 4, a = rgba[o + 3];
                if (a == 255)
                {
                    rgb[j] = rgba[o]; rgb[j + 1] = rgba[o + 1]; rgb[j + 2] = rgba[o + 2];
                }
                else
                {
                    int inv = 255 - a;
                    rgb[j] = (byte)((rgba[o] * a + background * inv + 127) / 255);
                    rgb[j + 1] = (byte)((rgba[o + 1] * a + background * inv + 127) / 255);
                    rgb[j + 2] = (byte)((rgba[o + 2] * a + background * inv + 127) / 255);
                }
            }
            Rgb[f] = rgb;
            var luma = new float[px];
            ColorSpaces.Luma(rgb, luma);
            Luma[f] = luma;
        }
    }

    public int Width { get; }
    public int Height { get; }
    public byte Background { get; }
    public byte[][] Rgb { get; }
    public float[][] Luma { get; }
    public int Count => Rgb.Length;

    /// <summary>True if any pixel of any frame has alpha below 255.</summary>
    public static bool HasTransparentPixels(FrameSequence sequence)
    {
        foreach (var frame in sequence.Frames)
        {
            var rgba = frame.Rgba;
            for (int i = 3; i < rgba.Length; i += 4)
                if (rgba[i] != 255) return true;
        }
        return false;
    }
}
