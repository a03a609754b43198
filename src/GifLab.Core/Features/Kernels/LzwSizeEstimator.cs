using System.Runtime.CompilerServices;

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
/// (prefix code, symbol) whose slots carry a generation stamp, so a table reset costs nothing; key and code share a
/// slot (one cache line per probe). Not thread-safe: one instance
/// per call.
/// </summary>
internal sealed class LzwSizeEstimator
{
    /// <summary>Codes in a full GIF LZW table (12-bit codes).</summary>
    public const int MaxCodes = 4096;

    private const int TableBits = 13;               // 8192 slots for ≤ 4096 entries: load ≤ 0.5
    private const int TableSize = 1 << TableBits;
    private const int TableMask = TableSize - 1;

    /// <summary>Symbols below this use the packed 32-bit key (prefix · 2^20 + symbol); larger ones the wide path.</summary>
    public const int PackedSymbolLimit = 1 << 20;

    /// <summary>One slot: the packed key and <c>generation · 4096 + code</c> (a slot of an older generation is empty).</summary>
    private struct Entry
    {
        public uint Key;
        public int Meta;
    }

    private const int MaxGeneration = (int.MaxValue >> 12) - 1;

    private readonly Entry[] _table = new Entry[TableSize];
    private long[]? _wideKeys;
    private int _generation;

    /// <summary>Bits of the LZW code stream (clear code, codes, end-of-information) for <paramref name="symbols"/>.</summary>
    /// <param name="symbols">At least one symbol, each ≥ 0.</param>
    /// <param name="minBits">LZW minimum code size, 2–11 (GIF89a §22 allows 2–8).</param>
    /// <param name="symbolLimit">An upper bound (exclusive) of the symbols, e.g. the number of distinct ones.</param>
    public long CountBits(ReadOnlySpan<int> symbols, int minBits, int symbolLimit = int.MaxValue)
    {
        if (symbols.IsEmpty) throw new ArgumentException("No symbols.", nameof(symbols));
        ArgumentOutOfRangeException.ThrowIfLessThan(minBits, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBits, 11);
        if (symbolLimit > PackedSymbolLimit)
        {
            var max = 0;
            foreach (var s in symbols) max = Math.Max(max, s);
            if (max >= PackedSymbolLimit) return CountBitsWide(symbols, minBits);
        }
        var clear = 1 << minBits;
        var next = clear + 2;
        var width = minBits + 1;
        var growAt = 1 << width;
        Reset();
        var gen = _generation << 12;
        var table = _table;
        long bits = width;                          // the leading clear code
        var prefix = symbols[0];
        for (var i = 1; i < symbols.Length; i++)
        {
            var s = symbols[i];
            var key = (uint)prefix << 20 | (uint)s;
            var slot = (int)((key * 0x9E3779B1u) >> (32 - TableBits));
            ref var e = ref table[slot];
            while ((e.Meta & ~0xFFF) == gen)
            {
                if (e.Key == key) break;
                slot = (slot + 1) & TableMask;
                e = ref table[slot];
            }
            if ((e.Meta & ~0xFFF) == gen) { prefix = e.Meta & 0xFFF; continue; }
            bits += width;                          // emit the code of the longest known string
            if (next < MaxCodes)
            {
                e.Key = key;
                e.Meta = gen | next++;
                if (next > growAt && width < 12) { width++; growAt <<= 1; }
            }
            else
            {
                bits += width;                      // table full: clear code, start over
                Reset();
                gen = _generation << 12;
                next = clear + 2;
                width = minBits + 1;
                growAt = 1 << width;
            }
            prefix = s;
        }
        return bits + 2L * width;                   // the last string and end-of-information
    }

    // Streaming form of CountBits (packed keys: symbols below 2^20): Begin, Push per further symbol, End. Several
    // estimators pushed in lockstep overlap their look-up chains (each step waits on the previous one's table probe).
    private int _prefix, _next, _width, _growAt, _clear, _minBits, _gen;
    private long _bits;

