using System.Globalization;
using GifLab.Answers;
using GifLab.Core.Metrics;

namespace GifLab.Compression;

/// <summary>
/// A quality floor: the measured value of a metric of <see cref="MetricRegistry"/> (computed by <see cref="MetricSuite"/>
/// exactly as <c>giflab run</c> stores it) must be at least <see cref="MinQuality"/> — or at most, for a
/// lower-is-better metric such as <c>lpips</c> or <c>gmsd</c>. Metric names and default floors are the leaderboard's
/// (<see cref="QualityMetric"/>): ssimulacra2 70, composite_score 0.90, ssim and ms_ssim 0.95, psnr 35.
/// </summary>
public sealed record QualityFloor
{
    /// <summary>The metric used when none is named (the issue's "SSIMULACRA 2 stays ≥ 70").</summary>
    public const string DefaultMetric = "ssimulacra2";

    private QualityFloor(QualityMetric metric, double minQuality)
    {
        Measure = metric;
        MinQuality = minQuality;
    }

    /// <summary>Metric name, e.g. <c>ssimulacra2</c> (0–100), <c>composite_score</c> (0–1), <c>ssim</c> (0–1).</summary>
    public string Metric => Measure.Name;

    /// <summary>The floor, in the metric's own units (a ceiling for lower-is-better metrics).</summary>
    public double MinQuality { get; }

    /// <summary>True when a higher value is better (the floor is a minimum).</summary>
    public bool HigherIsBetter => Measure.HigherIsBetter;

    private QualityMetric Measure { get; }

    /// <summary>Every metric a floor can be set on (the registry's metrics with a direction).</summary>
    public static IReadOnlyList<string> Metrics => QualityMetric.Names;

    /// <summary>A floor on <paramref name="metric"/> (null: <see cref="DefaultMetric"/>) at <paramref name="minQuality"/>,
    /// else the metric's default floor.</summary>
    /// <exception cref="ArgumentException">Unknown or informational metric (the message names the closest valid one), a
    /// metric without a default floor and no value, or a value that is not finite.</exception>
    public static QualityFloor Create(string? metric, double? minQuality)
    {
        var m = QualityMetric.Resolve(metric ?? DefaultMetric, out var error) ?? throw new ArgumentException(error, nameof(metric));
        var q = minQuality ?? m.DefaultFloor
                ?? throw new ArgumentException($"metric '{m.Name}' has no default floor; give one (--min-quality).", nameof(minQuality));
        if (!double.IsFinite(q)) throw new ArgumentException("the quality floor must be a finite number.", nameof(minQuality));
        return new QualityFloor(m, q);
    }

    /// <summary>The metric's value in a measurement, or null when it could not be computed.</summary>
    public double? ValueIn(MetricResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Values.GetValueOrDefault(Metric);
    }

    /// <summary>True when a measured value meets the floor (a null value never does).</summary>
    public bool IsMet(double? value) => value is { } v && Measure.Oriented(v) >= Measure.Oriented(MinQuality);

    /// <summary>E.g. <c>ssimulacra2 ≥ 70</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Metric} {(HigherIsBetter ? "≥" : "≤")} {MinQuality:0.####}");
}
