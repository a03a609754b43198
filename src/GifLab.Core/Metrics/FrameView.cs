using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using GifLab.Core.Metrics.Kernels;
using GifLab.Core.Model;

namespace GifLab.Core.Metrics;

/// <summary>
/// A decoded GIF flattened for metrics on one opaque background: interleaved RGB24 and the
/// float luma plane of every composited frame. Pixels with alpha &lt; 255 are blended over the
/// background (<c>(a·c + (255 − a)·bg) / 255</c>, rounded; GIF alpha is 0 or 255 so this is a pick).
/// A frame byte-identical to the previous one shares its arrays (read-only by contract): static stretches
/// cost neither time nor memory.
/// </summary>
internal sealed class FrameView
{
    /// <param name="sequence">The frames to view.</param>
    /// <param name="background">Background the frames are composited over (0 black, 255 white).</param>
    /// <param name="runStarts">Optional run starts to use instead of <see cref="FrameSequence.RunStarts"/> (tests pass
    /// the identity to disable sharing).</param>
    /// <param name="original">The original's view on the same background, and for each frame of <paramref name="sequence"/>
    /// the index of a byte-identical original frame or −1 (<see cref="SameAsOriginal"/>): such frames share the original's
    /// arrays, so a lossless output costs neither flattening nor memory.</param>
    /// <param name="pooled">Take the arrays from <see cref="ViewArrayPool"/>; the owner calls <see cref="ReturnArrays"/> when
    /// no metric can read them any more (compressed frames, once per measurement).</param>
    public FrameView(FrameSequence sequence, byte background, int[]? runStarts = null, (FrameView View, int[] SameAs)? original = null,
                     bool pooled = false)
    {
        _pooled = pooled;
        runStarts ??= sequence.RunStarts;
        Width = sequence.Width;
        Height = sequence.Height;
        Background = background;
        int n = sequence.FrameCount, px = Width * Height;
        Rgb = new byte[n][];
        Luma = new float[n][];
        for (int f = 0; f < n; f++)
        {
            if (runStarts[f] != f)
            {
                Rgb[f] = Rgb[f - 1];
                Luma[f] = Luma[f - 1];
                continue;
            }
            if (original is var (view, sameAs) && sameAs[f] >= 0)
            {
                Rgb[f] = view.Rgb[sameAs[f]];
                Luma[f] = view.Luma[sameAs[f]];
                continue;
            }
            // Every element is written by Flatten, so skip zeroing (these arrays are tens of MB per GIF).
            var rgb = pooled ? ViewArrayPool.RentBytes(px * 3) : GC.AllocateUninitializedArray<byte>(px * 3);
            var luma = pooled ? ViewArrayPool.RentFloats(px) : GC.AllocateUninitializedArray<float>(px);
            if (pooled) _owned.Add(f);
            Flatten(sequence.Frames[f].Rgba, background, rgb, luma);
            Rgb[f] = rgb;
            Luma[f] = luma;
        }
    }

    /// <summary>One pass: RGBA → RGB over the background, and BT.601 luma
    /// (float)(0.299·R + 0.587·G + 0.114·B) from the exact double tables of <see cref="ColorSpaces"/>.
    /// Runs of 8 opaque pixels go through <see cref="Vector256{T}"/> lanes (the same double products and sums
    /// as the tables, then one rounding to float, so bit-identical); the rest pixel by pixel.</summary>
    internal static void Flatten(byte[] rgba, byte background, byte[] rgb, float[] luma, bool vectorised = true)
    {
        int px = luma.Length, i = 0;
        if (vectorised && Vector256.IsHardwareAccelerated && Vector128.IsHardwareAccelerated)
        {
            ref byte src = ref MemoryMarshal.GetArrayDataReference(rgba);
            ref byte dst = ref MemoryMarshal.GetArrayDataReference(rgb);
            ref float y0 = ref MemoryMarshal.GetArrayDataReference(luma);
            var alpha = Vector256.Create(0xFF000000u);
            var lowByte = Vector256.Create(0xFFu);
            var wr = Vector256.Create(0.299); var wg = Vector256.Create(0.587); var wb = Vector256.Create(0.114);
            var pack = Vector128.Create((byte)0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 0x80, 0x80, 0x80, 0x80);
            for (; i + 8 <= px && 3 * i + 28 <= rgb.Length; i += 8)
            {
                var v = Vector256.LoadUnsafe(ref src, (nuint)(4 * i)).AsUInt32();
                if ((v & alpha) != alpha) { FlattenScalar(rgba, background, rgb, luma, i, i + 8); continue; }
                var (r0, r1) = Vector256.Widen(v & lowByte);
                var (g0, g1) = Vector256.Widen((v >> 8) & lowByte);
                var (b0, b1) = Vector256.Widen((v >> 16) & lowByte);
                var l0 = wr * Vector256.ConvertToDouble(r0) + wg * Vector256.ConvertToDouble(g0) + wb * Vector256.ConvertToDouble(b0);
                var l1 = wr * Vector256.ConvertToDouble(r1) + wg * Vector256.ConvertToDouble(g1) + wb * Vector256.ConvertToDouble(b1);
                Vector256.Narrow(l0, l1).StoreUnsafe(ref y0, (nuint)i);
                var bytes = v.AsByte();
                Vector128.Shuffle(bytes.GetLower(), pack).StoreUnsafe(ref dst, (nuint)(3 * i));
                Vector128.Shuffle(bytes.GetUpper(), pack).StoreUnsafe(ref dst, (nuint)(3 * i + 12));
            }
        }
        FlattenScalar(rgba, background, rgb, luma, i, px);
    }

    private static void FlattenScalar(byte[] rgba, byte background, byte[] rgb, float[] luma, int from, int to)
    {
        var lr = ColorSpaces.LumaTableR; var lg = ColorSpaces.LumaTableG; var lb = ColorSpaces.LumaTableB;
        for (int i = from, j = 3 * from, o = 4 * from; i < to; i++, j += 3, o += 4)
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

    private readonly bool _pooled;
    private readonly List<int> _owned = [];

    /// <summary>Gives the arrays this view allocated (not the shared ones) back to <see cref="ViewArrayPool"/>. Call once,
    /// when nothing reads the view any more.</summary>
    public void ReturnArrays()
    {
        if (!_pooled) return;
        foreach (var f in _owned)
        {
            ViewArrayPool.Return(Rgb[f]);
            ViewArrayPool.Return(Luma[f]);
        }
        _owned.Clear();
    }

    public int Width { get; }
    public int Height { get; }
    public byte Background { get; }
    public byte[][] Rgb { get; }
    public float[][] Luma { get; }
    public int Count => Rgb.Length;

    /// <summary>For each candidate frame, the first original frame paired with it when their RGBA bytes are equal, else −1.</summary>
    public static int[] SameAsOriginal(FrameSequence original, FrameSequence candidate, int[] pairs)
    {
        var sameAs = new int[candidate.FrameCount];
        Array.Fill(sameAs, -2);
        for (int i = 0; i < pairs.Length; i++)
        {
            int j = pairs[i];
            if (j < 0 || sameAs[j] != -2) continue;
            sameAs[j] = candidate.Frames[j].Rgba.AsSpan().SequenceEqual(original.Frames[i].Rgba) ? i : -1;
        }
        for (int j = 0; j < sameAs.Length; j++) if (sameAs[j] == -2) sameAs[j] = -1;
        return sameAs;
    }

}
