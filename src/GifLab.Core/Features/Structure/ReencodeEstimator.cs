using System.Buffers;
using System.Runtime.InteropServices;
using GifLab.Core.Features.Kernels;

namespace GifLab.Core.Features.Structure;

/// <summary>
/// Estimated bytes of a lossless re-encode of the decoded frames, the way gifsicle <c>--optimize</c> writes one, by
/// counting GIF LZW bits (<see cref="LzwSizeEstimator"/>) instead of encoding. Per frame:
/// <list type="bullet">
/// <item>Frame 0 covers the canvas; a later frame covers the bounding box of the pixels whose RGBA differs from the
/// previous decoded frame (a frame with no change costs 20 bytes).</item>
/// <item>Symbols: alpha &lt; 128 → "transparent"; with <c>O2</c>, a pixel equal to the previous frame → a second
/// "unchanged" symbol (gifsicle -O2 makes those transparent); otherwise RGB with the <c>q</c> low bits of each channel
/// dropped.</item>
/// <item>Colour table: with a global palette (≤ half the frames carry local tables) every frame codes with
/// <c>palBits = max(1, ⌈log₂ max(2, min(256, sampled colours))⌉)</c> and the file pays one table of
/// <c>3·2^palBits</c> bytes; otherwise each frame pays its own table of <c>3·2^b</c> bytes, b from its own symbol count.
/// LZW minimum code size <c>max(2, bits)</c>. Each frame adds 10 bytes of headers.</item>
/// <item>File: frame 0's bits + the other frames' bits, ÷ 8, + global table + extension bytes + 30. All frames are
/// counted when N × canvas ≤ 6 M pixels. Otherwise only the pixel-statistics sample is counted, but every frame's
/// changed box is measured (a cheap comparison) and, when frame 0 plus the changed boxes hold at most
/// <see cref="ChangedPixelsBudget"/> pixels, every frame is counted after all; beyond it, the other frames cost 20 bytes per unchanged frame plus the sampled
/// changed frames' bits per box pixel × the box pixels of all changed frames (a ratio estimate: screen recordings
/// change a few pixels in most frames and a whole screen in a few, which a mean over 12 frames gets wrong by up to 8×,
/// measured on the training corpus).</item>
/// </list>
/// </summary>
internal static class ReencodeEstimator
{
    /// <summary>Canvas pixels × frames up to which every frame is looked at.</summary>
    public const long AllFramesPixels = 6_000_000;

    /// <summary>
    /// Above <see cref="AllFramesPixels"/>, every frame is still counted when frame 0 plus the changed boxes of the others
    /// hold at most this many pixels (≈ 0.5 s of counting); only beyond it is the sample's ratio estimate used.
    /// </summary>
    public const long ChangedPixelsBudget = 16_000_000;

    /// <summary>Largest frame box (pixels) whose variants are symbolised together and counted four at a time
    /// (<see cref="LzwSizeEstimator.CountBits4"/>); 8 buffers of this many ints at most (32 MiB).</summary>
    public const int LockstepPixels = 1 << 20;

    /// <summary>Bits charged for a frame identical to the previous one (gifsicle writes a 1×1 frame).</summary>
    public const long EmptyFrameBits = 8 * 20;

    private const int TransparentSymbol = -1;
    private const int UnchangedSymbol = -2;

    /// <summary>The eight estimates (bytes): -O2 style at q = 0, 2, 3, 4, 5 low bits dropped, -O1 style at q = 0, 3, 5.</summary>
    public readonly record struct Estimates(double O2, double O2Q2, double O2Q3, double O2Q4, double O2Q5, double O1, double O1Q3, double O1Q5);

    private static readonly (int Q, bool O2)[] Variants = [(0, true), (2, true), (3, true), (4, true), (5, true), (0, false), (3, false), (5, false)];

    /// <summary>The first five variants are the -O2 ones.</summary>
    private const int O2Variants = 5;

    /// <summary>For each variant, the -O2 variant with the same q (what frame 0 uses for the -O1 ones).</summary>
    private static readonly int[] SameAsO2 = [0, 1, 2, 3, 4, 0, 2, 4];

