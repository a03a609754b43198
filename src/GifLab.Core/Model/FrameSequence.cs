namespace GifLab.Core.Model;

/// <summary>A decoded GIF: canvas size, composited frames in display order and GIF-level facts.</summary>
public sealed class FrameSequence
{
    public FrameSequence(int width, int height, IReadOnlyList<Frame> frames, GifInfo info)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        Width = width;
        Height = height;
        Frames = frames;
        Info = info;
    }

    public int Width { get; }
    public int Height { get; }
    public IReadOnlyList<Frame> Frames { get; }
    public GifInfo Info { get; }

    public int FrameCount => Frames.Count;

    /// <summary>Sum of frame delays in milliseconds.</summary>
    public int DurationMs
    {
        get
        {
            var total = 0;
            foreach (var f in Frames) total += f.DelayMs;
            return total;
        }
    }

    /// <summary>Bytes per composited frame (width × height × 4).</summary>
    public int FrameByteCount => Width * Height * 4;

    private int[]? _runStarts;

    /// <summary>For each frame, the first frame of the run of byte-identical consecutive frames it belongs to (RGBA
    /// canvases compared exactly; static stretches of screen recordings are long runs). Computed once, on first use,
    /// and shared by validation and metrics; frames are immutable by contract.</summary>
    internal int[] RunStarts => _runStarts ??= ComputeRunStarts();

    /// <summary>Frames that are not byte-identical to the frame before them (the first frame counts). Such repeated frames
    /// share their array when decoded, so memory goes with this count, not <see cref="FrameCount"/>.</summary>
    public int DistinctFrameCount
    {
        get
        {
            var starts = RunStarts;
            var distinct = 0;
            for (var i = 0; i < starts.Length; i++) if (starts[i] == i) distinct++;
            return distinct;
        }
    }

    /// <summary>Whether frame <paramref name="frame"/> is byte-identical to the frame before it.</summary>
    public bool SameAsPrevious(int frame) => frame > 0 && RunStarts[frame] != frame;

    private int[] ComputeRunStarts()
    {
        var starts = new int[FrameCount];
        for (int i = 1; i < starts.Length; i++)
        {
            var rgba = Frames[i].Rgba;
            var previous = Frames[i - 1].Rgba;
            starts[i] = ReferenceEquals(rgba, previous) || rgba.AsSpan().SequenceEqual(previous) ? starts[i - 1] : i;
        }
        return starts;
    }

    private int _transparentPixels = -1;

    /// <summary>Whether any composited pixel has alpha below 255 (unlike <see cref="GifInfo.HasTransparency"/>, which
    /// only says a transparent index is declared). Scanned once, on first use; frames are immutable by contract.</summary>
    public bool HasTransparentPixels
    {
        get
        {
            if (_transparentPixels < 0)
            {
                bool any = false;
                for (int f = 0; f < FrameCount && !any; f++)
                    any = !SameAsPrevious(f) && AnyTransparent(Frames[f].Rgba);
                _transparentPixels = any ? 1 : 0;
            }
            return _transparentPixels == 1;
        }
    }

    /// <summary>Any alpha byte below 255 in RGBA bytes; 8 pixels per step (alpha = top byte of each little-endian word).</summary>
    internal static bool AnyTransparent(ReadOnlySpan<byte> rgba, bool vectorised = true)
    {
        int i = 0;
        if (vectorised && System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated)
        {
            var words = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(rgba[..(rgba.Length & ~3)]);
            var alpha = System.Runtime.Intrinsics.Vector256.Create(0xFF000000u);
            for (; i + 8 <= words.Length; i += 8)
                if ((System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(words), (nuint)i) & alpha) != alpha)
                    return true;
            i *= 4;
        }
        for (i += 3; i < rgba.Length; i += 4)
            if (rgba[i] != 255) return true;
        return false;
    }
}

/// <summary>GIF-level facts read while decoding (GIF89a §18 logical screen, NETSCAPE2.0 loop extension).</summary>
/// <param name="LoopCount">NETSCAPE loop count: 0 = forever, n = n repeats, -1 = no loop extension (play once).</param>
/// <param name="GlobalPaletteSize">Entries in the global colour table, 0 when absent.</param>
/// <param name="MaxLocalPaletteSize">Largest local colour table, 0 when no frame has one.</param>
/// <param name="LocalPaletteFrames">Number of frames carrying a local colour table.</param>
/// <param name="HasTransparency">Whether any frame declares a transparent index.</param>
/// <param name="BackgroundIndex">Logical screen background colour index.</param>
/// <param name="Warnings">Non-fatal problems met in lenient mode (truncated data, bad indices…).</param>
public sealed record GifInfo(
    int LoopCount,
    int GlobalPaletteSize,
    int MaxLocalPaletteSize,
    int LocalPaletteFrames,
    bool HasTransparency,
    int BackgroundIndex,
    IReadOnlyList<string> Warnings)
{
    public static GifInfo Synthetic { get; } = new(0, 0, 0, 0, false, 0, []);

    /// <summary>Bytes after the trailer (';'), ignored by the decoder; the output validator rejects an output with any.</summary>
    public long TrailingBytes { get; init; }
}
