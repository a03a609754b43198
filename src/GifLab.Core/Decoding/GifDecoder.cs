using GifLab.Core.Model;

namespace GifLab.Core.Decoding;

/// <summary>Public door of the GIF decoder: bytes in, composited frames out.</summary>
/// <remarks>
/// <para>
/// GifLab decodes GIFs with its own decoder rather than SkiaSharp (or another native codec) because the lab
/// needs (1) exact control of malformed input: typed <see cref="GifFormatException"/> kinds for the failures
/// table, a lenient mode that keeps the frames decoded before damage and lists what was wrong, and size/frame
/// limits enforced before anything is allocated; (2) palette and transparency facts that SkiaSharp does not
/// expose (global/local colour table sizes, transparent index, per-frame disposal, loop count, interlace);
/// and (3) no native dependency, so Core stays pure managed code that runs wherever .NET runs.
/// </para>
/// <para>
/// Output: one <see cref="Frame"/> per image descriptor (as gifsicle, browsers and Pillow count frames), each the
/// full logical screen in RGBA as a browser shows it while that frame is displayed: the canvas starts transparent
/// (the background colour is not painted); a transparent-index pixel leaves the canvas unchanged; after display,
/// disposal 2 clears the frame's rectangle to transparent and disposal 3 restores it to what it was before the
/// frame was drawn (0, 1 and the undefined 4–7 keep it). Frames are clipped to the declared screen; indices
/// outside the colour table (or with no colour table at all) render opaque black. Checked pixel for pixel against
/// the pygif conformance suite and ImageMagick (see testdata/gifs/README.md).
/// </para>
/// <para>
/// Errors: not a GIF, empty or over-limit canvas, damage before the first image, and a first image whose LZW
/// data cannot produce a single pixel always throw. In strict mode (<see cref="GifDecoderOptions.Lenient"/> =
/// false) any truncation, bad LZW code, unknown block, malformed extension or out-of-range colour index throws
/// too; in lenient mode decoding keeps the frames (and the partial frame) decoded so far and records a warning
/// in <see cref="GifInfo.Warnings"/>. Nothing but <see cref="GifFormatException"/> is thrown.
/// </para>
/// </remarks>
public static class GifDecoder
{
    /// <summary>Decodes every frame of a GIF into composited RGBA canvas frames.</summary>
    /// <exception cref="GifFormatException">The bytes are not a decodable GIF or exceed a limit.</exception>
    public static FrameSequence Decode(ReadOnlySpan<byte> data, GifDecoderOptions? options = null)
    {
        var core = new GifDecoderCore(data, options ?? GifDecoderOptions.Default);
        return core.Decode();
    }
}
