namespace GifLab.Core.Features;

/// <summary>
/// A group of features computed together from one prepared input (they share the frames they read and
/// intermediate planes). Implementations are stateless and thread-safe; scratch memory is per call.
/// </summary>
public interface IFeature
{
    /// <summary>Group name, e.g. <c>spatial</c>.</summary>
    string Name { get; }

    /// <summary>Output fields in schema order.</summary>
    IReadOnlyList<FeatureInfo> Outputs { get; }

    /// <summary>Writes one value per entry of <see cref="Outputs"/>, in the same order, into <paramref name="values"/>.</summary>
    void Compute(scoped in FeatureInput input, Span<double?> values);
}
