namespace GifLab.Core.Tests.Decoding;

/// <summary>
/// Builds tiny GIFs byte by byte for decoder tests, independently of GifLab's <c>GifEncoder</c>: the image data is
/// "uncompressed" LZW (only literal codes, with a clear code before the code size would grow), so every byte can
/// be worked out by hand from GIF89a §22.
/// </summary>
internal sealed class RawGif
{
    private readonly List<byte> _bytes = [];

    public RawGif(int width, int height, ReadOnlySpan<(byte R, byte G, byte B)> globalPalette, string version = "89a", int background = 0)
    {
        _bytes.AddRange("GIF"u8.ToArray());
        _bytes.AddRange(System.Text.Encoding.ASCII.GetBytes(version));
        U16(width);
        U16(height);
        var packed = globalPalette.Length > 0 ? 0x80 | (TableBits(globalPalette.Length) - 1) : 0;
        _bytes.Add((byte)packed);
        _bytes.Add((byte)background);
        _bytes.Add(0);
        Palette(globalPalette);
    }

    public RawGif Loop(int count)
    {
        _bytes.AddRange([0x21, 0xFF, 11]);
        _bytes.AddRange("NETSCAPE2.0"u8.ToArray());
        _bytes.AddRange([3, 1, (byte)count, (byte)(count >> 8), 0]);
        return this;
    }

    public RawGif Control(int disposal = 0, int delayCs = 0, int transparent = -1)
    {
        _bytes.AddRange([0x21, 0xF9, 4, (byte)((disposal << 2) | (transparent >= 0 ? 1 : 0)),
                         (byte)delayCs, (byte)(delayCs >> 8), (byte)Math.Max(transparent, 0), 0]);
        return this;
    }

    /// <summary>Adds an image with the given indices (row-major in stream order: for interlaced images, pass order).</summary>
    public RawGif Image(int left, int top, int width, int height, ReadOnlySpan<byte> indices,
                        ReadOnlySpan<(byte R, byte G, byte B)> localPalette = default, bool interlaced = false, int minCodeSize = 2)
    {
        _bytes.Add(0x2C);
        U16(left);
        U16(top);
        U16(width);
        U16(height);
        var packed = (interlaced ? 0x40 : 0) | (localPalette.Length > 0 ? 0x80 | (TableBits(localPalette.Length) - 1) : 0);
        _bytes.Add((byte)packed);
        Palette(localPalette);
        _bytes.Add((byte)minCodeSize);
        var lzw = LiteralLzw(indices, minCodeSize);
        for (var i = 0; i < lzw.Length; i += 255)
        {
            var n = Math.Min(255, lzw.Length - i);
            _bytes.Add((byte)n);
            _bytes.AddRange(lzw.AsSpan(i, n).ToArray());
        }
        _bytes.Add(0);
        return this;
    }

    public RawGif Raw(params byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    public byte[] Build(bool trailer = true)
    {
        var result = new List<byte>(_bytes);
        if (trailer) result.Add(0x3B);
        return [.. result];
    }

    /// <summary>Clear, literals, a clear before the code size would grow, EOI (§22 / Appendix F).</summary>
    public static byte[] LiteralLzw(ReadOnlySpan<byte> indices, int minCodeSize)
    {
        var clear = 1 << minCodeSize;
        var codeSize = minCodeSize + 1;
        var perClear = clear - 2; // literals after a clear before the decoder's table reaches 2^codeSize
        var bits = new List<bool>();
        void Emit(int code)
        {
            for (var b = 0; b < codeSize; b++) bits.Add(((code >> b) & 1) != 0);
        }
        var sinceClear = perClear;
        foreach (var index in indices)
        {
            if (sinceClear == perClear)
            {
                Emit(clear);
                sinceClear = 0;
            }
            Emit(index);
            sinceClear++;
        }
        Emit(clear + 1);
        var bytes = new byte[(bits.Count + 7) / 8];
        for (var i = 0; i < bits.Count; i++)
            if (bits[i]) bytes[i / 8] |= (byte)(1 << (i % 8));
        return bytes;
    }

    private void Palette(ReadOnlySpan<(byte R, byte G, byte B)> palette)
    {
        if (palette.Length == 0) return;
        var size = 1 << TableBits(palette.Length);
        for (var i = 0; i < size; i++)
        {
            var c = i < palette.Length ? palette[i] : ((byte)0, (byte)0, (byte)0);
            _bytes.AddRange([c.Item1, c.Item2, c.Item3]);
        }
    }

    private static int TableBits(int entries)
    {
        var bits = 1;
        while ((1 << bits) < entries) bits++;
        return bits;
    }

    private void U16(int v)
    {
        _bytes.Add((byte)v);
        _bytes.Add((byte)(v >> 8));
    }
}
