namespace GifLab.Answers;

/// <summary>
/// The smallest size at which a size-vs-quality curve reaches a quality floor (higher quality is better; callers
/// orient lower-is-better metrics first).
/// <para>
/// The curve is the Pareto frontier of the measured points (size ascending, quality strictly rising). The answer is
/// the frontier's first point at or above the floor when it is the smallest point; otherwise the floor lies between two
/// frontier neighbours and the size is interpolated linearly in quality between them, which is monotone and stays
/// inside the measured range. A floor above every measured quality gives null (never reaches the floor): nothing is
/// extrapolated.
/// </para>
/// </summary>
public static class IsoQuality
{
    /// <summary>The frontier of (size, quality) points; invalid points (non-finite, size ≤ 0) are dropped.</summary>
    public static List<(double Size, double Quality)> Frontier(IEnumerable<(double Size, double Quality)> points)
    {
        var list = new List<(double Size, double Quality)>();
        foreach (var p in points)
            if (double.IsFinite(p.Size) && p.Size > 0 && double.IsFinite(p.Quality)) list.Add(p);
        list.Sort(static (a, b) => a.Size != b.Size ? a.Size.CompareTo(b.Size) : b.Quality.CompareTo(a.Quality));
        var frontier = new List<(double Size, double Quality)>(list.Count);
        var best = double.NegativeInfinity;
        foreach (var p in list)
        {
            if (!(p.Quality > best)) continue;
            frontier.Add(p);
            best = p.Quality;
        }
        return frontier;
    }

    /// <summary>Size at which <paramref name="frontier"/> (from <see cref="Frontier"/>) reaches <paramref name="floor"/>; null when it never does.</summary>
    public static double? SizeAt(IReadOnlyList<(double Size, double Quality)> frontier, double floor)
    {
        for (var i = 0; i < frontier.Count; i++)
        {
            var (size, quality) = frontier[i];
            if (quality < floor) continue;
            if (i == 0 || quality == floor) return size;
            var (s0, q0) = frontier[i - 1];
            return s0 + (floor - q0) / (quality - q0) * (size - s0);
        }
        return null;
    }
}
