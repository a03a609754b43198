namespace GifLab.Core.Model;

/// <summary>
/// One fully composited canvas frame: what a viewer shows while this frame is displayed
/// (disposal of earlier frames and transparency applied). <see cref="Rgba"/> is
/// <c>canvasWidth × canvasHeight × 4</c> bytes, row-major, straight (non-premultiplied) alpha.
/// </summary>
public sealed class Frame
{
    public Frame(byte[] rgba, int delayMs, DisposalMethod disposal, FrameRect rect,
                 int localPaletteSize = 0, int transparentIndex = -1, bool interlaced = false)
    {
        Rgba = rgba;
        DelayMs = delayMs;
        Disposal = disposal;
        Rect = rect;
        LocalPaletteSize = localPaletteSize;
        TransparentIndex = transparentIndex;
        Interlaced = interlaced;
    }

    /// <summary>Composited canvas pixels, RGBA8, length = width × height × 4.</summary>
    public byte[] Rgba { get; }

    /// <summary>Delay in milliseconds as stored in the file (centiseconds × 10; 0 when absent).</summary>
    public int DelayMs { get; }

    public DisposalMethod Disposal { get; }

    /// <summary>The frame's own rectangle (image descriptor), before clipping.</summary>
    public FrameRect Rect { get; }

    /// <summary>Entries in the frame's local colour table; 0 when it uses the global one.</summary>
    public int LocalPaletteSize { get; }

    /// <summary>Transparent colour index from the GCE, or -1 when none.</summary>
    public int TransparentIndex { get; }

    public bool Interlaced { get; }
}
