namespace GifLab.Core.Decoding;

/// <summary>
/// A GIF's size as work, read from its block structure without decoding: canvas width × height × frame count. Used to
/// order a run's GIFs largest first, so that the longest GIF does not start last and leave cores idle at the end.
/// </summary>
public static class GifWorkEstimate
{
    /// <summary>Canvas pixels × image descriptors of the GIF in <paramref name="path"/>; 0 when unreadable or not a GIF
    /// (such files are rejected later by the scanner, whatever their place in the order).</summary>
    public static long PixelFrames(string path)
    {
        try
        {
            // Size 0: empty, or a FIFO or device, which would block or never end (the scanner rejects these unread).
            var info = new FileInfo(path);
            if (!info.Exists || info.Length == 0) return 0;
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.SequentialScan);
            return PixelFrames(stream);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return 0;
        }
    }

    /// <summary>Canvas pixels × image descriptors read from <paramref name="stream"/> (seekable or not); the count stops
    /// at the trailer, at the end of the data, or at the first byte that starts no block.</summary>
    public static long PixelFrames(Stream stream)
    {
        Span<byte> head = stackalloc byte[13];
        if (stream.ReadAtLeast(head, 13, throwOnEndOfStream: false) < 13 || !head[..3].SequenceEqual(GifConstants.Signature)) return 0;
        long canvas = (long)(head[6] | head[7] << 8) * (head[8] | head[9] << 8);
        if ((head[10] & 0x80) != 0 && !Skip(stream, 3 << ((head[10] & 7) + 1))) return 0;
        long frames = 0;
        Span<byte> descriptor = stackalloc byte[10];
        while (true)
        {
            int introducer = stream.ReadByte();
            if (introducer == 0x21)
            {
                if (stream.ReadByte() < 0 || !SkipSubBlocks(stream)) break;
            }
            else if (introducer == 0x2C)
            {
                // Descriptor (9 bytes) and the LZW minimum code size; a local colour table sits between them.
                if (stream.ReadAtLeast(descriptor[..9], 9, throwOnEndOfStream: false) < 9) break;
                if ((descriptor[8] & 0x80) != 0 && !Skip(stream, 3 << ((descriptor[8] & 7) + 1))) break;
                if (stream.ReadByte() < 0) break;
                frames++;
                if (!SkipSubBlocks(stream)) break;
            }
            else break;   // trailer (0x3B), end of data, or garbage
        }
        return canvas * frames;
    }

    private static bool SkipSubBlocks(Stream stream)
    {
        while (true)
        {
            int size = stream.ReadByte();
            if (size < 0) return false;
            if (size == 0) return true;
            if (!Skip(stream, size)) return false;
        }
    }

    private static bool Skip(Stream stream, int count)
    {
        if (stream.CanSeek)
        {
            if (stream.Position + count > stream.Length) return false;
            stream.Seek(count, SeekOrigin.Current);
            return true;
        }
        Span<byte> sink = stackalloc byte[256];
        while (count > 0)
        {
            int n = stream.Read(sink[..Math.Min(count, sink.Length)]);
            if (n <= 0) return false;
            count -= n;
        }
        return true;
    }
}
