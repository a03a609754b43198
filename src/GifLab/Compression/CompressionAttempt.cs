using GifLab.Core.Metrics;

namespace GifLab.Compression;

/// <summary>
/// One compression tried: the setting, the output's size, whether it passed validation (canvas, frame count, every
/// delay, loop count and palette checked by <see cref="Validation.OutputValidator"/>), and its measured quality.
/// </summary>
/// <param name="Setting">Engine and setting.</param>
/// <param name="OutputBytes">Size of the output; 0 when the engine failed.</param>
/// <param name="Quality">The floor metric's measured value; null when not measured (failed or invalid output) or null in the metrics.</param>
/// <param name="Rejection">Why the output cannot be used (engine failure, failed check); null when it is a valid output.</param>
public sealed record CompressionAttempt(EngineSetting Setting, long OutputBytes, double? Quality, string? Rejection)
{
    /// <summary>Every metric measured on a valid output (the document <c>giflab run</c> stores), else null.</summary>
    public MetricResult? Metrics { get; init; }

    /// <summary>Wall time of this attempt: engine, validation and measurement.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>True when the output is valid (the timing, frame and loop checks passed).</summary>
    public bool IsValid => Rejection is null;
}
