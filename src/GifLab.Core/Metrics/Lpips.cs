namespace GifLab.Core.Metrics;

/// <summary>
/// LPIPS (Zhang et al. 2018, AlexNet v0.1), lower is better, range [0, 1]. GifLab ships no network
/// weights and this build has no ONNX runtime path, so the value is always null with a reason that
/// says why; a value is never faked or replaced by a proxy under the same key (metrics.md §16.9).
/// </summary>
public sealed class Lpips : IQualityMetric
{
    public const string NoModelReason = "no LPIPS model configured (GIFLAB_LPIPS_MODEL)";

    public MetricInfo Info { get; } = new("lpips", 1, ["lpips"], ScoreDirection.LowerIsBetter, 0, 1, false,
        "LPIPS (AlexNet) — null unless a model is available; never approximated.");

    public void Measure(MetricContext context, MetricSink sink) =>
        sink.SetNull("lpips", context.Options.LpipsModelPath is null
            ? NoModelReason
            : $"LPIPS model '{context.Options.LpipsModelPath}' is configured, but this build has no ONNX LPIPS runner");
}
