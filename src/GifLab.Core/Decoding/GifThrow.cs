using System.Diagnostics.CodeAnalysis;

namespace GifLab.Core.Decoding;

/// <summary>
/// Throw helpers for <see cref="GifFormatException"/> (kept out of the hot paths so they stay small and inlinable,
/// as ImageSharp's <c>GifThrowHelper</c>).
/// </summary>
internal static class GifThrow
{
    [DoesNotReturn]
    public static void Format(GifErrorKind kind, string message, long offset = -1) =>
        throw new GifFormatException(kind, message, offset);

    [DoesNotReturn]
    public static void NotAGif(string message) => throw new GifFormatException(GifErrorKind.NotAGif, message, 0);

    [DoesNotReturn]
    public static void Truncated(string what, long offset) =>
        throw new GifFormatException(GifErrorKind.Truncated, $"Data ends inside {what}", offset);

    [DoesNotReturn]
    public static void InvalidLogicalScreen(string message) =>
        throw new GifFormatException(GifErrorKind.InvalidLogicalScreen, message, GifConstants.HeaderLength);

    [DoesNotReturn]
    public static void InvalidBlock(string message, long offset) =>
        throw new GifFormatException(GifErrorKind.InvalidBlock, message, offset);

    [DoesNotReturn]
    public static void InvalidLzw(string message, long offset) =>
        throw new GifFormatException(GifErrorKind.InvalidLzw, message, offset);

    [DoesNotReturn]
    public static void LimitExceeded(string message) =>
        throw new GifFormatException(GifErrorKind.LimitExceeded, message);
}
