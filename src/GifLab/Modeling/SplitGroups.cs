using System.Globalization;

namespace GifLab.Modeling;

/// <summary>
/// Which GIFs belong together for the held-out split (e.g. every GIF of one source package): the split is assigned from a
/// hash of the group instead of the GIF's SHA, so no group has GIFs on both sides. GIFs from one package resemble each
/// other (same artist, tool and palette), so a split by GIF lets the model see a held-out GIF's siblings and overstates
/// accuracy on GIFs it has never seen.
/// </summary>
public sealed class SplitGroups
{
    private readonly Dictionary<string, string> _groupBySha;

    private SplitGroups(Dictionary<string, string> groupBySha, string description)
    {
        _groupBySha = groupBySha;
        Description = description;
    }

    /// <summary>How the groups were defined, for reports and model metadata (e.g. <c>package (MANIFEST.tsv, 599 groups)</c>).</summary>
    public string Description { get; }

    public int Count => _groupBySha.Count;

    /// <summary>The group of a GIF, or null when the table does not list it (it is then split by its own SHA).</summary>
    public string? GroupOf(string gifSha) => _groupBySha.GetValueOrDefault(gifSha.ToLowerInvariant());

    /// <summary>The key the split hash is taken of: <c>group:NAME</c> for a listed GIF, else the GIF's SHA.</summary>
    public string SplitKey(string gifSha) => GroupOf(gifSha) is { } g ? "group:" + g : gifSha;

    public static SplitGroups FromPairs(IEnumerable<(string Sha, string Group)> pairs, string description)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (sha, group) in pairs) map[sha.ToLowerInvariant()] = group;
        return new SplitGroups(map, description);
    }

    /// <summary>
    /// Reads a tab-separated table with a header row naming a <c>sha256</c> column and a <c>group</c> or <c>package</c>
    /// column (when there is also an <c>origin</c> column, the group is <c>origin/package</c>, so a Debian and an npm
    /// package of one name stay apart). <c>testdata/train-corpus/MANIFEST.tsv</c> has this form.
    /// </summary>
    /// <exception cref="FormatException">No such columns, or a row with too few fields.</exception>
    public static SplitGroups Load(string path)
    {
        using var reader = new StreamReader(path);
        var header = reader.ReadLine()?.Split('\t') ?? throw new FormatException($"{path}: empty file");
        var sha = Array.IndexOf(header, "sha256");
        var group = Array.IndexOf(header, "group");
        var package = Array.IndexOf(header, "package");
        var origin = Array.IndexOf(header, "origin");
        if (sha < 0 || (group < 0 && package < 0))
            throw new FormatException($"{path}: the header must name a 'sha256' column and a 'group' or 'package' column (tab-separated)");
        var pairs = new List<(string, string)>();
        var line = 1;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0) continue;
            var f = text.Split('\t');
            var need = Math.Max(sha, Math.Max(group, Math.Max(package, origin)));
            if (f.Length <= need) throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"{path}:{line}: {f.Length} fields, expected at least {need + 1}"));
            var name = group >= 0 ? f[group] : origin >= 0 ? $"{f[origin]}/{f[package]}" : f[package];
            pairs.Add((f[sha], name));
        }
        var groups = pairs.Select(p => p.Item2).Distinct(StringComparer.Ordinal).Count();
        return FromPairs(pairs, string.Create(CultureInfo.InvariantCulture,
            $"{(group >= 0 ? "group" : "package")} ({Path.GetFileName(path)}: {pairs.Count} GIFs in {groups} groups)"));
    }
}
