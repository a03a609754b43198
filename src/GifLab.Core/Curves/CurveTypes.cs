namespace GifLab.Core.Curves;

/// <summary>Stored names of <see cref="CurveType"/> and the x-grid of each type.</summary>
public static class CurveTypes
{
    /// <summary>Both curve types in stored order.</summary>
    public static IReadOnlyList<CurveType> All { get; } = [CurveType.Lossy, CurveType.Colors];

    /// <summary>The x-values of the reference's <c>size_at_lossy_*</c> fields.</summary>
    public static IReadOnlyList<int> LossyLevels { get; } = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100];

    /// <summary>The x-values of the reference's <c>size_at_colors_*</c> fields, in the reference's order.</summary>
    public static IReadOnlyList<int> ColorCounts { get; } = [256, 128, 64, 32, 16];

    public static string Name(this CurveType type) => type switch
    {
        CurveType.Lossy => "lossy",
        CurveType.Colors => "colors",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static bool TryParse(string? name, out CurveType type)
    {
        switch (name)
        {
            case "lossy": type = CurveType.Lossy; return true;
            case "colors": type = CurveType.Colors; return true;
            default: type = default; return false;
        }
    }

    /// <summary>Reference point order: lossy 0 → 100, colours 256 → 16.</summary>
    public static int SortKey(this CurveType type, int x) => type == CurveType.Lossy ? x : -x;

    /// <summary>The fixed x-grid of a curve type.</summary>
    public static IReadOnlyList<int> Grid(this CurveType type) => type == CurveType.Lossy ? LossyLevels : ColorCounts;

    /// <summary>The reference's KiB field name for a grid point, e.g. <c>size_at_lossy_40</c> or <c>size_at_colors_64</c>.</summary>
    public static string SizeFieldName(this CurveType type, int x) =>
        type == CurveType.Lossy ? $"size_at_lossy_{x}" : $"size_at_colors_{x}";
}
