namespace GifLab.Core.Metrics;

/// <summary>
/// One registry entry. What every metric reads (the original's RGB and luma planes per background, the frame pairing,
/// caches shared by several metrics) lives in <see cref="PreparedReference"/> and <see cref="MetricContext"/>; what
/// one metric alone keeps about the original (e.g. the SSIMULACRA 2 pyramids) is a private type of that metric, held
/// per background by <c>ReferenceView.State</c>. A metric writes every key of <see cref="MetricInfo.Outputs"/> to the
/// sink (a value, or null with a reason); a per-pair metric computes its pairs through <c>MetricContext.PerPair</c>,
/// which reuses byte-identical pairs' values. Adding a metric: its class, one line in <see cref="MetricRegistry"/>,
/// its row in docs/metrics.md and a new <see cref="MetricSuite.SetVersion"/> row in <see cref="MetricSetVersions"/>.
/// </summary>
public interface IQualityMetric
{
    MetricInfo Info { get; }

    /// <summary>Writes this metric's outputs. Must be thread-safe with respect to the shared
    /// prepared reference (read-only or lazily initialised through thread-safe caches).</summary>
    void Measure(MetricContext context, MetricSink sink);
}
