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
            // Every element is written by Flatten, so skip zeroing (these arrays are tens of MB per GIF).
            var rgb = GC.AllocateUninitializedArray<byte>(px * 3);
            var luma = GC.AllocateUninitializedArray<float>(px);
            Flatten(sequence.Frames[f].Rgba, background, rgb, luma);
            Rgb[f] = rgb;
            Luma[f] = luma;
        }
    }

    /// <summary>One pass: RGBA → RGB over the background, and BT.601 luma
    /// (float)(0.299·R + 0.587·G + 0.114·B) from the exact double tables of <see cref="ColorSpaces"/>.</summary>
    private static void Flatten(byte[] rgba, byte background, byte[] rgb, float[] luma)
    {
        var lr = ColorSpaces.LumaTableR; var lg = ColorSpaces.LumaTableG; var lb = ColorSpaces.LumaTableB;
        int px = luma.Length;
        for (int i = 0, j = 0, o = 0; i < px; i++, j += 3, o += 4)
        {
            int r = rgba[o], g = rgba[o + 1], b = rgba[o + 2], a = rgba[o + 3];
            if (a != 255)
            {
                int inv = 255 - a;
                r = (r * a + background * inv + 127) / 255;
                g = (g * a + background * inv + 127) / 255;
                b = (b * a + background * inv + 127) / 255;
            }
            rgb[j] = (byte)r; rgb[j + 1] = (byte)g; rgb[j + 2] = (byte)b;
            luma[i] = (float)(lr[r] + lg[g] + lb[b]);
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
