namespace GifLab.Core.Decoding;

/// <summary>Limits and leniency for <see cref="GifDecoder"/>. Defaults suit untrusted input.</summary>
public sealed record GifDecoderOptions
{
    public static GifDecoderOptions Default { get; } = new();

    /// <summary>Largest canvas (width × height) accepted; larger → <see cref="GifErrorKind.LimitExceeded"/>.</summary>
    public long MaxCanvasPixels { get; init; } = 64L * 1024 * 1024;

    /// <summary>Cap on bytes of composited frames produced (frames × canvas × 4); beyond it → LimitExceeded.</summary>
    public long MaxDecodedBytes { get; init; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Cap on frame count.</summary>
    public int MaxFrames { get; init; } = 20_000;

    /// <summary>Lenient mode (default) keeps the frames decoded before damage and records a warning; strict mode throws.</summary>
    public bool Lenient { get; init; } = true;

    /// <summary>Take the composited frames' arrays from this pool (null: fresh arrays). Whoever decodes with a pool owns
    /// the frames and gives them back with <see cref="FrameArrayPool.Return"/> when nothing reads them any more.</summary>
    public FrameArrayPool? FramePool { get; init; }
}
