using System.Buffers;

namespace GifLab.Core.Encoding;

/// <summary>
/// GIF variable-length-code LZW compressor (GIF89a §22, Appendix F). Writes the minimum-code-size byte's
/// payload — a clear code, the codes, an end-of-information code — as packed LSB-first bits into
/// the output (the caller splits it into data sub-blocks). The string table is a small
/// open-addressing hash of (prefix code, next index) → code; when it fills (4096 codes) a clear code is
/// emitted and the table restarts, so output is valid for every input length.
/// </summary>
internal static class LzwEncoder
{
    private const int MaxCodes = 4096;
    private const int HashSize = 8192; // power of two, > MaxCodes for short probe chains
    private const int HashMask = HashSize - 1;

    /// <summary>Compresses <paramref name="indices"/> (each &lt; 2^minCodeSize) into <paramref name="output"/>.</summary>
    public static void Encode(ReadOnlySpan<byte> indices, int minCodeSize, IBufferWriter<byte> output)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minCodeSize, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minCodeSize, 8);
        var keys = ArrayPool<int>.Shared.Rent(HashSize);
        var codes = ArrayPool<short>.Shared.Rent(HashSize);
        try
        {
            var writer = new BitWriter(output);
            var clear = 1 << minCodeSize;
            var end = clear + 1;
            var codeSize = minCodeSize + 1;
            var next = clear + 2;
            keys.AsSpan(0, HashSize).Fill(-1);
            writer.Write(clear, codeSize);
            if (indices.IsEmpty)
            {
                writer.Write(end, codeSize);
                writer.Flush();
                return;
            }

            int prefix = indices[0];
            for (var i = 1; i < indices.Length; i++)
            {
                int c = indices[i];
                var key = (prefix << 8) | c;
                var slot = (int)(((uint)key * 0x9E3779B1u) >> 19) & HashMask; // Fibonacci hash of the 20-bit key
                var found = -1;
                while (true)
                {
                    var k = keys[slot];
                    if (k == key)
                    {
                        found = codes[slot];
                        break;
                    }
                    if (k < 0) break;
                    slot = (slot + 1) & HashMask;
                }
                if (found >= 0)
                {
                    prefix = found;
                    continue;
                }

                writer.Write(prefix, codeSize);
                keys[slot] = key;
                codes[slot] = (short)next;
                next++;
                // The decoder adds its entry one code later than we do, so it widens after reading the code
                // that follows the one making next > 2^codeSize (Appendix F "variable-length codes").
                if (next > (1 << codeSize) && codeSize < 12) codeSize++;
                if (next == MaxCodes)
                {
                    writer.Write(clear, codeSize);
                    keys.AsSpan(0, HashSize).Fill(-1);
                    codeSize = minCodeSize + 1;
                    next = clear + 2;
                }
                prefix = c;
            }
            writer.Write(prefix, codeSize);
            writer.Write(end, codeSize);
            writer.Flush();
        }
        finally
        {
            ArrayPool<int>.Shared.Return(keys);
            ArrayPool<short>.Shared.Return(codes);
        }
    }

    /// <summary>Packs codes LSB-first into bytes.</summary>
    private struct BitWriter(IBufferWriter<byte> output)
    {
        private uint _bits;
        private int _count;

        public void Write(int code, int size)
        {
            _bits |= (uint)code << _count;
            _count += size;
            while (_count >= 8)
            {
                var span = output.GetSpan(1);
                span[0] = (byte)_bits;
                output.Advance(1);
                _bits >>= 8;
                _count -= 8;
            }
        }

        public void Flush()
        {
            if (_count > 0)
            {
                var span = output.GetSpan(1);
                span[0] = (byte)_bits;
                output.Advance(1);
            }
            _bits = 0;
            _count = 0;
        }
    }
}
