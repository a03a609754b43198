namespace GifLab.Answers;

/// <summary>A BD-rate value, or null with the reason it is undefined (never a sentinel number).</summary>
/// <param name="Value">Average rate difference of the test curve against the anchor at equal quality, as a fraction
/// (−0.1 = the test needs 10 % fewer bytes); null when undefined.</param>
/// <param name="Reason">Why <paramref name="Value"/> is null; null when it is defined.</param>
/// <param name="OverlapLow">Lower end of the quality interval integrated over (null when undefined).</param>
/// <param name="OverlapHigh">Upper end of the quality interval integrated over (null when undefined).</param>
public sealed record BdRateResult(double? Value, string? Reason, double? OverlapLow = null, double? OverlapHigh = null)
{
    public static BdRateResult Undefined(string reason) => new(null, reason);
}

/// <summary>
/// Bjøntegaard delta rate (VCEG-M33) with the piecewise cubic Hermite (PCHIP) fit of JCTVC-E137, the variant vmaf's
/// <c>BDrateCalculator</c> and the AV1/JVET spreadsheets use instead of VCEG-M33's single cubic polynomial (which
/// oscillates on more than four points).
/// <para>
/// Fit: each curve's log10(rate) as a function of quality, through its points, with PCHIP slopes (Fritsch–Carlson
/// harmonic mean inside, the three-point one-sided formula at the ends). The two fits are integrated exactly over the
/// quality interval both curves cover; BD-rate = 10^(mean difference of log10 rate) − 1 (test against anchor).
/// </para>
/// <para>
/// Input: any (rate, quality) points with rate &gt; 0. Each curve is first reduced to its Pareto frontier (points that
/// are not beaten by a smaller-or-equal rate with higher-or-equal quality), so rate rises strictly with quality and the
/// fit is monotone. Undefined, with a reason: fewer than <see cref="MinPoints"/> frontier points on a curve; no
/// overlap of the quality ranges; a non-finite or non-positive rate is ignored as a point.
/// </para>
/// Checked against vmaf's test vectors (JCTVC-E137 data and vmaf's own sets; see <c>BdRateTests</c>).
/// </summary>
public static class BdRate
{
    /// <summary>Fewest distinct frontier points a curve needs (VCEG-M33 fits four).</summary>
    public const int MinPoints = 4;

    /// <summary>BD-rate of <paramref name="test"/> against <paramref name="anchor"/>; points are (rate, quality), higher quality better.</summary>
    public static BdRateResult Compute(IReadOnlyList<(double Rate, double Quality)> anchor, IReadOnlyList<(double Rate, double Quality)> test)
    {
        ArgumentNullException.ThrowIfNull(anchor);
        ArgumentNullException.ThrowIfNull(test);
        var a = Frontier(anchor);
        var t = Frontier(test);
        if (a.Count < MinPoints) return BdRateResult.Undefined($"anchor curve has {a.Count} frontier point(s), {MinPoints} needed");
        if (t.Count < MinPoints) return BdRateResult.Undefined($"test curve has {t.Count} frontier point(s), {MinPoints} needed");
        var low = Math.Max(a[0].Quality, t[0].Quality);
        var high = Math.Min(a[^1].Quality, t[^1].Quality);
        if (!(high > low))
            return BdRateResult.Undefined(FormattableString.Invariant(
                $"no quality overlap (anchor {a[0].Quality:G4}–{a[^1].Quality:G4}, test {t[0].Quality:G4}–{t[^1].Quality:G4})"));
        var integralA = Integrate(a, low, high);
        var integralT = Integrate(t, low, high);
        var mean = (integralT - integralA) / (high - low);
        return new BdRateResult(Math.Pow(10, mean) - 1, null, low, high);
    }

