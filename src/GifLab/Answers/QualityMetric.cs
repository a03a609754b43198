using GifLab.Core.Metrics;

namespace GifLab.Answers;

/// <summary>
/// The metric the answers rank by: a primary key of <see cref="MetricRegistry"/> with a direction (informational keys
/// are refused), and its documented default floor when it has one.
/// </summary>
/// <param name="Name">The metric key in <c>metrics_json</c>.</param>
/// <param name="HigherIsBetter">Direction of the key.</param>
/// <param name="DefaultFloor">The floor used when none is given; null when the metric has none (then --floor is required).</param>
public sealed record QualityMetric(string Name, bool HigherIsBetter, double? DefaultFloor)
{
    /// <summary>The default metric: the composite of the reference (metrics.md §9.2), higher is better, 0–1.</summary>
    public const string DefaultName = "composite_score";

    /// <summary>
    /// Default floors. composite_score 0.90: on the samples every engine's lossy curve crosses it between its mildest
    /// and its strongest setting, so it separates engines instead of testing only the extremes. ssim and ms_ssim 0.95
    /// (the threshold the issue's user asked about); ssimulacra2 70 ("high quality" in the SSIMULACRA 2 README's
    /// scale: 90 visually lossless, 70 high, 50 medium); psnr 35 dB; lower-is-better distances have no floor by default.
    /// </summary>
    public static IReadOnlyDictionary<string, double> DefaultFloors { get; } = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["composite_score"] = 0.90,
        ["ssim"] = 0.95,
        ["ms_ssim"] = 0.95,
        ["ssimulacra2"] = 70,
        ["psnr"] = 35,
    };

    /// <summary>Every metric that can be ranked by (primary keys with a direction), in registry order.</summary>
    public static IReadOnlyList<string> Names { get; } =
        MetricRegistry.All.Where(m => m.Info.Direction != ScoreDirection.Informational).Select(m => m.Info.Name).ToList();

    /// <summary>Resolves a name; null with a message naming the closest valid one when it is not a rankable metric.</summary>
    public static QualityMetric? Resolve(string name, out string? error)
    {
        var metric = MetricRegistry.Find(name);
        if (metric is null || metric.Info.Direction == ScoreDirection.Informational)
        {
            var closest = Names.OrderBy(n => Distance(n, name)).First();
            error = metric is null
                ? $"unknown metric '{name}'; did you mean '{closest}'? Valid: {string.Join(", ", Names)}."
                : $"metric '{name}' is informational (no better direction); choose one of: {string.Join(", ", Names)}.";
            return null;
        }
        error = null;
        return new QualityMetric(metric.Info.Name, metric.Info.Direction == ScoreDirection.HigherIsBetter,
            DefaultFloors.TryGetValue(metric.Info.Name, out var f) ? f : null);
    }

    /// <summary>The value turned so that higher is better (the answers compute with it; shown values use the original).</summary>
    public double Oriented(double value) => HigherIsBetter ? value : -value;

    /// <summary>Levenshtein distance (for the suggestion).</summary>
    internal static int Distance(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) prev[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (var j = 1; j <= b.Length; j++)
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}
