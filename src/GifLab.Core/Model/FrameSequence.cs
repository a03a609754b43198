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
}
