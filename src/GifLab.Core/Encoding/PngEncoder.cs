using System.Buffers.Binary;
using System.IO.Compression;

namespace GifLab.Core.Encoding;

/// <summary>
/// Minimal PNG writer (ISO/IEC 15948): one RGBA8 image, non-interlaced, filter type 0 (None) on every row,
/// zlib-compressed IDAT via <see cref="ZLibStream"/>, CRC-32 over chunk type + data. Used to hand our
/// composited frames to PNG-only encoders (gifski, animately advanced) without a lossy detour.
/// </summary>
public static class PngEncoder
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>Encodes <paramref name="rgba"/> (width × height × 4 bytes, row-major, straight alpha) as a PNG file image.</summary>
    /// <param name="rgba">The pixels, width × height × 4 bytes.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="compression">zlib effort; <see cref="CompressionLevel.Fastest"/> suits temporary files.</param>
    public static byte[] EncodeRgba(ReadOnlySpan<byte> rgba, int width, int height, CompressionLevel compression = CompressionLevel.Fastest)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        var stride = checked(width * 4);
        if (rgba.Length != checked(stride * height))
            throw new ArgumentException($"Expected {stride * (long)height} RGBA bytes for {width}×{height}, got {rgba.Length}.", nameof(rgba));

        using var output = new MemoryStream(rgba.Length / 4 + 128);
        output.Write(Signature);

        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr[4..], (uint)height);
        ihdr[8] = 8;   // bit depth
        ihdr[9] = 6;   // colour type: truecolour with alpha
        ihdr[10] = 0;  // compression: deflate
        ihdr[11] = 0;  // filter method 0
        ihdr[12] = 0;  // no interlace
        WriteChunk(output, "IHDR"u8, ihdr);

        using (var idat = new MemoryStream(rgba.Length / 4 + 64))
        {
            using (var z = new ZLibStream(idat, compression, leaveOpen: true))
            {
                Span<byte> filter = [0];
                for (var y = 0; y < height; y++)
                {
                    z.Write(filter);
                    z.Write(rgba.Slice(y * stride, stride));
                }
            }
            WriteChunk(output, "IDAT"u8, idat.GetBuffer().AsSpan(0, (int)idat.Length));
        }
        WriteChunk(output, "IEND"u8, []);
        return output.ToArray();
    }

    /// <summary>CRC-32 (ISO 3309 / ITU-T V.42, polynomial 0xEDB88320) as PNG uses it.</summary>
    public static uint Crc32(ReadOnlySpan<byte> data) => UpdateCrc(0xFFFFFFFFu, data) ^ 0xFFFFFFFFu;

    private static uint UpdateCrc(uint crc, ReadOnlySpan<byte> data)
    {
        var table = CrcTable;
        for (var i = 0; i < data.Length; i++)
            crc = table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    private static void WriteChunk(Stream s, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(word, (uint)data.Length);
        s.Write(word);
        s.Write(type);
        s.Write(data);
        var crc = UpdateCrc(UpdateCrc(0xFFFFFFFFu, type), data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        s.Write(word);
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
