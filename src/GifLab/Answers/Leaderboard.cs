namespace GifLab.Answers;

/// <summary>One family's row of a leaderboard.</summary>
/// <param name="Gifs">GIFs of the group on which the family has at least one measured point.</param>
/// <param name="Reached">Of those, GIFs on which it reaches the floor.</param>
/// <param name="NeverReaches">Of those, GIFs on which it never reaches the floor (counted, never extrapolated).</param>
/// <param name="MedianRelativeSize">Median over its GIFs of size at the floor ÷ the GIF's best size at the floor (1 = best);
/// a GIF where it never reaches the floor counts as +∞, so more than half such GIFs give +∞.</param>
/// <param name="WinRate">Share of its GIFs (where some family reaches the floor) on which it is smallest (ties share).</param>
/// <param name="ReachShare">Reached ÷ Gifs.</param>
/// <param name="ParetoFrequency">Share of its GIFs on which it alone produced a point of the frontier over all families.</param>
/// <param name="Rank">Iso-quality rank: by median relative size, then win rate.</param>
/// <param name="ParetoRank">Rank by Pareto frequency.</param>
/// <param name="Disagrees">The two ranks differ by two places or more.</param>
public sealed record LeaderboardRow(PipelineFamily Family, int Gifs, int Reached, int NeverReaches,
                                    Estimate MedianRelativeSize, Estimate WinRate, Estimate ReachShare, Estimate ParetoFrequency,
                                    int Rank, int ParetoRank, bool Disagrees);

/// <summary>The iso-quality leaderboard of one group of GIFs (a content type or all), rows in rank order.</summary>
public sealed record Leaderboard(string Group, int Gifs, IReadOnlyList<LeaderboardRow> Rows)
{
    /// <summary>A one-line statement of the disagreements between the iso-quality and the Pareto-frequency ranks (null when none).</summary>
    public string? Disagreement
    {
        get
        {
            var flagged = Rows.Where(r => r.Disagrees).Select(r => $"{r.Family.Label} (iso #{r.Rank}, Pareto #{r.ParetoRank})").ToList();
            var topIso = Rows.FirstOrDefault();
            var topPareto = Rows.MinBy(r => r.ParetoRank);
            var parts = new List<string>();
            if (topIso is not null && topPareto is not null && topIso != topPareto)
                parts.Add($"best at the floor is {topIso.Family.Label}, most often on the frontier is {topPareto.Family.Label}");
            if (flagged.Count > 0) parts.Add("ranks differ by 2+ places for " + string.Join(", ", flagged));
            return parts.Count == 0 ? null : string.Join("; ", parts);
        }
    }

    /// <summary>
    /// Builds the leaderboard from per-GIF outcomes (index = family index). Intervals: percentile bootstrap over GIFs
    /// (<see cref="AnswersOptions.BootstrapSamples"/> resamples with replacement, seeded), every family resampled with the
    /// same GIF draw so the rows stay paired.
    /// </summary>
    internal static Leaderboard Compute(string group, IReadOnlyList<FamilyOutcome[]> gifs, IReadOnlyList<PipelineFamily> families, AnswersOptions options)
    {
        var n = gifs.Count;
        var f = families.Count;
        // Per family and GIF: NaN = not applicable (no points / no family reaches), else the GIF's value.
        var rel = new double[f][];
        var win = new double[f][];
        var reach = new double[f][];
        var pareto = new double[f][];
        for (var k = 0; k < f; k++)
        {
            rel[k] = new double[n];
            win[k] = new double[n];
            reach[k] = new double[n];
            pareto[k] = new double[n];
        }
        for (var g = 0; g < n; g++)
        {
            var outcome = gifs[g];
            double best = double.PositiveInfinity;
            var winners = 0;
            for (var k = 0; k < outcome.Length; k++)
                if (outcome[k].SizeAtFloor is { } s && s < best) best = s;
            for (var k = 0; k < outcome.Length; k++)
                if (outcome[k].SizeAtFloor is { } s && s <= best * (1 + 1e-12)) winners++;
            for (var k = 0; k < f; k++)
            {
                var o = k < outcome.Length ? outcome[k] : default;
                if (!o.HasPoints)
                {
                    rel[k][g] = win[k][g] = reach[k][g] = pareto[k][g] = double.NaN;
                    continue;
                }
                reach[k][g] = o.SizeAtFloor is null ? 0 : 1;
                pareto[k][g] = o.OnFrontier ? 1 : 0;
                if (winners == 0)
                {
                    rel[k][g] = win[k][g] = double.NaN;
                    continue;
                }
                rel[k][g] = o.SizeAtFloor is { } size ? size / best : double.PositiveInfinity;
                win[k][g] = o.SizeAtFloor is { } s2 && s2 <= best * (1 + 1e-12) ? 1.0 / winners : 0;
            }
        }

        var rows = new List<(PipelineFamily Family, int Gifs, int Reached, Estimate Rel, Estimate Win, Estimate Reach, Estimate Pareto)>();
        var rng = new Random(options.Seed);
        var draws = new int[options.BootstrapSamples][];
        for (var b = 0; b < draws.Length; b++)
        {
            draws[b] = new int[n];
            for (var i = 0; i < n; i++) draws[b][i] = rng.Next(n);
        }
        var scratch = new double[n];
        for (var k = 0; k < f; k++)
        {
            var eligible = 0;
            var reached = 0;
            for (var g = 0; g < n; g++)
            {
                if (double.IsNaN(reach[k][g])) continue;
                eligible++;
                if (reach[k][g] == 1) reached++;
            }
            if (eligible == 0) continue;
            rows.Add((families[k], eligible, reached,
                Bootstrap(rel[k], draws, scratch, median: true), Bootstrap(win[k], draws, scratch, median: false),
                Bootstrap(reach[k], draws, scratch, median: false), Bootstrap(pareto[k], draws, scratch, median: false)));
        }

        var isoOrder = rows.OrderBy(r => r.Rel.Value ?? double.PositiveInfinity).ThenByDescending(r => r.Win.Value ?? -1)
            .ThenByDescending(r => r.Reach.Value ?? -1).ThenBy(r => r.Family.Label, StringComparer.Ordinal).ToList();
        var paretoRank = rows.OrderByDescending(r => r.Pareto.Value ?? -1).ThenBy(r => r.Family.Label, StringComparer.Ordinal)
            .Select((r, i) => (r.Family, Rank: i + 1)).ToDictionary(x => x.Family, x => x.Rank);
        var result = isoOrder.Select((r, i) => new LeaderboardRow(r.Family, r.Gifs, r.Reached, r.Gifs - r.Reached, r.Rel, r.Win, r.Reach, r.Pareto,
            i + 1, paretoRank[r.Family], Math.Abs(i + 1 - paretoRank[r.Family]) >= 2)).ToList();
        return new Leaderboard(group, n, result);
    }

