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
/// Output: one <see cref="Frame"/> per image descriptor (as gifsicle, browsers and Pillow count frames), each
/// the full logical screen in RGBA after compositing (see <see cref="FrameCompositor"/> for the disposal and
/// transparency rules). Frames are clipped to the declared screen; indices outside the colour table render
/// opaque black; a missing colour table renders every index black.
/// </para>
/// <para>
/// Errors: not a GIF, empty or over-limit canvas, and a first image whose LZW data cannot produce a single pixel
/// always throw. In strict mode (<see cref="GifDecoderOptions.Lenient"/> = false) any truncation, bad LZW code,
/// unknown block or malformed extension throws too; in lenient mode decoding keeps the frames (and partial
/// frame) decoded so far and records a warning in <see cref="GifInfo.Warnings"/>. Nothing else is thrown.
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
