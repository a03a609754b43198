namespace GifLab.Core.Features.Metadata;

/// <summary>
/// A lenient walk over the GIF block structure (GIF89a §17–§27) collecting the facts the metadata features
/// and structure features need and the decoded <see cref="Model.FrameSequence"/> does not carry: for each image,
/// whether a Graphic Control Extension preceded it and its delay; frame 0's colour table (local if present, else
/// global); the bytes of LZW image data and of extensions other than GCE and NETSCAPE looping.
/// LZW data is skipped, not decoded. Truncated or unknown data ends the walk; what was read so far is kept.
/// </summary>
internal sealed class GifStructure
{
    private GifStructure() { }

    /// <summary>Delay in ms of each image (GCE delay × 10), or null when the image had no GCE.</summary>
    public List<int?> Delays { get; } = [];

    /// <summary>Offset of frame 0's colour table in the file (-1 when none).</summary>
    public int Frame0PaletteOffset { get; private set; } = -1;

    /// <summary>Entries in frame 0's colour table (0 when none).</summary>
    public int Frame0PaletteEntries { get; private set; }

    /// <summary>Sum of the image data sub-block payloads (§22, the LZW code stream; size bytes, minimum code size and
    /// terminators not counted).</summary>
    public long LzwDataBytes { get; private set; }

    /// <summary>Bytes of extension blocks (§23–§26, introducer, label, sub-blocks and terminator) other than Graphic
    /// Control Extensions and the NETSCAPE looping application extension: comments, plain text, XMP, ICC and other
    /// application data that a re-encoder may drop.</summary>
    public long ExtensionBytes { get; private set; }

    public static GifStructure Scan(ReadOnlySpan<byte> data)
    {
        var s = new GifStructure();
        if (data.Length < 13 || data[0] != (byte)'G' || data[1] != (byte)'I' || data[2] != (byte)'F') return s;
        var packed = data[10];
        var pos = 13;
        int globalOffset = -1, globalEntries = 0;
        if ((packed & 0x80) != 0)
        {
            globalEntries = 2 << (packed & 7);
            globalOffset = pos;
            pos += 3 * globalEntries;
        }
        int? pendingDelay = null;
        while (pos < data.Length)
        {
            var b = data[pos++];
            if (b == 0x3B) break;                       // trailer §27
            if (b == 0x21)                              // extension introducer §23–§26
            {
                if (pos >= data.Length) break;
                var label = data[pos++];
                if (label == 0xF9 && pos + 4 < data.Length && data[pos] >= 4)
                    pendingDelay = (data[pos + 2] | (data[pos + 3] << 8)) * 10;
                var start = pos;
                var netscape = label == 0xFF && pos + 12 <= data.Length && data[pos] == 11 && data[pos + 1] == (byte)'N';
                var complete = SkipSubBlocks(data, ref pos, out _);
                if (label != 0xF9 && !netscape) s.ExtensionBytes += Math.Min(pos, data.Length) - start + 2;
                if (!complete) break;
                continue;
            }
            if (b != 0x2C || pos + 9 > data.Length) break; // image descriptor §20
            var ipacked = data[pos + 8];
            pos += 9;
            int localOffset = -1, localEntries = 0;
            if ((ipacked & 0x80) != 0)
            {
                localEntries = 2 << (ipacked & 7);
                localOffset = pos;
                pos += 3 * localEntries;
            }
            if (s.Delays.Count == 0)
            {
                var (off, cnt) = localOffset >= 0 ? (localOffset, localEntries) : (globalOffset, globalEntries);
                if (off >= 0 && off + 3 * cnt <= data.Length) { s.Frame0PaletteOffset = off; s.Frame0PaletteEntries = cnt; }
            }
            s.Delays.Add(pendingDelay);
            pendingDelay = null;
            pos++;                                      // LZW minimum code size §22
            if (pos > data.Length) break;
            var whole = SkipSubBlocks(data, ref pos, out var payload);
            s.LzwDataBytes += payload;
            if (!whole) break;
        }
        return s;
    }

    /// <summary>Skips a sub-block chain; <paramref name="payload"/> = sum of the declared sub-block sizes met.
    /// False when the data ends before the terminator.</summary>
    private static bool SkipSubBlocks(ReadOnlySpan<byte> data, ref int pos, out long payload)
    {
        payload = 0;
        while (pos < data.Length)
        {
            var size = data[pos++];
            if (size == 0) return true;
            payload += size;
            pos += size;
        }
        return false;
    }
}
