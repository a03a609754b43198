using GifLab.Core.Model;

namespace GifLab.Core.Decoding;

/// <summary>Public door of the GIF decoder: bytes in, composited frames out.</summary>
public static class GifDecoder
{
    /// <summary>Decodes every frame of a GIF into composited RGBA canvas frames.</summary>
    /// <exception cref="GifFormatException">The bytes are not a decodable GIF or exceed a limit.</exception>
    public static FrameSequence Decode(ReadOnlySpan<byte> data, GifDecoderOptions? options = null) =>
        throw new GifFormatException(GifErrorKind.NotAGif, "decoder not built yet");
}
