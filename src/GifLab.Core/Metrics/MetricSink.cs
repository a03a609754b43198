namespace GifLab.Core.Metrics;

/// <summary>
/// Collects one measurement's values. Every value is finite or null; a null carries a reason.
/// Per-frame series are kept so that later metrics can reuse them (pumping reads per-frame SSIM).
/// </summary>
public sealed class MetricSink
{
    private readonly Dictionary<string, double?> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _reasons = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double?[]> _series = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, double?> Values => _values;
    public IReadOnlyDictionary<string, string> NullReasons => _reasons;

    /// <summary>Writes a value; NaN or infinity becomes null with a reason (never stored).</summary>
    public void Set(string key, double value)
    {
        if (double.IsFinite(value)) { _values[key] = value; _reasons.Remove(key); }
        else SetNull(key, $"non-finite result ({value})");
    }

    public void Set(string key, double? value, string reasonIfNull)
    {
        if (value is { } v) Set(key, v); else SetNull(key, reasonIfNull);
    }

    public void SetNull(string key, string reason)
    {
        _values[key] = null;
        _reasons[key] = reason;
    }

    public double? Get(string key) => _values.TryGetValue(key, out var v) ? v : null;

    public string? ReasonFor(string key) => _reasons.TryGetValue(key, out var r) ? r : null;

    /// <summary>Stores per-frame values (in reference-frame order) under a metric name.</summary>
    public void SetSeries(string name, double?[] perFrame) => _series[name] = perFrame;

    public double?[]? GetSeries(string name) => _series.TryGetValue(name, out var s) ? s : null;

    /// <summary>
    /// Writes a per-frame family: <c>name</c> = mean (or median) of the non-null frames, plus
    /// <c>_std</c> (population), <c>_min</c>, <c>_max</c>. All null with <paramref name="reason"/>
    /// when no frame has a value.
    /// </summary>
    public void SetFamily(string name, ReadOnlySpan<double?> perFrame, string reason, bool median = false)
    {
        int n = 0;
        double sum = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var v in perFrame)
        {
            if (v is not { } x || !double.IsFinite(x)) continue;
            n++; sum += x;
            if (x < min) min = x;
            if (x > max) max = x;
        }
        if (n == 0)
        {
            foreach (var k in MetricInfo.Family(name)) SetNull(k, reason);
            return;
        }
        double mean = sum / n, ss = 0;
        var values = new double[n];
        int j = 0;
        foreach (var v in perFrame)
        {
            if (v is not { } x || !double.IsFinite(x)) continue;
            ss += (x - mean) * (x - mean);
            values[j++] = x;
        }
        double centre = mean;
        if (median)
        {
            Array.Sort(values);
            centre = n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
        }
        Set(name, centre);
        Set(name + "_std", Math.Sqrt(ss / n));
        Set(name + "_min", min);
        Set(name + "_max", max);
    }

    internal void CopyFrom(MetricSink other, IEnumerable<string> keys)
    {
        foreach (var k in keys)
        {
            if (!other._values.TryGetValue(k, out var v)) continue;
            _values[k] = v;
            if (other._reasons.TryGetValue(k, out var r)) _reasons[k] = r; else _reasons.Remove(k);
        }
    }

    internal void CopySeriesFrom(MetricSink other)
    {
        foreach (var (k, v) in other._series) _series[k] = v;
    }
}
