using GifLab.Core.Model;

namespace GifLab.Core.Encoding;

/// <summary>
/// One image for <see cref="GifEncoder.EncodeFrames"/>: its own rectangle on the logical screen,
/// RGBA pixels for that rectangle only (<c>Rect.Width × Rect.Height × 4</c> bytes; alpha &lt; 128 = transparent,
/// i.e. the canvas underneath shows through), delay and GIF89a §23 disposal method.
/// </summary>
/// <param name="Rgba">Row-major RGBA8 pixels of the rectangle.</param>
/// <param name="Rect">Position and size on the logical screen; may reach past the screen (decoders clip it).</param>
/// <param name="DelayMs">Delay in milliseconds (stored as centiseconds, rounded).</param>
/// <param name="Disposal">What happens to the rectangle after the frame is shown.</param>
public sealed record GifEncoderFrame(byte[] Rgba, FrameRect Rect, int DelayMs = 0,
                                     DisposalMethod Disposal = DisposalMethod.DoNotDispose);