    /// <summary>Starts a stream with its first symbol (see <see cref="CountBits"/>; every symbol below <see cref="PackedSymbolLimit"/>).</summary>
    public void Begin(int firstSymbol, int minBits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minBits, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBits, 11);
        _minBits = minBits;
        _clear = 1 << minBits;
        _next = _clear + 2;
        _width = minBits + 1;
        _growAt = 1 << _width;
        Reset();
        _gen = _generation << 12;
        _bits = _width;
        _prefix = firstSymbol;
    }

    /// <summary>The next symbol of the stream.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(int s)
    {
        var key = (uint)_prefix << 20 | (uint)s;
        var table = _table;
        var gen = _gen;
        var slot = (int)((key * 0x9E3779B1u) >> (32 - TableBits));
        ref var e = ref table[slot];
        while ((e.Meta & ~0xFFF) == gen)
        {
            if (e.Key == key) { _prefix = e.Meta & 0xFFF; return; }
            slot = (slot + 1) & TableMask;
            e = ref table[slot];
        }
        _bits += _width;
        if (_next < MaxCodes)
        {
            e.Key = key;
            e.Meta = gen | _next++;
            if (_next > _growAt && _width < 12) { _width++; _growAt <<= 1; }
        }
        else
        {
            _bits += _width;
            Reset();
            _gen = _generation << 12;
            _next = _clear + 2;
            _width = _minBits + 1;
            _growAt = 1 << _width;
        }
        _prefix = s;
    }

    /// <summary>Bits of the stream so far plus its last code and end-of-information (what <see cref="CountBits"/> returns).</summary>
    public long End() => _bits + 2L * _width;

    /// <summary>
    /// <see cref="CountBits"/> of four streams of the same length, stepped in lockstep on four estimators (every symbol
    /// below <see cref="PackedSymbolLimit"/>). Same results as four calls, about twice as fast.
    /// </summary>
    public static void CountBits4(LzwSizeEstimator[] estimators, ReadOnlySpan<int> a, ReadOnlySpan<int> b, ReadOnlySpan<int> c,
                                  ReadOnlySpan<int> d, ReadOnlySpan<int> minBits, Span<long> bits)
    {
        var m = a.Length;
        if (m == 0 || b.Length != m || c.Length != m || d.Length != m) throw new ArgumentException("Four streams of one non-zero length expected.");
        LzwSizeEstimator ea = estimators[0], eb = estimators[1], ec = estimators[2], ed = estimators[3];
        ea.Begin(a[0], minBits[0]);
        eb.Begin(b[0], minBits[1]);
        ec.Begin(c[0], minBits[2]);
        ed.Begin(d[0], minBits[3]);
        for (var i = 1; i < m; i++)
        {
            ea.Push(a[i]);
            eb.Push(b[i]);
            ec.Push(c[i]);
            ed.Push(d[i]);
        }
        bits[0] = ea.End();
        bits[1] = eb.End();
        bits[2] = ec.End();
        bits[3] = ed.End();
    }

    /// <summary><see cref="CountBits"/> for symbols of 2^20 and more (64-bit keys in a separate table).</summary>
    private long CountBitsWide(ReadOnlySpan<int> symbols, int minBits)
    {
        _wideKeys ??= new long[TableSize];
        var keys = _wideKeys;
        var clear = 1 << minBits;
        var next = clear + 2;
        var width = minBits + 1;
        Reset();
        var gen = _generation << 12;
        var table = _table;
        long bits = width;
        var prefix = symbols[0];
        for (var i = 1; i < symbols.Length; i++)
        {
            var s = symbols[i];
            var key = (long)prefix << 32 | (uint)s;
            var slot = (int)(((ulong)key * 0x9E3779B97F4A7C15UL) >> (64 - TableBits));
            while ((table[slot].Meta & ~0xFFF) == gen && keys[slot] != key) slot = (slot + 1) & TableMask;
            if ((table[slot].Meta & ~0xFFF) == gen) { prefix = table[slot].Meta & 0xFFF; continue; }
            bits += width;
            if (next < MaxCodes)
            {
                keys[slot] = key;
                table[slot].Meta = gen | next++;
                if (next > (1 << width) && width < 12) width++;
            }
            else
            {
                bits += width;
                Reset();
                gen = _generation << 12;
                next = clear + 2;
                width = minBits + 1;
            }
            prefix = s;
        }
        return bits + 2L * width;
    }

    private void Reset()
    {
        if (++_generation >= MaxGeneration)
        {
            Array.Clear(_table);
            _generation = 1;
        }
    }
}
