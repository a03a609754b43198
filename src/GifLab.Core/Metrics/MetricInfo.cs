namespace GifLab.Core.Metrics;

/// <summary>Which way a score is better.</summary>
public enum ScoreDirection
{
    HigherIsBetter,
    LowerIsBetter,
    /// <summary>A count or descriptive number; neither direction is better.</summary>
    Informational,
}

/// <summary>When a metric runs inside <see cref="MetricSuite.Measure(PreparedReference, Model.FrameSequence, MetricOptions)"/>.</summary>
public enum MetricStage
{
    /// <summary>Computed on one background pass (white, and black for transparent GIFs; worse kept).</summary>
    Pair,
    /// <summary>Computed once after the passes are merged, from other metrics' values.</summary>
    Summary,
}

/// <summary>What one registry entry is and which keys it writes.</summary>
/// <param name="Name">Primary output key (and the name in docs/metrics.md).</param>
/// <param name="Version">Bumped whenever any of its numbers can change.</param>
/// <param name="Outputs">Every key this metric writes, primary key first.</param>
/// <param name="Direction">Direction of the primary key.</param>
/// <param name="RangeMin">Smallest possible primary value (null = unbounded).</param>
/// <param name="RangeMax">Largest possible primary value (null = unbounded).</param>
/// <param name="Temporal">Needs frames in display order (flicker, pumping…), like libvmaf's TEMPORAL flag.</param>
/// <param name="Summary">One line for docs and <c>--help</c>.</param>
/// <param name="Stage">When it runs: on each background pass, or once after them (summary metrics).</param>
public sealed record MetricInfo(
    string Name,
    int Version,
    IReadOnlyList<string> Outputs,
    ScoreDirection Direction,
    double? RangeMin,
    double? RangeMax,
    bool Temporal,
    string Summary,
    MetricStage Stage = MetricStage.Pair)
{
    /// <summary>Keys of a per-frame family: the mean, then <c>_std</c>, <c>_min</c>, <c>_max</c>.</summary>
    public static string[] Family(string name) => [name, name + "_std", name + "_min", name + "_max"];
}
