namespace GifLab.Storage;

/// <summary>How many GIFs have runs on a curve, and how many have every grid point measured (valid, non-empty).</summary>
public sealed record CurveCompleteness(long GifsWithRuns, long GifsComplete);
