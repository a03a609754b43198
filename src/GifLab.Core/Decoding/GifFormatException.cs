namespace GifLab.Core.Decoding;

/// <summary>The bytes are not a GIF the decoder can turn into at least one frame, or exceed a configured limit.</summary>
public sealed class GifFormatException : Exception
{
    public GifFormatException(GifErrorKind kind, string message, long offset = -1)
        : base(offset >= 0 ? $"{message} (at byte {offset})" : message)
    {
        Kind = kind;
        Offset = offset;
    }

    /// <summary>Typed reason, stored as the failure's error type detail.</summary>
    public GifErrorKind Kind { get; }

    /// <summary>Byte offset where the problem was detected, or -1.</summary>
    public long Offset { get; }
}

/// <summary>Why a GIF could not be decoded.</summary>
public enum GifErrorKind
{
    NotAGif,
    Truncated,
    InvalidLogicalScreen,
    InvalidBlock,
    InvalidLzw,
    NoFrames,
    LimitExceeded,
    /// <summary>Strict mode only: a pixel uses a colour index outside its colour table (lenient mode renders it black).</summary>
    InvalidColorIndex,
}