    /// <summary>The statistic (median or mean of the non-NaN values) and its percentile interval over the draws.</summary>
    private static Estimate Bootstrap(double[] values, int[][] draws, double[] scratch, bool median)
    {
        var point = median ? Median(values, null, scratch) : Mean(values, null);
        if (point is null) return Estimate.None;
        var stats = new double[draws.Length];
        var m = 0;
        if (median)
        {
            // A resample's median by counting: each GIF's rank in the sorted values is found once, a draw only counts
            // how often each rank was drawn and walks the counts to the middle (O(n) per draw instead of a sort).
            var order = Enumerable.Range(0, values.Length).Where(i => !double.IsNaN(values[i])).OrderBy(i => values[i]).ToArray();
            var rank = new int[values.Length];
            Array.Fill(rank, -1);
            for (var r = 0; r < order.Length; r++) rank[order[r]] = r;
            var counts = new int[order.Length];
            foreach (var draw in draws)
            {
                Array.Clear(counts);
                var total = 0;
                foreach (var g in draw)
                {
                    var r = rank[g];
                    if (r < 0) continue;
                    counts[r]++;
                    total++;
                }
                if (total == 0) continue;
                var lowPos = (total - 1) / 2;
                var highPos = total / 2;
                double low = double.NaN, high = double.NaN;
                var seen = 0;
                for (var r = 0; r < counts.Length; r++)
                {
                    if (counts[r] == 0) continue;
                    var next = seen + counts[r];
                    if (double.IsNaN(low) && lowPos < next) low = values[order[r]];
                    if (highPos < next)
                    {
                        high = values[order[r]];
                        break;
                    }
                    seen = next;
                }
                stats[m++] = lowPos == highPos ? low : Mid(low, high);
            }
        }
        else
            foreach (var draw in draws)
                if (Mean(values, draw) is { } s) stats[m++] = s;
        if (m == 0) return new Estimate(point, null, null);
        Array.Sort(stats, 0, m);
        var alpha = (1 - AnswersOptions.ConfidenceLevel) / 2;
        return new Estimate(point, Quantile(stats, m, alpha), Quantile(stats, m, 1 - alpha));
    }

    private static double? Mean(double[] values, int[]? draw)
    {
        var count = 0;
        var sum = 0.0;
        var n = draw?.Length ?? values.Length;
        for (var i = 0; i < n; i++)
        {
            var v = values[draw is null ? i : draw[i]];
            if (double.IsNaN(v)) continue;
            sum += v;
            count++;
        }
        return count == 0 ? null : sum / count;
    }

    private static double? Median(double[] values, int[]? draw, double[] scratch)
    {
        var count = 0;
        var n = draw?.Length ?? values.Length;
        for (var i = 0; i < n; i++)
        {
            var v = values[draw is null ? i : draw[i]];
            if (!double.IsNaN(v)) scratch[count++] = v;
        }
        if (count == 0) return null;
        var span = scratch.AsSpan(0, count);
        span.Sort();
        return count % 2 == 1 ? span[count / 2] : Mid(span[count / 2 - 1], span[count / 2]);
    }

    private static double Mid(double a, double b) => double.IsPositiveInfinity(b) ? (double.IsPositiveInfinity(a) ? a : double.PositiveInfinity) : (a + b) / 2;

    /// <summary>Linear-interpolated quantile of the first <paramref name="m"/> sorted values (numpy's default).</summary>
    private static double Quantile(double[] sorted, int m, double p)
    {
        var pos = p * (m - 1);
        var lo = (int)Math.Floor(pos);
        var hi = Math.Min(lo + 1, m - 1);
        var a = sorted[lo];
        var b = sorted[hi];
        if (double.IsPositiveInfinity(a) || double.IsPositiveInfinity(b)) return pos - lo == 0 ? a : double.PositiveInfinity;
        return a + (pos - lo) * (b - a);
    }
}
