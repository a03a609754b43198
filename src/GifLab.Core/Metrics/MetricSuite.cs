using GifLab.Core.Model;

namespace GifLab.Core.Metrics;

/// <summary>Options of one measurement.</summary>
/// <param name="Exact">Compute every metric on every frame pair (no SSIMULACRA2 sampling).</param>
/// <param name="Ssimulacra2MaxPairs">Frame pairs SSIMULACRA2 uses when not exact.</param>
public sealed record MetricOptions(bool Exact = false, int Ssimulacra2MaxPairs = 30)
{
    public static MetricOptions Default { get; } = new();
}

/// <summary>
/// Front door of the metric stack: prepare an original once, measure many candidates against it.
/// The runner and <c>giflab measure</c> use only this type.
/// </summary>
public sealed class MetricSuite
{
    /// <summary>Version of the whole metric set; bump when any stored number can change.</summary>
    public const int SetVersion = 0;

    public PreparedReference Prepare(FrameSequence reference) => new(reference);

    public MetricResult Measure(PreparedReference reference, FrameSequence candidate, MetricOptions options)
    {
        var values = new Dictionary<string, double?>();
        var reasons = new Dictionary<string, string>();
        return new MetricResult(values, reasons, SetVersion);
    }
}

/// <summary>An original GIF with everything metrics precompute about it.</summary>
public sealed class PreparedReference
{
    internal PreparedReference(FrameSequence frames) => Frames = frames;

    public FrameSequence Frames { get; }
}

/// <summary>Every metric key with its value; a null value has a reason.</summary>
public sealed record MetricResult(
    IReadOnlyDictionary<string, double?> Values,
    IReadOnlyDictionary<string, string> NullReasons,
    int SetVersion);