    /// <summary>The eight estimates of a decoded GIF.</summary>
    /// <param name="frames">The decoded frames.</param>
    /// <param name="sampledColors">Distinct colours of the pixel-statistics frames (sets the global palette size).</param>
    /// <param name="localPalettes">Whether more than half of the frames carry a local colour table.</param>
    /// <param name="extensionBytes">Bytes of extensions a re-encode keeps (added as they are).</param>
    /// <param name="lockstepPixels">Largest box counted with all variants together (tests pass 0 to check that the
    /// one-variant-at-a-time path gives the same estimates).</param>
    /// <param name="allFramesPixels">N × canvas up to which every frame is counted (tests lower it to check the ratio estimate).</param>
    /// <param name="changedPixelsBudget">Frame 0 plus changed-box pixels counted at most (tests lower it to check the stride path).</param>
    public static Estimates Estimate(Model.FrameSequence frames, int sampledColors, bool localPalettes, long extensionBytes,
                                     int lockstepPixels = LockstepPixels, long allFramesPixels = AllFramesPixels, long changedPixelsBudget = ChangedPixelsBudget)
    {
        int n = frames.FrameCount, w = frames.Width, h = frames.Height;
        long canvas = (long)w * h;
        var palBits = localPalettes ? 0 : BitsFor(Math.Min(256, sampledColors));
        var everyFrame = n * canvas <= allFramesPixels;
        long allChangedArea = 0;
        var allUnchanged = 0;
        List<int>? changed = null;
        if (!everyFrame)
        {
            changed = [];
            for (var k = 1; k < n; k++)
            {
                if (ChangedBox(Pixels(frames, k), Pixels(frames, k - 1), w, h, out var b))
                {
                    allChangedArea += (long)(b.X1 - b.X0 + 1) * (b.Y1 - b.Y0 + 1);
                    changed.Add(k);
                }
                else allUnchanged++;
            }
            // Most long GIFs change little per frame: count them all when their changed boxes are small enough.
            everyFrame = canvas + allChangedArea <= changedPixelsBudget;
        }
        int[] looked;
        if (everyFrame)
        {
            looked = new int[n];
            for (var i = 0; i < n; i++) looked[i] = i;
        }
        else
        {
            // Frame 0 and every stride-th changed frame, the stride chosen so the counted boxes fit the budget.
            var room = Math.Max(1, changedPixelsBudget - canvas);
            var stride = (int)Math.Min(changed!.Count, Math.Max(1, (allChangedArea + room - 1) / room));
            var picked = new List<int>(changed.Count / stride + 2) { 0 };
            for (var i = 0; i < changed.Count; i += stride) picked.Add(changed[i]);
            looked = [.. picked];
        }
        long lookedChangedArea = 0;
        var lookedUnchanged = 0;

        var first = new double[Variants.Length];
        var rest = new double[Variants.Length];
        var restCount = 0;
        var estimators = new LzwSizeEstimator[4];
        for (var i = 0; i < estimators.Length; i++) estimators[i] = new LzwSizeEstimator();
        var ids = new ColorIndex();
        var together = new VariantSymboliser();
        var buffers = new int[Variants.Length][];
        var frameBits = new long[Variants.Length];
        var minBits = new int[Variants.Length];
        var distinct = new int[Variants.Length];
        Span<long> four = stackalloc long[4];
        Span<int> fourMin = stackalloc int[4];
        try
        {
            foreach (var k in looked)
            {
                var cur = Pixels(frames, k);
                var prev = k > 0 ? Pixels(frames, k - 1) : default;
                var target = k == 0 ? first : rest;
                if (k != 0) restCount++;
                var box = new Box(0, 0, w - 1, h - 1);
                if (k > 0 && !ChangedBox(cur, prev, w, h, out box))
                {
                    for (var v = 0; v < Variants.Length; v++) target[v] += EmptyFrameBits;
                    lookedUnchanged++;
                    continue;
                }
                // Without a previous frame -O1 and -O2 code the same symbols: frame 0 counts only the -O2 variants.
                var active = k == 0 ? O2Variants : Variants.Length;
                var m = (box.X1 - box.X0 + 1) * (box.Y1 - box.Y0 + 1);
                if (k > 0) lookedChangedArea += m;
                // Lockstep needs every variant's symbols at once; past LockstepPixels they are counted one at a time.
                var lockstep = m <= lockstepPixels;
                var packed = true;
                if (lockstep)
                {
                    for (var v = 0; v < active; v++)
                    {
                        if (buffers[v] is not null && buffers[v].Length >= m) continue;
                        if (buffers[v] is not null) ArrayPool<int>.Shared.Return(buffers[v]);
                        buffers[v] = ArrayPool<int>.Shared.Rent(m);
                    }
                    together.Symbolise(cur, prev, w, box, active, buffers, distinct);
                }
                for (var v = 0; v < active; v++)
                {
                    var (q, o2) = Variants[v];
                    if (!lockstep)
                    {
                        if (buffers[0] is null || buffers[0].Length < m)
                        {
                            if (buffers[0] is not null) ArrayPool<int>.Shared.Return(buffers[0]);
                            buffers[0] = ArrayPool<int>.Shared.Rent(m);
                        }
                        Symbolise(cur, o2 ? prev : default, w, box, q, ids, buffers[0]);
                        distinct[v] = ids.Count;
                    }
                    var count = distinct[v];
                    packed &= count <= LzwSizeEstimator.PackedSymbolLimit;
                    var bitsPerSymbol = palBits > 0 ? palBits : BitsFor(Math.Min(256, count));
                    minBits[v] = Math.Max(2, bitsPerSymbol);
                    frameBits[v] = 8 * 10 + (palBits > 0 ? 0 : 3 * 8 * (1L << bitsPerSymbol));
                    if (!lockstep) frameBits[v] += estimators[0].CountBits(buffers[0].AsSpan(0, m), minBits[v], distinct[v]);
                }
                var done = lockstep ? 0 : active;
                for (; packed && done + 4 <= active; done += 4)
                {
                    for (var j = 0; j < 4; j++) fourMin[j] = minBits[done + j];
                    LzwSizeEstimator.CountBits4(estimators, buffers[done].AsSpan(0, m), buffers[done + 1].AsSpan(0, m),
                                                buffers[done + 2].AsSpan(0, m), buffers[done + 3].AsSpan(0, m), fourMin, four);
                    for (var j = 0; j < 4; j++) frameBits[done + j] += four[j];
                }
                for (; done < active; done++)
                    frameBits[done] += estimators[0].CountBits(buffers[done].AsSpan(0, m), minBits[done], distinct[done]);
                for (var v = 0; v < Variants.Length; v++)
                    target[v] += frameBits[v < active ? v : SameAsO2[v]];
            }
        }
        finally
        {
            foreach (var b in buffers)
                if (b is not null) ArrayPool<int>.Shared.Return(b);
        }

        double File(int v)
        {
            double others;
            if (everyFrame) others = n > 1 ? (restCount > 0 ? rest[v] / restCount : first[v]) * (n - 1) : 0;
            else
            {
                // Bits per changed-box pixel of the sampled changed frames (frame 0's per canvas pixel when none was sampled).
                var changedBits = rest[v] - (double)lookedUnchanged * EmptyFrameBits;
                var perPixel = lookedChangedArea > 0 ? changedBits / lookedChangedArea : first[v] / canvas;
                others = (double)allUnchanged * EmptyFrameBits + perPixel * allChangedArea;
            }
            return (first[v] + others) / 8 + (localPalettes ? 0 : 3 * (1 << palBits)) + extensionBytes + 30;
        }
        return new Estimates(File(0), File(1), File(2), File(3), File(4), File(5), File(6), File(7));
    }

