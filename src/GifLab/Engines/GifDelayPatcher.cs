using System.Buffers.Binary;

namespace GifLab.Engines;

/// <summary>
/// Reads and rewrites the delay field of each frame's Graphic Control Extension (GIF89a §23) in place, walking the
/// block structure only (no pixel decoding). The file size and every other byte stay the same.
/// Used after encoders that cannot express the source's delays through their command line:
/// gifski (constant frame rate only) and FFmpeg (its GIF demuxer turns 0 cs delays into a default).
/// </summary>
public static class GifDelayPatcher
{
    /// <summary>Offsets of each image's GCE delay field (-1 when an image has no GCE), or null when the stream is not walkable.</summary>
    public static int[]? DelayOffsets(ReadOnlySpan<byte> gif)
    {
        if (gif.Length < 13 || !(gif[..6].SequenceEqual("GIF89a"u8) || gif[..6].SequenceEqual("GIF87a"u8))) return null;
        var pos = 13;
        var flags = gif[10];
        if ((flags & 0x80) != 0) pos += 3 << ((flags & 7) + 1);
        var offsets = new List<int>();
        var pendingGce = -1;
        while (pos < gif.Length)
        {
            switch (gif[pos])
            {
                case 0x3B: // trailer
                    return offsets.ToArray();
                case 0x21: // extension
                {
                    if (pos + 2 >= gif.Length) return null;
                    var label = gif[pos + 1];
                    if (label == 0xF9 && pos + 7 < gif.Length && gif[pos + 2] == 4) pendingGce = pos + 4;
                    pos = SkipSubBlocks(gif, pos + 2);
                    if (pos < 0) return null;
                    break;
                }
                case 0x2C: // image descriptor
                {
                    if (pos + 10 > gif.Length) return null;
                    var packed = gif[pos + 9];
                    pos += 10;
                    if ((packed & 0x80) != 0) pos += 3 << ((packed & 7) + 1);
                    pos += 1; // LZW minimum code size
                    if (pos > gif.Length) return null;
                    pos = SkipSubBlocks(gif, pos);
                    if (pos < 0) return null;
                    offsets.Add(pendingGce);
                    pendingGce = -1;
                    break;
                }
                default:
                    return null;
            }
        }
        return offsets.ToArray(); // no trailer: accept what was walked
    }

    private static int SkipSubBlocks(ReadOnlySpan<byte> gif, int pos)
    {
        while (pos < gif.Length)
        {
            var size = gif[pos];
            pos += 1 + size;
            if (size == 0) return pos;
        }
        return -1;
    }

    /// <summary>Each image's delay in centiseconds (0 when it has no GCE), or null when not walkable.</summary>
    public static int[]? ReadDelaysCs(ReadOnlySpan<byte> gif)
    {
        var offsets = DelayOffsets(gif);
        if (offsets is null) return null;
        var result = new int[offsets.Length];
        for (var i = 0; i < offsets.Length; i++)
            result[i] = offsets[i] < 0 ? 0 : BinaryPrimitives.ReadUInt16LittleEndian(gif[offsets[i]..]);
        return result;
    }

    /// <summary>Writes <paramref name="delaysCs"/> into the images' GCEs; false (nothing written) when counts differ or a GCE is missing.</summary>
    public static bool TryWriteDelaysCs(Span<byte> gif, IReadOnlyList<int> delaysCs)
    {
        var offsets = DelayOffsets(gif);
        if (offsets is null || offsets.Length != delaysCs.Count) return false;
        foreach (var o in offsets) if (o < 0) return false;
        for (var i = 0; i < offsets.Length; i++)
            BinaryPrimitives.WriteUInt16LittleEndian(gif[offsets[i]..], (ushort)Math.Clamp(delaysCs[i], 0, ushort.MaxValue));
        return true;
    }

    /// <summary>
    /// Delays for an encoder output made from <paramref name="listing"/> (the source frame index of each input image,
    /// shown for 1 cs each at 100 fps), where the encoder may have merged consecutive identical images, summing their
    /// 1 cs delays: output image k covers the next <c>outputCs[k]</c> listings, and gets the summed source delays of the
    /// distinct source frames it covers. Null when the output does not account for exactly every listing.
    /// </summary>
    public static int[]? MapMergedListings(IReadOnlyList<int> outputCs, IReadOnlyList<int> listing, IReadOnlyList<int> sourceDelaysMs)
    {
        var total = 0;
        foreach (var d in outputCs)
        {
            if (d <= 0) return null;
            total += d;
        }
        if (total != listing.Count) return null;
        var result = new int[outputCs.Count];
        var j = 0;
        for (var k = 0; k < outputCs.Count; k++)
        {
            var sumMs = 0;
            var last = -1;
            for (var c = 0; c < outputCs[k]; c++, j++)
            {
                if (listing[j] == last) continue;
                last = listing[j];
                sumMs += sourceDelaysMs[listing[j]];
            }
            result[k] = sumMs / 10;
        }
        return result;
    }
}
