using GifLab.Core.Model;

namespace GifLab.Engines;

/// <summary>
/// The largest engine output GifLab reads for a source GIF. An LZW-coded image needs at most ~1.5 bytes per pixel
/// (12-bit codes), so a frame-for-frame output is bounded by about 2 bytes per source pixel; the cap adds twice the
/// source file and 1 MiB of slack, and never exceeds <see cref="AbsoluteMaxBytes"/>. Anything larger is not a
/// compressed GIF but a runaway engine (or padding after the trailer): it is rejected by its size, unread.
/// </summary>
public static class OutputLimits
{
    /// <summary>No output larger than this is ever read into memory (1 GiB).</summary>
    public const long AbsoluteMaxBytes = 1L << 30;

    /// <summary>The cap for outputs (and intermediates) of runs on <paramref name="source"/>.</summary>
    public static long MaxBytes(SourceGif source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var pixels = (long)source.Frames.Width * source.Frames.Height * Math.Max(1, source.Frames.FrameCount);
        return Math.Min(AbsoluteMaxBytes, 2 * pixels + 2 * source.FileSizeBytes + (1L << 20));
    }
}