    /// <summary><c>max(1, ⌈log₂ max(2, count)⌉)</c>: bits of a colour table holding <paramref name="count"/> entries.</summary>
    internal static int BitsFor(int count)
    {
        var bits = 1;
        while ((1 << bits) < count) bits++;
        return bits;
    }

    private readonly record struct Box(int X0, int Y0, int X1, int Y1);

    private static ReadOnlySpan<uint> Pixels(Model.FrameSequence frames, int k) =>
        MemoryMarshal.Cast<byte, uint>(frames.Frames[k].Rgba.AsSpan(0, frames.FrameByteCount));

    /// <summary>Bounding box of the pixels whose RGBA differs between <paramref name="cur"/> and <paramref name="prev"/>; false when none.</summary>
    private static bool ChangedBox(ReadOnlySpan<uint> cur, ReadOnlySpan<uint> prev, int w, int h, out Box box)
    {
        int x0 = w, y0 = h, x1 = -1, y1 = -1;
        for (var y = 0; y < h; y++)
        {
            var a = cur.Slice(y * w, w);
            var b = prev.Slice(y * w, w);
            var left = a.CommonPrefixLength(b);
            if (left == w) continue;
            var right = w - 1;
            while (a[right] == b[right]) right--;
            if (left < x0) x0 = left;
            if (right > x1) x1 = right;
            if (y < y0) y0 = y;
            y1 = y;
        }
        box = new Box(x0, y0, x1, y1);
        return x1 >= 0;
    }

