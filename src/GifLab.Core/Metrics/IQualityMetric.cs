namespace GifLab.Core.Metrics;

/// <summary>
/// One registry entry. Reference preparation (luma planes, XYB pyramids) is shared by all
/// metrics and lives in <see cref="PreparedReference"/>; a metric reads it through the
/// <see cref="MetricContext"/> and writes every key of <see cref="MetricInfo.Outputs"/> to the sink
/// (a value, or null with a reason).
/// </summary>
public interface IQualityMetric
{
    MetricInfo Info { get; }

    /// <summary>Writes this metric's outputs. Must be thread-safe with respect to the shared
    /// prepared reference (read-only or lazily initialised through thread-safe caches).</summary>
    void Measure(MetricContext context, MetricSink sink);
}
