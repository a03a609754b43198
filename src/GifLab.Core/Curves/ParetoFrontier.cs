namespace GifLab.Core.Curves;

/// <summary>
/// Size-vs-quality Pareto frontier (smaller size is better, higher quality is better).
/// <para>
/// Contract: returns the points not dominated by any other point, where p dominates q when
/// <c>p.Size ≤ q.Size</c> and <c>p.Quality ≥ q.Quality</c> with at least one strict. Points with a NaN or infinite size
/// or quality are ignored (callers drop runs without a quality value before this). Of several points with identical
/// size and quality, only the one with the smallest <see cref="ParetoPoint.Index"/> is kept, so the result is
/// deterministic for a deterministic input order.
/// </para>
/// <para>Ordering: by size ascending; quality is then strictly increasing along the result.</para>
/// <para>Cost: O(n log n) time for the sort plus one linear scan; O(n) extra memory (one copy of the input).</para>
/// </summary>
public static class ParetoFrontier
{
    public static IReadOnlyList<ParetoPoint> Compute(IEnumerable<ParetoPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var list = new List<ParetoPoint>();
        foreach (var p in points)
            if (double.IsFinite(p.Size) && double.IsFinite(p.Quality)) list.Add(p);
        // Size ascending; for equal sizes the best quality first; then the first index, so a scan keeps the winner.
        list.Sort(static (a, b) =>
        {
            var c = a.Size.CompareTo(b.Size);
            if (c != 0) return c;
            c = b.Quality.CompareTo(a.Quality);
            return c != 0 ? c : a.Index.CompareTo(b.Index);
        });
        var frontier = new List<ParetoPoint>();
        var best = double.NegativeInfinity;
        foreach (var p in list)
        {
            // A point survives only if it beats the quality of every smaller-or-equal-size point kept so far.
            if (p.Quality > best)
            {
                frontier.Add(p);
                best = p.Quality;
            }
        }
        return frontier;
    }
}
