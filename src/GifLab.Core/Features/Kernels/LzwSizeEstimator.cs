namespace GifLab.Core.Features.Kernels;

/// <summary>
/// Counts the bits a GIF LZW encoder (GIF89a Appendix F) writes for a stream of symbols, without writing them: the
/// model behind the structure group's re-encode estimates (features.md, "Structure").
/// <list type="bullet">
/// <item>A clear code first (at <c>minBits + 1</c> bits), then one code per longest known string; each emitted code
/// adds the string + next symbol to the table (first free code <c>2^minBits + 2</c>). The code width grows by one
/// bit once the next free code exceeds <c>2^width</c> (up to 12 bits).</item>
/// <item>When the table is full (4096 codes) the encoder emits a clear code instead of adding a string, and starts
/// over at <c>minBits + 1</c> bits.</item>
/// <item>At the end the last string's code and the end-of-information code, both at the final width.</item>
/// </list>
/// Symbols are compared only for equality (any non-negative int; they need not be below <c>2^minBits</c>), so the
/// count depends on the pattern of the stream, not on the palette. The string table is an open-addressing hash of
/// (prefix code, symbol) with a generation stamp, so a table reset costs nothing. Not thread-safe: one instance
/// per call.
/// </summary>
internal sealed class LzwSizeEstimator
{
    /// <summary>Codes in a full GIF LZW table (12-bit codes).</summary>
    public const int MaxCodes = 4096;

    private const int TableBits = 13;               // 8192 slots for ≤ 4096 entries: load ≤ 0.5
    private const int TableSize = 1 << TableBits;
    private const int TableMask = TableSize - 1;

    private readonly long[] _keys = new long[TableSize];
    private readonly short[] _codes = new short[TableSize];
    private readonly int[] _stamps = new int[TableSize];
    private int _generation;

    /// <summary>Bits of the LZW code stream (clear code, codes, end-of-information) for <paramref name="symbols"/>.</summary>
    /// <param name="symbols">At least one symbol, each ≥ 0.</param>
    /// <param name="minBits">LZW minimum code size, 2–8 (GIF89a §22).</param>
    public long CountBits(ReadOnlySpan<int> symbols, int minBits)
    {
        if (symbols.IsEmpty) throw new ArgumentException("No symbols.", nameof(symbols));
        ArgumentOutOfRangeException.ThrowIfLessThan(minBits, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBits, 11);
        var clear = 1 << minBits;
        var next = clear + 2;
        var width = minBits + 1;
        Reset();
        long bits = width;                          // the leading clear code
        var prefix = symbols[0];
        for (var i = 1; i < symbols.Length; i++)
        {
            var s = symbols[i];
            var key = (long)prefix << 32 | (uint)s;
            var slot = Slot(key);
            while (_stamps[slot] == _generation)
            {
                if (_keys[slot] == key) break;
                slot = (slot + 1) & TableMask;
            }
            if (_stamps[slot] == _generation) { prefix = _codes[slot]; continue; }
            bits += width;                          // emit the code of the longest known string
            if (next < MaxCodes)
            {
                _stamps[slot] = _generation;
                _keys[slot] = key;
                _codes[slot] = (short)next++;
                if (next > (1 << width) && width < 12) width++;
            }
            else
            {
                bits += width;                      // table full: clear code, start over
                Reset();
                next = clear + 2;
                width = minBits + 1;
            }
            prefix = s;
        }
        return bits + 2L * width;                   // the last string and end-of-information
    }

    private void Reset()
    {
        if (++_generation == int.MaxValue)
        {
            Array.Clear(_stamps);
            _generation = 1;
        }
    }

    private static int Slot(long key)
    {
        var h = (ulong)key * 0x9E3779B97F4A7C15UL;
        return (int)(h >> (64 - TableBits));
    }
}
