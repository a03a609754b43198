namespace GifLab.Core.Features.Structure;

/// <summary>
/// <c>max_frame_colors</c>: the most distinct colours in one composited frame, over <b>every</b> frame (pixels of
/// alpha 0 count as one colour), capped at <see cref="Cap"/>. A palette reduction to N ≥ this count is a no-op on every
/// frame, so engines whose curve points differ only in palette size (ImageMagick's lossy and colour curves) give
/// byte-identical output at all such points (<c>Modeling.PaletteSaturation</c>). Counted by
/// <see cref="Model.FrameColors.MaxDistinctColors"/>, the exact counter output validation uses.
/// </summary>
internal static class FrameColorCount
{
    /// <summary>The value for "more than 256 colours in some frame".</summary>
    public const int Cap = 257;

    public static int Measure(Model.FrameSequence frames) =>
        Math.Min(Model.FrameColors.MaxDistinctColors(frames, countTransparent: true), Cap);
}
