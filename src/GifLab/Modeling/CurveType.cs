using GifLab.Core.Model;

namespace GifLab.Modeling;

/// <summary>The two curves predicted per engine (metadata value <c>curve_type</c>).</summary>
public enum CurveType
{
    /// <summary>Size/quality against the lossy level (colours 256, all frames): positions 0, 10, …, 100.</summary>
    Lossy,
    /// <summary>Size/quality against the palette size (lossy 0, all frames): positions 256, 128, 64, 32, 16.</summary>
    Colors,
}

/// <summary>Names and curve-position conventions of <see cref="CurveType"/>.</summary>
public static class CurveTypes
{
    public static IReadOnlyList<CurveType> All { get; } = [CurveType.Lossy, CurveType.Colors];

    /// <summary>The stored name: <c>lossy</c> or <c>colors</c>.</summary>
    public static string Name(this CurveType curve) => curve switch
    {
        CurveType.Lossy => "lossy",
        CurveType.Colors => "colors",
        _ => throw new ArgumentOutOfRangeException(nameof(curve), curve, null),
    };

    public static bool TryParse(string? name, out CurveType curve)
    {
        switch (name)
        {
            case "lossy": curve = CurveType.Lossy; return true;
            case "colors": curve = CurveType.Colors; return true;
            default: curve = default; return false;
        }
    }

    /// <summary>Name of the position input of shared models (<c>lossy_level</c> / <c>color_count</c>).</summary>
    public static string PositionName(this CurveType curve) => curve == CurveType.Lossy ? "lossy_level" : "color_count";

    /// <summary>
    /// Orders positions in the direction of stronger compression: lossy levels ascending, colour counts descending.
    /// Along this order predicted sizes and qualities are made non-increasing (<see cref="MonotoneCurve"/>).
    /// </summary>
    public static List<int> InCompressionOrder(this CurveType curve, IEnumerable<int> positions)
    {
        var list = positions.Distinct().ToList();
        list.Sort();
        if (curve == CurveType.Colors) list.Reverse();
        return list;
    }

    /// <summary>Share-of-GIFs threshold of spec 001: lossy within 15 %, colours within 20 %.</summary>
    public static double WithinThresholdPercent(this CurveType curve) => curve == CurveType.Lossy ? 15.0 : 20.0;

    /// <summary>The default single-mode positions.</summary>
    public static IReadOnlyList<int> DefaultPositions(this CurveType curve) =>
        curve == CurveType.Lossy ? ParamPreset.DefaultLossyLevels : ParamPreset.DefaultColorCounts;
}
