using System.Buffers;
using GifLab.Core.Decoding;
using GifLab.Core.Model;

namespace GifLab.Core.Encoding;

/// <summary>
/// Small, pure GIF89a encoder for building synthetic test GIFs: RGBA canvas frames in, GIF bytes out.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Every frame covers the whole canvas, carries a Graphic Control Extension (§23) with disposal 2
/// (restore to background), so each decoded frame shows exactly that frame's pixels, and its own local colour
/// table (§21).</item>
/// <item>Alpha below 128 becomes the transparent index (decoded as 0,0,0,0); other pixels are written opaque
/// (their alpha is dropped).</item>
/// <item>Palette: when a frame has at most 256 distinct opaque colours (255 if it also has transparent pixels)
/// the table holds exactly those colours, so encode → decode is pixel exact. Otherwise the frame is quantised to
/// the fixed 6×6×6 "web-safe" cube (each channel rounded to the nearest of 0, 51, 102, 153, 204, 255), with index
/// 216 reserved for transparency: deterministic and simple, not pretty (no dithering).</item>
/// <item>Real LZW compression (<see cref="LzwEncoder"/>); delays are stored in centiseconds (ms / 10, rounded).</item>
/// <item>Loop count: 0 = forever, n &gt; 0 = n repeats (NETSCAPE2.0 extension), -1 = no loop extension.</item>
/// </list>
/// </remarks>
public static class GifEncoder
{
    /// <summary>Index of the transparent entry in the fixed cube palette.</summary>
    private const int CubeTransparentIndex = 216;

