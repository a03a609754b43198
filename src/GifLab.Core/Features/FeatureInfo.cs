namespace GifLab.Core.Features;

/// <summary>
/// One output field of a feature group: its stored name, schema range (inclusive bounds; integer fields
/// with a "&gt; 0" constraint use <c>Min = 1</c>), whether it is an integer and whether it may be null.
/// </summary>
public sealed record FeatureInfo(string Name, double Min, double Max, bool IsInteger, bool Nullable, string Description)
{
    /// <summary>True when <paramref name="value"/> satisfies this field's schema constraint (NaN never does).</summary>
    public bool Accepts(double? value)
    {
        if (value is not { } v) return Nullable;
        if (double.IsNaN(v) || v < Min || v > Max) return false;
        return !IsInteger || v == Math.Floor(v);
    }
}
