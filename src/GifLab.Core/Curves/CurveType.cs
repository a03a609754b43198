namespace GifLab.Core.Curves;

/// <summary>The two measured curve types (reference <c>CurveType</c>; note the plural <c>colors</c>).</summary>
public enum CurveType
{
    /// <summary>Output size against lossy level 0, 10, …, 100 at 256 colours, all frames.</summary>
    Lossy,

    /// <summary>Output size against palette size 256, 128, 64, 32, 16 at lossy level 0, all frames.</summary>
    Colors,
}
