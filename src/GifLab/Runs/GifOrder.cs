using GifLab.Core.Decoding;

namespace GifLab.Runs;

/// <summary>The order in which a local run takes its GIFs.</summary>
public static class GifOrder
{
    /// <summary>
    /// GIFs in descending order of work (canvas pixels × frames, read from the block structure by
    /// <see cref="GifWorkEstimate"/>), ties in discovery order: the longest GIF starts first instead of running alone at
    /// the end while the other cores idle (the whole real corpus at 16 jobs could end on its 928×512×200 GIF).
    /// Byte-identical files tie, so the first one found stays the original and later ones its duplicates.
    /// </summary>
    public static IReadOnlyList<string> LargestFirst(IReadOnlyList<string> paths) =>
        paths.Select(p => (Path: p, Work: GifWorkEstimate.PixelFrames(p)))
             .OrderByDescending(x => x.Work)
             .Select(x => x.Path)
             .ToList();
}
