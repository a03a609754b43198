namespace GifLab.Core.Features;

/// <summary>A GifFeaturesV1 record violates its schema (features.md §9): a value out of range, NaN, a bad hash…</summary>
public sealed class FeatureValidationException : Exception
{
    public FeatureValidationException(string field, string message) : base($"{field}: {message}") => Field = field;

    /// <summary>The offending field name.</summary>
    public string Field { get; }
}
