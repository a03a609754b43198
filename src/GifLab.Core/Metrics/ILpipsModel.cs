namespace GifLab.Core.Metrics;

/// <summary>
/// A learned perceptual distance network (LPIPS) that <see cref="Lpips"/> feeds with frame pairs.
/// Core keeps no file or runtime dependency: the ONNX implementation lives in <c>src/GifLab</c>
/// (<c>GifLab.Metrics.OnnxLpipsModel</c>) and reaches the metric through <see cref="MetricOptions.LpipsModel"/>.
/// </summary>
/// <remarks>
/// Tensors are float32 NCHW, RGB, values in [−1, 1] (8-bit value v → v / 127.5 − 1), batch item k of
/// <c>original</c> paired with item k of <c>compressed</c>. Implementations must be thread-safe: the
/// runner measures many outputs at once with one shared model.
/// </remarks>
public interface ILpipsModel
{
    /// <summary>Which model this is (file name and SHA-256 prefix); stored as the <c>lpips_model</c> note of every result.</summary>
    string Description { get; }

    /// <summary>Input height the model requires, or null when the height is dynamic.</summary>
    int? InputHeight { get; }

    /// <summary>Input width the model requires, or null when the width is dynamic.</summary>
    int? InputWidth { get; }

    /// <summary>Largest batch one call accepts (1 when the model's batch dimension is fixed at 1).</summary>
    int MaxBatch { get; }

    /// <summary>
    /// Writes one distance per batch item into <paramref name="distances"/> (length ≥ <paramref name="batch"/>).
    /// <paramref name="original"/> and <paramref name="compressed"/> each hold exactly
    /// <c>batch · 3 · height · width</c> floats.
    /// </summary>
    /// <exception cref="LpipsModelException">The model failed to run on these inputs.</exception>
    void Distances(ReadOnlyMemory<float> original, ReadOnlyMemory<float> compressed, int batch, int height, int width,
                   Span<float> distances);
}
