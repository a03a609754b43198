using System.CommandLine;

namespace GifLab.Cli;

/// <summary>"Did you mean" suggestions for misspelt command, option and value names (exit 2 either way).</summary>
internal static class Suggest
{
    /// <summary>
    /// The candidate closest to <paramref name="input"/> (case-insensitive edit distance counting a swap of neighbours
    /// as one edit; a typed prefix of a candidate counts as one edit); null when none is close.
    /// </summary>
    public static string? Closest(string input, IEnumerable<string> candidates)
    {
        var probe = input.ToLowerInvariant();
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var c = candidate.ToLowerInvariant();
            var d = probe.Length > 0 && c.StartsWith(probe, StringComparison.Ordinal) ? Math.Min(1, Distance(c, probe)) : Distance(c, probe);
            if (d < bestDistance) (best, bestDistance) = (candidate, d);
        }
        var trimmed = probe.TrimStart('-');
        return best is not null && bestDistance <= Math.Max(1, Math.Min(3, trimmed.Length / 3)) ? best : null;
    }

    /// <summary>" Did you mean 'x'?" or "".</summary>
    public static string Hint(string input, IEnumerable<string> candidates) =>
        Closest(input, candidates) is { } c ? $" Did you mean '{c}'?" : "";

    /// <summary>One line per unmatched token of a failed parse that is close to a command or option of the command in scope.</summary>
    public static IEnumerable<string> ForUnmatched(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        foreach (var token in parse.UnmatchedTokens)
        {
            var candidates = token.StartsWith('-')
                ? command.Options.Concat(parse.RootCommandResult.Command.Options.Where(o => o.Recursive))
                    .SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith("--", StringComparison.Ordinal))
                : command.Subcommands.Select(c => c.Name);
            if (Closest(token, candidates) is { } c)
                yield return $"'{token}': did you mean '{c}'?";
        }
    }

    /// <summary>Edit distance with adjacent transpositions (optimal string alignment): "ssmi" → "ssim" is 1.</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        for (var j = 1; j <= b.Length; j++)
        {
            var cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
        }
        return d[a.Length, b.Length];
    }
}
