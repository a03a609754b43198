using GifLab.Core.Model;
using GifLab.Export;
using GifLab.Storage;

namespace GifLab.Answers;

/// <summary>One cell: the test engine's BD-rate against the anchor over the GIFs of a group.</summary>
/// <param name="Median">Median over GIFs of the per-GIF BD-rate (fraction) with its bootstrap interval.</param>
/// <param name="Mean">Mean of the per-GIF BD-rates (AWCY's summary); null when no GIF has one.</param>
/// <param name="Gifs">GIFs with a defined BD-rate.</param>
/// <param name="Undefined">GIFs where it is null, by reason.</param>
public sealed record BdRateCell(Engine Anchor, Engine Test, Estimate Median, double? Mean, int Gifs, IReadOnlyDictionary<string, int> Undefined)
{
    /// <summary>The most common reason a GIF has no value (null when every GIF has one).</summary>
    public string? MainReason => Undefined.Count == 0 ? null : Undefined.MaxBy(kv => kv.Value).Key;
}

/// <summary>BD-rates of every engine against every other over one group's GIFs (rows = anchor, columns = test).</summary>
public sealed record BdRateMatrix(string Group, IReadOnlyList<Engine> Engines, IReadOnlyList<BdRateCell> Cells)
{
    /// <summary>How the values are computed (printed with every matrix).</summary>
    public const string Method =
        "BD-rate per GIF over the engines' lossy curves (lossy levels at 256 colours, all frames; size vs the metric), PCHIP fit of log10(size) against quality " +
        "(JCTVC-E137, as vmaf's BDrateCalculator) integrated over the quality range both curves cover, each curve reduced to its Pareto frontier, at least 4 points; " +
        "summarised by the median over GIFs with a distribution-free 95 % interval (order statistics). Negative = the test engine needs fewer bytes than the anchor for the same quality.";

    public BdRateCell? Cell(Engine anchor, Engine test) => Cells.FirstOrDefault(c => c.Anchor == anchor && c.Test == test);
}

/// <summary>Collects per-GIF BD-rates per group while GIFs stream past (only the values are kept).</summary>
internal sealed class BdRateAccumulator(AnswersOptions options)
{
    private readonly Dictionary<string, Dictionary<(Engine, Engine), (List<double> Values, Dictionary<string, int> Reasons)>> _groups = new(StringComparer.Ordinal);
    private readonly SortedSet<Engine> _engines = [];

    public void Add(string group, AnswersGif gif)
    {
        var curves = new Dictionary<Engine, List<(double Rate, double Quality)>>();
        foreach (var spec in EngineCurves.Specs)
        {
            if (options.Engines is { } only && !only.Contains(spec.Engine)) continue;
            List<(double, double)>? points = null;
            foreach (var run in gif.Runs)
            {
                if (run.Pipeline != spec.LossyPipeline || run.ColorCount != 256 || run.FrameRatio != 1.0 || !run.IsPoint) continue;
                (points ??= []).Add((run.OutputSizeBytes!.Value, options.Metric.Oriented(run.Quality!.Value)));
            }
            if (points is null) continue;
            curves[spec.Engine] = points;
            _engines.Add(spec.Engine);
        }
        foreach (var (anchor, a) in curves)
        foreach (var (test, t) in curves)
        {
            if (anchor == test) continue;
            var r = BdRate.Compute(a, t);
            foreach (var g in new[] { AnswersOptions.AllGroup, group })
            {
                if (!_groups.TryGetValue(g, out var cells)) _groups[g] = cells = [];
                if (!cells.TryGetValue((anchor, test), out var cell)) cells[(anchor, test)] = cell = ([], new Dictionary<string, int>(StringComparer.Ordinal));
                if (r.Value is { } v) cell.Values.Add(v);
                else
                {
                    var reason = r.Reason!;
                    var paren = reason.IndexOf(" (", StringComparison.Ordinal);
                    if (paren > 0) reason = reason[..paren];
                    cell.Reasons[reason] = cell.Reasons.GetValueOrDefault(reason) + 1;
                }
            }
        }
    }

    public BdRateMatrix Matrix(string group)
    {
        var engines = _engines.ToList();
        var cells = new List<BdRateCell>();
        if (!_groups.TryGetValue(group, out var map)) return new BdRateMatrix(group, engines, cells);
        foreach (var anchor in engines)
        foreach (var test in engines)
        {
            if (anchor == test || !map.TryGetValue((anchor, test), out var c)) continue;
            cells.Add(new BdRateCell(anchor, test, MedianWithInterval(c.Values), c.Values.Count == 0 ? null : c.Values.Average(),
                c.Values.Count, c.Reasons));
        }
        return new BdRateMatrix(group, engines, cells);
    }

    /// <summary>
    /// Median with its distribution-free 95 % interval: the order statistics x(l), x(u) with l, u = n/2 ∓ 1.96·√n/2
    /// (binomial(n, ½) normal approximation; Conover, Practical Nonparametric Statistics, §3.2). Exact enough for the
    /// tens to thousands of GIFs here, and it needs one sort instead of a bootstrap per cell.
    /// </summary>
    private static Estimate MedianWithInterval(List<double> values)
    {
        if (values.Count == 0) return Estimate.None;
        var sorted = values.ToArray();
        Array.Sort(sorted);
        var n = sorted.Length;
        var z = 1.959963984540054 * Math.Sqrt(n) / 2;
        var lo = Math.Clamp((int)Math.Floor(n / 2.0 - z), 0, n - 1);
        var hi = Math.Clamp((int)Math.Ceiling(n / 2.0 + z) - 1, 0, n - 1);
        return new Estimate(Median(sorted), sorted[lo], sorted[hi]);
    }

    private static double Median(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}
