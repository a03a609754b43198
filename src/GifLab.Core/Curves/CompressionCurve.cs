using GifLab.Core.Model;

namespace GifLab.Core.Curves;

/// <summary>
/// CompressionCurveV1 (reference schema "1.0.0"): output size against lossy level or palette size for one GIF,
/// engine and curve type. The reference's y-values are the KiB fields <c>size_at_lossy_0 … size_at_lossy_100</c>
/// and <c>size_at_colors_256 … size_at_colors_16</c> (<see cref="SizeKiBAt"/>); GifLab adds per-point bytes, ratio and
/// quality (<see cref="Points"/>) and the grid points without a measurement (<see cref="Missing"/>), which are never
/// interpolated. JSON form: <see cref="CompressionCurveJson"/>.
/// </summary>
public sealed record CompressionCurve(
    string GifSha,
    Engine Engine,
    CurveType CurveType,
    IReadOnlyList<CurvePoint> Points,
    IReadOnlyList<MissingPoint> Missing,
    DateTimeOffset CreatedAt,
    bool IsPredicted = false,
    string? ModelVersion = null,
    IReadOnlyList<double>? ConfidenceScores = null)
{
    public const string SchemaVersion = "1.0.0";

    /// <summary>The reference KiB value at a grid point, or null when not measured.</summary>
    public double? SizeKiBAt(int x)
    {
        foreach (var p in Points)
            if (p.X == x) return p.SizeKiB;
        return null;
    }

    /// <summary>True when every point of the type's grid is measured.</summary>
    public bool IsComplete
    {
        get
        {
            foreach (var x in CurveType.Grid())
                if (SizeKiBAt(x) is null) return false;
            return true;
        }
    }

    /// <summary>
    /// The reference validators plus GifLab's: gif_sha 64 hex characters, every size &gt; 0 and finite, confidence
    /// scores within [0, 1], x-values unique, a point's bytes consistent with its KiB. Returns the problems (empty = valid).
    /// </summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!IsSha256Hex(GifSha)) problems.Add($"curve gif_sha '{GifSha}' is not 64 hex characters");
        var seen = new HashSet<int>();
        foreach (var p in Points)
        {
            if (!seen.Add(p.X)) problems.Add($"{CurveType.Name()} curve of {Engine.Name()}: x={p.X} appears twice");
            if (!(p.SizeKiB > 0) || !double.IsFinite(p.SizeKiB))
                problems.Add($"{CurveType.SizeFieldName(p.X)} must be > 0 (got {p.SizeKiB})");
            if (p.SizeBytes is { } b && Math.Abs(b / 1024.0 - p.SizeKiB) > 1e-9 * Math.Max(1, p.SizeKiB))
                problems.Add($"{CurveType.SizeFieldName(p.X)}: size_kib {p.SizeKiB} does not match size_bytes {b}");
        }
        foreach (var m in Missing)
            if (seen.Contains(m.X)) problems.Add($"{CurveType.Name()} curve of {Engine.Name()}: x={m.X} is both measured and missing");
        if (ConfidenceScores is not null)
            foreach (var c in ConfidenceScores)
                if (!(c >= 0 && c <= 1)) problems.Add($"confidence score {c} is outside [0, 1]");
        return problems;
    }

    internal static bool IsSha256Hex(string? s)
    {
        if (s is null || s.Length != 64) return false;
        foreach (var c in s)
            if (!char.IsAsciiHexDigit(c)) return false;
        return true;
    }
}
