using System.Globalization;
using GifLab.Core.Model;

namespace GifLab.Cli.Commands;

/// <summary>Parsing of comma-separated grid values (<c>--levels 0,50,100</c>) with clear errors.</summary>
internal static class GridParsing
{
    public static IReadOnlyList<int>? Ints(string? text, string option, int min, int max)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var list = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) || v < min || v > max)
                throw new UsageException($"{option}: '{part}' is not a whole number from {min} to {max}.");
            list.Add(v);
        }
        return list.Distinct().ToList();
    }

    public static IReadOnlyList<double>? Ratios(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var list = new List<double>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || v <= 0 || v > 1)
                throw new UsageException($"--frame-ratios: '{part}' is not a ratio in (0, 1].");
            list.Add(v);
        }
        return list.Distinct().ToList();
    }

    public static IReadOnlyList<Engine>? Engines(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var list = new List<Engine>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!EngineNames.TryParse(part, out var e))
                throw new UsageException($"--engines: unknown engine '{part}'.{Suggest.Hint(part, EngineNames.All.Select(x => x.Name()))} Known: {string.Join(", ", EngineNames.All.Select(x => x.Name()))}.");
            list.Add(e);
        }
        return list.Distinct().ToList();
    }

    public static (int K, int N)? Shard(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var k) && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var n)
            && n >= 1 && k >= 1 && k <= n)
            return (k, n);
        throw new UsageException($"--shard: '{text}' is not K/N with 1 ≤ K ≤ N.");
    }
}