    /// <summary>
    /// The symbols of several variants in one pass over the box, the same as <see cref="Symbolise"/> per variant: each
    /// pixel's exact colour gets a base id (one hash look-up, skipped along runs); each variant maps a base id to its own
    /// id the first time it meets it (first-seen order of its quantised colour, as <see cref="Symbolise"/> assigns), so
    /// after that a variant's symbol is one array read.
    /// </summary>
    private sealed class VariantSymboliser
    {
        private readonly ColorIndex _base = new();
        private readonly ColorIndex[] _ids = [.. Enumerable.Range(0, Variants.Length).Select(_ => new ColorIndex())];
        private readonly int[][] _maps = [.. Enumerable.Range(0, Variants.Length).Select(_ => new int[256])];
        private readonly int[] _unchanged = new int[Variants.Length];

        public void Symbolise(ReadOnlySpan<uint> cur, ReadOnlySpan<uint> prev, int w, Box box, int active, int[][] symbols, int[] distinct)
        {
            _base.Clear();
            for (var v = 0; v < active; v++)
            {
                _ids[v].Clear();
                _maps[v].AsSpan().Fill(-1);
                _unchanged[v] = -1;
            }
            Span<uint> masks = stackalloc uint[Variants.Length];
            for (var v = 0; v < active; v++)
            {
                var mask = (uint)((0xFF << Variants[v].Q) & 0xFF);
                masks[v] = mask | mask << 8 | mask << 16;
            }
            var usePrev = !prev.IsEmpty;
            var m = 0;
            for (var y = box.Y0; y <= box.Y1; y++)
            {
                var row = cur.Slice(y * w + box.X0, box.X1 - box.X0 + 1);
                var prevRow = usePrev ? prev.Slice(y * w + box.X0, row.Length) : default;
                for (var x = 0; x < row.Length; x++, m++)
                {
                    var p = row[x];
                    var transparent = p >> 24 < 128;
                    var baseId = _base.IdOf(transparent ? TransparentSymbol : (int)(p & 0xFFFFFF));
                    var unchanged = !transparent && usePrev && p == prevRow[x];
                    for (var v = 0; v < active; v++)
                    {
                        int id;
                        if (unchanged && Variants[v].O2)
                        {
                            id = _unchanged[v];
                            if (id < 0) id = _unchanged[v] = _ids[v].IdOf(UnchangedSymbol);
                        }
                        else
                        {
                            var map = _maps[v];
                            if (baseId >= map.Length) map = Grow(v, baseId);
                            id = map[baseId];
                            if (id < 0) id = map[baseId] = _ids[v].IdOf(transparent ? TransparentSymbol : (int)(p & masks[v]));
                        }
                        symbols[v][m] = id;
                    }
                }
            }
            for (var v = 0; v < active; v++) distinct[v] = _ids[v].Count;
        }

        private int[] Grow(int v, int baseId)
        {
            var old = _maps[v];
            var map = new int[Math.Max(old.Length * 2, baseId + 1)];
            old.CopyTo(map, 0);
            map.AsSpan(old.Length).Fill(-1);
            return _maps[v] = map;
        }
    }

    /// <summary>Writes the box's symbols (dense colour ids, first seen = 0) row by row; returns their number.</summary>
    private static int Symbolise(ReadOnlySpan<uint> cur, ReadOnlySpan<uint> prev, int w, Box box, int q, ColorIndex ids, int[] symbols)
    {
        ids.Clear();
        var mask = (uint)((0xFF << q) & 0xFF);
        var rgbMask = mask | mask << 8 | mask << 16;
        var usePrev = !prev.IsEmpty;
        var m = 0;
        for (var y = box.Y0; y <= box.Y1; y++)
        {
            var row = cur.Slice(y * w + box.X0, box.X1 - box.X0 + 1);
            var prevRow = usePrev ? prev.Slice(y * w + box.X0, row.Length) : default;
            for (var x = 0; x < row.Length; x++)
            {
                var p = row[x];
                int key;
                if (p >> 24 < 128) key = TransparentSymbol;
                else if (usePrev && p == prevRow[x]) key = UnchangedSymbol;
                else key = (int)(p & rgbMask);
                symbols[m++] = ids.IdOf(key);
            }
        }
        return m;
    }
}
