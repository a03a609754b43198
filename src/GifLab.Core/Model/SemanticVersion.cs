using System.Globalization;

namespace GifLab.Core.Model;

/// <summary>Comparison of <c>MAJOR.MINOR.PATCH</c> versions (numeric per part; pre-release suffixes sort before the release).</summary>
public static class SemanticVersion
{
    /// <summary>Negative when <paramref name="a"/> is older than <paramref name="b"/>, 0 when equal, positive when newer. Null/invalid sorts oldest.</summary>
    public static int Compare(string? a, string? b)
    {
        var pa = Parse(a);
        var pb = Parse(b);
        if (pa is null || pb is null) return (pa is null ? 0 : 1) - (pb is null ? 0 : 1);
        for (var i = 0; i < 3; i++)
        {
            var c = pa.Value.Parts[i].CompareTo(pb.Value.Parts[i]);
            if (c != 0) return c;
        }
        // 1.0.0-rc1 < 1.0.0
        return (pa.Value.Pre, pb.Value.Pre) switch
        {
            (null, null) => 0,
            (null, _) => 1,
            (_, null) => -1,
            var (x, y) => string.CompareOrdinal(x, y),
        };
    }

    /// <summary>True when <paramref name="stored"/> is older than <paramref name="current"/> (or missing).</summary>
    public static bool IsOlder(string? stored, string current) => Compare(stored, current) < 0;

    private static (int[] Parts, string? Pre)? Parse(string? v)
    {
        if (string.IsNullOrWhiteSpace(v)) return null;
        var s = v.Trim();
        string? pre = null;
        var dash = s.IndexOf('-');
        if (dash >= 0) { pre = s[(dash + 1)..]; s = s[..dash]; }
        var bits = s.Split('.');
        if (bits.Length is < 1 or > 3) return null;
        var parts = new int[3];
        for (var i = 0; i < bits.Length; i++)
            if (!int.TryParse(bits[i], NumberStyles.None, CultureInfo.InvariantCulture, out parts[i])) return null;
        return (parts, pre);
    }
}
