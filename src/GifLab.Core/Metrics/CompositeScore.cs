namespace GifLab.Core.Metrics;

/// <summary>
/// <c>composite_score</c>: weighted quality aggregate with the reference's weights (metrics.md §9.2)
/// over a FIXED set of terms that GifLab always computes, so rows are comparable (the reference
/// dropped and renormalised terms per row; §16.1). Terms and normalisation n(v):
/// ssim 0.15 clamp(v); ms_ssim 0.18 clamp(v); psnr (dB) 0.08 min(v, 50)/50; mse 0.05
/// 1/(1 + log10(max(v, 1))) (1 when v = 0); fsim 0.07; edge_similarity 0.06; gmsd 0.04
/// 1 − min(v, 0.5)/0.5; chist 0.04; sharpness_similarity 0.03; texture_similarity 0.03;
/// temporal_consistency_delta 0.10 1 − clamp(v); ssimulacra2 0.03 clamp((v − 10)/80) (the
/// reference's 0–1 mapping of the raw score); gradient_banding_score 0.05 1 − v (our score is 0–1,
/// fixing the reference's 0–100 scale bug); deltae 0.05 max(0, 1 − v/10). LPIPS (0.04 in the
/// reference) is left out because it is optional; the remaining weights (sum 0.96) are divided by
/// 0.96. If any term is null the composite is null and the reason names the terms.
/// Range [0, 1], higher is better. Weights: the reference's hand-set values, not fitted by us.
/// </summary>
public sealed class CompositeScore : IQualityMetric
{
    /// <summary>(key, weight, normalisation) of every term, in a fixed order.</summary>
    public static readonly IReadOnlyList<(string Key, double Weight, Func<double, double> Normalise)> Terms =
    [
        ("ssim", 0.15, v => Math.Clamp(v, 0, 1)),
        ("ms_ssim", 0.18, v => Math.Clamp(v, 0, 1)),
        ("psnr", 0.08, v => Math.Clamp(Math.Min(v, 50) / 50, 0, 1)),
        ("mse", 0.05, v => v <= 0 ? 1 : 1 / (1 + Math.Log10(Math.Max(v, 1)))),
        ("fsim", 0.07, v => Math.Clamp(v, 0, 1)),
        ("edge_similarity", 0.06, v => Math.Clamp(v, 0, 1)),
        ("gmsd", 0.04, v => 1 - Math.Min(Math.Max(v, 0), 0.5) / 0.5),
        ("chist", 0.04, v => Math.Clamp(v, 0, 1)),
        ("sharpness_similarity", 0.03, v => Math.Clamp(v, 0, 1)),
        ("texture_similarity", 0.03, v => Math.Clamp(v, 0, 1)),
        ("temporal_consistency_delta", 0.10, v => 1 - Math.Clamp(v, 0, 1)),
        ("ssimulacra2", 0.03, v => Math.Clamp((v - 10) / 80, 0, 1)),
        ("gradient_banding_score", 0.05, v => 1 - Math.Clamp(v, 0, 1)),
        ("deltae", 0.05, v => Math.Max(0, 1 - v / 10)),
    ];

    public MetricInfo Info { get; } = new("composite_score", 1, ["composite_score"], ScoreDirection.HigherIsBetter, 0, 1, false,
        "Fixed-set weighted aggregate (reference weights, LPIPS excluded, renormalised by 0.96); null if any term is null.",
        MetricStage.Summary);

    public void Measure(MetricContext context, MetricSink sink)
    {
        double sum = 0, weights = 0;
        var missing = new List<string>();
        foreach (var (key, weight, normalise) in Terms)
        {
            if (sink.Get(key) is not { } v) { missing.Add(key); continue; }
            sum += weight * normalise(v);
            weights += weight;
        }
        if (missing.Count > 0) sink.SetNull("composite_score", "null term(s): " + string.Join(", ", missing));
        else sink.Set("composite_score", Math.Clamp(sum / weights, 0, 1));
    }

    /// <summary>
    /// Efficiency (metrics.md §9.3): sqrt(composite) · sqrt(min(ln(1 + ratio)/ln 21, 1)), ratio =
    /// original file bytes / compressed file bytes (20× saturates). 0 when ratio ≤ 0 or composite &lt; 0,
    /// null when the composite is null. Range [0, 1], higher is better.
    /// </summary>
    public static double? Efficiency(double? composite, double compressionRatio)
    {
        if (composite is not { } c || !double.IsFinite(compressionRatio)) return null;
        if (compressionRatio <= 0 || c < 0) return 0;
        double normalised = Math.Min(Math.Log(1 + compressionRatio) / Math.Log(21), 1);
        return Math.Sqrt(c) * Math.Sqrt(normalised);
    }
}
