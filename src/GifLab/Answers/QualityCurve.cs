namespace GifLab.Answers;

/// <summary>One point of a <see cref="QualityCurve"/>: at quality <paramref name="Quality"/> (metric units), the
/// quartiles over GIFs of the size needed (÷ the original GIF's size), from the <paramref name="Gifs"/> GIFs whose
/// measured curve reaches that quality.</summary>
public readonly record struct QualityCurvePoint(double Quality, double P25, double Median, double P75, int Gifs);

/// <summary>A family's size-vs-quality curve over the GIFs of a group: the median and interquartile band of each GIF's
/// interpolated size (<see cref="IsoQuality"/>) on a common quality grid.</summary>
public sealed record QualityCurve(string Group, PipelineFamily Family, IReadOnlyList<QualityCurvePoint> Points);

/// <summary>Keeps each GIF's frontier (size ÷ original, oriented quality) per group and family for the report's curves.</summary>
internal sealed class QualityCurveAccumulator
{
    /// <summary>Quality levels per curve.</summary>
    public const int GridSize = 24;

    /// <summary>Fewest GIFs behind a plotted point (all of them when the family has fewer GIFs in the group).</summary>
    public const int MinGifs = 3;

    private readonly Dictionary<(string Group, int Family), List<(float Size, float Quality)[]>> _frontiers = [];

    public void Add(string group, int family, List<(double Size, double Quality)> frontier, long originalBytes)
    {
        if (frontier.Count == 0 || originalBytes <= 0) return;
        var copy = new (float, float)[frontier.Count];
        for (var i = 0; i < copy.Length; i++) copy[i] = ((float)(frontier[i].Size / originalBytes), (float)frontier[i].Quality);
        foreach (var g in new[] { AnswersOptions.AllGroup, group })
        {
            if (!_frontiers.TryGetValue((g, family), out var list)) _frontiers[(g, family)] = list = [];
            list.Add(copy);
        }
    }

    public List<QualityCurve> Build(IReadOnlyList<string> groups, IReadOnlyList<PipelineFamily> families, AnswersOptions options)
    {
        var curves = new List<QualityCurve>();
        foreach (var group in groups)
        {
            // One grid per group: from the 10th percentile of the GIFs' lowest measured quality to the highest quality.
            var lows = new List<double>();
            var high = double.NegativeInfinity;
            for (var f = 0; f < families.Count; f++)
                if (_frontiers.TryGetValue((group, f), out var list))
                    foreach (var fr in list)
                    {
                        lows.Add(fr[0].Quality);
                        high = Math.Max(high, fr[^1].Quality);
                    }
            if (lows.Count == 0) continue;
            lows.Sort();
            var low = Math.Min(lows[(int)(0.1 * (lows.Count - 1))], options.Metric.Oriented(options.Floor));
            if (!(high > low)) continue;
            for (var f = 0; f < families.Count; f++)
            {
                if (!_frontiers.TryGetValue((group, f), out var list)) continue;
                var points = new List<QualityCurvePoint>();
                var sizes = new List<double>(list.Count);
                for (var i = 0; i < GridSize; i++)
                {
                    var q = low + (high - low) * i / (GridSize - 1);
                    sizes.Clear();
                    foreach (var fr in list)
                        if (SizeAt(fr, q) is { } s) sizes.Add(s);
                    if (sizes.Count < Math.Min(MinGifs, list.Count)) continue;
                    sizes.Sort();
                    points.Add(new QualityCurvePoint(options.Metric.HigherIsBetter ? q : -q,
                        Quantile(sizes, 0.25), Quantile(sizes, 0.5), Quantile(sizes, 0.75), sizes.Count));
                }
                if (points.Count > 0) curves.Add(new QualityCurve(group, families[f], points));
            }
        }
        return curves;
    }

    private static double? SizeAt((float Size, float Quality)[] frontier, double floor)
    {
        for (var i = 0; i < frontier.Length; i++)
        {
            if (frontier[i].Quality < floor) continue;
            if (i == 0) return frontier[i].Size;
            var (s0, q0) = frontier[i - 1];
            var (s1, q1) = frontier[i];
            return s0 + (floor - q0) / (q1 - q0) * (s1 - s0);
        }
        return null;
    }

    private static double Quantile(List<double> sorted, double p)
    {
        var pos = p * (sorted.Count - 1);
        var lo = (int)Math.Floor(pos);
        var hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
