using GifLab.Core.Curves;
using GifLab.Core.Model;

namespace GifLab.Modeling;

/// <summary>Modelling conventions of <see cref="CurveType"/> (the enum and its stored names live in Core.Curves).</summary>
public static class CurveTypeModeling
{
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
