namespace GifLab.Modeling;

/// <summary>
/// Monotone post-processing of a predicted curve: the least-squares non-increasing fit (isotonic regression by the
/// pool-adjacent-violators algorithm). Values are given in compression order (lossy level ascending, colour count
/// descending), so the result says "more compression never gives a larger file or a better quality". Unlike a running
/// minimum, PAVA replaces a violating run by its mean, so one high outlier does not pull the whole tail down.
/// </summary>
public static class MonotoneCurve
{
    /// <summary>Replaces <paramref name="values"/> by its non-increasing isotonic fit (equal weights). NaN entries are left
    /// untouched and skipped.</summary>
    public static void MakeNonIncreasing(Span<double> values)
    {
        var n = values.Length;
        if (n < 2) return;
        // Blocks of pooled values: mean, weight, and the indices they cover (finite entries only).
        Span<double> mean = n <= 64 ? stackalloc double[n] : new double[n];
        Span<int> weight = n <= 64 ? stackalloc int[n] : new int[n];
        Span<int> index = n <= 64 ? stackalloc int[n] : new int[n];
        var m = 0;
        for (var i = 0; i < n; i++)
            if (!double.IsNaN(values[i])) index[m++] = i;
        var blocks = 0;
        for (var k = 0; k < m; k++)
        {
            mean[blocks] = values[index[k]];
            weight[blocks] = 1;
            blocks++;
            // Non-increasing: a later block may not exceed an earlier one.
            while (blocks > 1 && mean[blocks - 1] > mean[blocks - 2])
            {
                var w = weight[blocks - 2] + weight[blocks - 1];
                mean[blocks - 2] = (mean[blocks - 2] * weight[blocks - 2] + mean[blocks - 1] * weight[blocks - 1]) / w;
                weight[blocks - 2] = w;
                blocks--;
            }
        }
        var pos = 0;
        for (var b = 0; b < blocks; b++)
            for (var j = 0; j < weight[b]; j++)
                values[index[pos++]] = mean[b];
    }

    /// <summary>True when the finite values never increase.</summary>
    public static bool IsNonIncreasing(ReadOnlySpan<double> values)
    {
        var last = double.PositiveInfinity;
        foreach (var v in values)
        {
            if (double.IsNaN(v)) continue;
            if (v > last) return false;
            last = v;
        }
        return true;
    }
}