    /// <summary>Pareto frontier by rate ascending with strictly rising quality (see the class remarks).</summary>
    internal static List<(double Rate, double Quality)> Frontier(IReadOnlyList<(double Rate, double Quality)> points)
    {
        var list = new List<(double Rate, double Quality)>(points.Count);
        foreach (var p in points)
            if (double.IsFinite(p.Rate) && p.Rate > 0 && double.IsFinite(p.Quality)) list.Add(p);
        list.Sort(static (x, y) => x.Rate != y.Rate ? x.Rate.CompareTo(y.Rate) : y.Quality.CompareTo(x.Quality));
        var frontier = new List<(double Rate, double Quality)>(list.Count);
        var best = double.NegativeInfinity;
        foreach (var p in list)
        {
            if (!(p.Quality > best)) continue;
            frontier.Add(p);
            best = p.Quality;
        }
        return frontier;
    }

    /// <summary>∫ PCHIP(log10 rate)(q) dq over [low, high] ⊆ [q₀, q_{n−1}], exactly (cubic per segment).</summary>
    internal static double Integrate(IReadOnlyList<(double Rate, double Quality)> curve, double low, double high)
    {
        var n = curve.Count;
        var x = new double[n];
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            x[i] = curve[i].Quality;
            y[i] = Math.Log10(curve[i].Rate);
        }
        var d = Slopes(x, y);
        var total = 0.0;
        for (var i = 0; i < n - 1; i++)
        {
            var s0 = Math.Max(low, x[i]);
            var s1 = Math.Min(high, x[i + 1]);
            if (!(s1 > s0)) continue;
            var h = x[i + 1] - x[i];
            var delta = (y[i + 1] - y[i]) / h;
            // y(t) = y_i + d_i t + c t² + b t³ on t = q − x_i ∈ [0, h] (Hermite form with end slopes d_i, d_{i+1}).
            var c = (3 * delta - 2 * d[i] - d[i + 1]) / h;
            var b = (d[i] - 2 * delta + d[i + 1]) / (h * h);
            total += Antiderivative(y[i], d[i], c, b, s1 - x[i]) - Antiderivative(y[i], d[i], c, b, s0 - x[i]);
        }
        return total;
    }

    private static double Antiderivative(double y0, double d0, double c, double b, double t) =>
        t * (y0 + t * (d0 / 2 + t * (c / 3 + t * b / 4)));

    /// <summary>PCHIP derivatives (Fritsch–Carlson; MATLAB <c>pchip</c>, SciPy <c>PchipInterpolator</c>).</summary>
    internal static double[] Slopes(double[] x, double[] y)
    {
        var n = x.Length;
        var d = new double[n];
        var h = new double[n - 1];
        var delta = new double[n - 1];
        for (var i = 0; i < n - 1; i++)
        {
            h[i] = x[i + 1] - x[i];
            delta[i] = (y[i + 1] - y[i]) / h[i];
        }
        if (n == 2)
        {
            d[0] = d[1] = delta[0];
            return d;
        }
        for (var i = 1; i < n - 1; i++)
        {
            if (delta[i - 1] * delta[i] <= 0) { d[i] = 0; continue; }
            var w1 = 2 * h[i] + h[i - 1];
            var w2 = h[i] + 2 * h[i - 1];
            d[i] = (w1 + w2) / (w1 / delta[i - 1] + w2 / delta[i]);
        }
        d[0] = EndSlope(h[0], h[1], delta[0], delta[1]);
        d[n - 1] = EndSlope(h[n - 2], h[n - 3], delta[n - 2], delta[n - 3]);
        return d;
    }

    private static double EndSlope(double h0, double h1, double delta0, double delta1)
    {
        var d = ((2 * h0 + h1) * delta0 - h0 * delta1) / (h0 + h1);
        if (Math.Sign(d) != Math.Sign(delta0)) return 0;
        if (Math.Sign(delta0) != Math.Sign(delta1) && Math.Abs(d) > Math.Abs(3 * delta0)) return 3 * delta0;
        return d;
    }
}