    /// <summary>Encodes RGBA frames (each <c>width × height × 4</c> bytes) into a GIF89a file.</summary>
    /// <param name="width">Canvas width, 1–65535.</param>
    /// <param name="height">Canvas height, 1–65535.</param>
    /// <param name="rgbaFrames">At least one frame, row-major RGBA8.</param>
    /// <param name="delaysMs">Per-frame delays in milliseconds (null = all 0); same count as frames.</param>
    /// <param name="loopCount">0 = loop forever, n = n repeats, -1 = write no loop extension.</param>
    public static byte[] Encode(int width, int height, IReadOnlyList<byte[]> rgbaFrames,
                                IReadOnlyList<int>? delaysMs = null, int loopCount = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, ushort.MaxValue);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(height, ushort.MaxValue);
        ArgumentNullException.ThrowIfNull(rgbaFrames);
        ArgumentOutOfRangeException.ThrowIfZero(rgbaFrames.Count, nameof(rgbaFrames));
        ArgumentOutOfRangeException.ThrowIfLessThan(loopCount, -1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(loopCount, ushort.MaxValue);
        if (delaysMs is not null && delaysMs.Count != rgbaFrames.Count)
            throw new ArgumentException($"{delaysMs.Count} delays for {rgbaFrames.Count} frames.", nameof(delaysMs));
        var frameBytes = (long)width * height * 4;
        for (var i = 0; i < rgbaFrames.Count; i++)
        {
            if (rgbaFrames[i] is null || rgbaFrames[i].Length != frameBytes)
                throw new ArgumentException($"Frame {i} has {rgbaFrames[i]?.Length ?? 0} bytes; a {width}×{height} RGBA frame has {frameBytes}.", nameof(rgbaFrames));
            if (delaysMs is not null && (delaysMs[i] < 0 || (delaysMs[i] + 5) / 10 > ushort.MaxValue))
                throw new ArgumentOutOfRangeException(nameof(delaysMs), delaysMs[i], $"Delay of frame {i} must be 0–655350 ms.");
        }

        var output = new ArrayBufferWriter<byte>(256 + rgbaFrames.Count * (int)Math.Min(frameBytes / 2 + 1024, 1 << 20));
        WriteHeader(output, width, height, loopCount);

        var pixels = width * height;
        var indices = ArrayPool<byte>.Shared.Rent(pixels);
        var palette = new int[256];
        var lzw = new ArrayBufferWriter<byte>();
        var lookup = new Dictionary<int, int>(512);
        try
        {
            for (var f = 0; f < rgbaFrames.Count; f++)
            {
                var rgba = rgbaFrames[f];
                var (colors, transparent) = BuildPalette(rgba, pixels, indices, palette, lookup);
                var tableBits = 1;
                while ((1 << tableBits) < colors) tableBits++;
                var delayCs = delaysMs is null ? 0 : (delaysMs[f] + 5) / 10;

                // §23 Graphic Control Extension: disposal 2, delay, transparent index.
                var gce = output.GetSpan(8);
                gce[0] = GifConstants.ExtensionIntroducer;
                gce[1] = GifConstants.GraphicControlLabel;
                gce[2] = 4;
                gce[3] = (byte)((2 << 2) | (transparent >= 0 ? 1 : 0));
                gce[4] = (byte)delayCs;
                gce[5] = (byte)(delayCs >> 8);
                gce[6] = (byte)Math.Max(transparent, 0);
                gce[7] = 0;
                output.Advance(8);

                // §20 Image Descriptor with a local colour table (§21).
                var desc = output.GetSpan(10);
                desc[0] = GifConstants.ImageSeparator;
                desc[1] = 0; desc[2] = 0; desc[3] = 0; desc[4] = 0;
                desc[5] = (byte)width; desc[6] = (byte)(width >> 8);
                desc[7] = (byte)height; desc[8] = (byte)(height >> 8);
                desc[9] = (byte)(0x80 | (tableBits - 1));
                output.Advance(10);
                var table = output.GetSpan(3 << tableBits);
                for (var i = 0; i < (1 << tableBits); i++)
                {
                    var c = i < colors ? palette[i] : 0;
                    table[i * 3] = (byte)c;
                    table[i * 3 + 1] = (byte)(c >> 8);
                    table[i * 3 + 2] = (byte)(c >> 16);
                }
                output.Advance(3 << tableBits);

                // §22 Table-Based Image Data.
                var minCodeSize = Math.Max(2, tableBits);
                lzw.ResetWrittenCount();
                LzwEncoder.Encode(indices.AsSpan(0, pixels), minCodeSize, lzw);
                var head = output.GetSpan(1);
                head[0] = (byte)minCodeSize;
                output.Advance(1);
                WriteSubBlocks(output, lzw.WrittenSpan);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(indices);
        }

        var trailer = output.GetSpan(1);
        trailer[0] = GifConstants.Trailer;
        output.Advance(1);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Re-encodes a decoded sequence (its frames, delays and loop count).</summary>
    public static byte[] Encode(FrameSequence sequence)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        var frames = new byte[sequence.FrameCount][];
        var delays = new int[sequence.FrameCount];
        for (var i = 0; i < frames.Length; i++)
        {
            frames[i] = sequence.Frames[i].Rgba;
            delays[i] = sequence.Frames[i].DelayMs;
        }
        return Encode(sequence.Width, sequence.Height, frames, delays, Math.Clamp(sequence.Info.LoopCount, -1, ushort.MaxValue));
    }

    private static void WriteHeader(ArrayBufferWriter<byte> output, int width, int height, int loopCount)
    {
        // §17 header, §18 logical screen descriptor without a global colour table.
        var span = output.GetSpan(13);
        "GIF89a"u8.CopyTo(span);
        span[6] = (byte)width; span[7] = (byte)(width >> 8);
        span[8] = (byte)height; span[9] = (byte)(height >> 8);
        span[10] = 0; span[11] = 0; span[12] = 0;
        output.Advance(13);
        if (loopCount < 0) return;
        // NETSCAPE2.0 application extension (§26 layout): sub-block id 1 + loop count (u16 LE).
        var app = output.GetSpan(19);
        app[0] = GifConstants.ExtensionIntroducer;
        app[1] = GifConstants.ApplicationLabel;
        app[2] = 11;
        "NETSCAPE2.0"u8.CopyTo(app[3..]);
        app[14] = 3;
        app[15] = 1;
        app[16] = (byte)loopCount;
        app[17] = (byte)(loopCount >> 8);
        app[18] = 0;
        output.Advance(19);
    }

    /// <summary>
    /// Maps the frame to palette indices. Returns the palette entry count and the transparent index (-1 if none).
    /// Palette entries are packed R | G&lt;&lt;8 | B&lt;&lt;16.
    /// </summary>
    private static (int Colors, int Transparent) BuildPalette(byte[] rgba, int pixels, byte[] indices, int[] palette,
                                                              Dictionary<int, int> lookup)
    {
        lookup.Clear();
        var hasTransparent = false;
        var exact = true;
        for (var p = 0; p < pixels; p++)
        {
            var o = p * 4;
            if (rgba[o + 3] < 128)
            {
                hasTransparent = true;
                continue;
            }
            var key = rgba[o] | (rgba[o + 1] << 8) | (rgba[o + 2] << 16);
            if (!lookup.ContainsKey(key))
            {
                if (lookup.Count == 256)
                {
                    exact = false;
                    break;
                }
                lookup[key] = lookup.Count;
            }
        }
        if (exact && hasTransparent && lookup.Count == 256) exact = false;

        if (exact)
        {
            foreach (var (color, index) in lookup) palette[index] = color;
            var transparent = hasTransparent ? lookup.Count : -1;
            var colors = lookup.Count + (hasTransparent ? 1 : 0);
            if (hasTransparent) palette[transparent] = 0;
            for (var p = 0; p < pixels; p++)
            {
                var o = p * 4;
                indices[p] = rgba[o + 3] < 128
                    ? (byte)transparent
                    : (byte)lookup[rgba[o] | (rgba[o + 1] << 8) | (rgba[o + 2] << 16)];
            }
            return (Math.Max(colors, 1), transparent);
        }

        // Fixed 6×6×6 cube: index = 36·r6 + 6·g6 + b6, level k ↦ 51·k.
        for (var i = 0; i < 216; i++)
            palette[i] = (i / 36 * 51) | ((i / 6 % 6 * 51) << 8) | ((i % 6 * 51) << 16);
        palette[CubeTransparentIndex] = 0;
        for (var p = 0; p < pixels; p++)
        {
            var o = p * 4;
            indices[p] = rgba[o + 3] < 128
                ? (byte)CubeTransparentIndex
                : (byte)((rgba[o] + 25) / 51 * 36 + (rgba[o + 1] + 25) / 51 * 6 + (rgba[o + 2] + 25) / 51);
        }
        return (217, hasTransparent ? CubeTransparentIndex : -1);
    }

    private static void WriteSubBlocks(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> data)
    {
        // §15 data sub-blocks: up to 255 bytes each, then a zero-length terminator.
        while (!data.IsEmpty)
        {
            var n = Math.Min(255, data.Length);
            var span = output.GetSpan(n + 1);
            span[0] = (byte)n;
            data[..n].CopyTo(span[1..]);
            output.Advance(n + 1);
            data = data[n..];
        }
        var end = output.GetSpan(1);
        end[0] = 0;
        output.Advance(1);
    }
}
