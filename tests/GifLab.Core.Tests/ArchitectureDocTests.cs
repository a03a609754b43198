using System.Text.RegularExpressions;

namespace GifLab.Core.Tests;

/// <summary>
/// docs/architecture.md names every folder under src/ (and only folders that exist), and its dependency rules hold:
/// each folder's code refers only to GifLab namespaces of its own subtree or of the folders its rule lists.
/// </summary>
public sealed partial class ArchitectureDocTests
{
    private static string Src => Path.Combine(TestGifs.RepoRoot, "src");
    private static string Doc => File.ReadAllText(Path.Combine(TestGifs.RepoRoot, "docs", "architecture.md"));

    /// <summary>Folders under src/ that hold files (bin/ and obj/ build outputs left out), as <c>GifLab.Core/Metrics</c>.</summary>
    private static List<string> SourceFolders() =>
        [.. Directory.EnumerateFiles(Src, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Src, Path.GetDirectoryName(f)!).Replace('\\', '/'))
            .Where(d => d != "." && !d.Split('/').Any(s => s is "bin" or "obj"))
            .SelectMany(Ancestors)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];

    private static IEnumerable<string> Ancestors(string folder)
    {
        var parts = folder.Split('/');
        for (int i = 1; i <= parts.Length; i++) yield return string.Join('/', parts[..i]);
    }

    [Fact]
    public void Doc_NamesEveryFolderUnderSrc()
    {
        var doc = Doc;
        var missing = SourceFolders().Where(f => !doc.Contains($"`{f}/`", StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0,
            "docs/architecture.md does not name these folders (add a row to its folder table, as `Folder/Sub/`, and a " +
            "rule to its dependency block): " + string.Join(", ", missing));
    }

    [Fact]
    public void Doc_NamesOnlyFoldersThatExist()
    {
        var folders = SourceFolders().ToHashSet(StringComparer.Ordinal);
        var stale = FolderMention().Matches(Doc).Select(m => m.Groups[1].Value).Where(f => !folders.Contains(f)).Distinct().ToList();
        Assert.True(stale.Count == 0, "docs/architecture.md names folders that are not under src/: " + string.Join(", ", stale));
    }

    [Fact]
    public void EveryFolder_UsesOnlyWhatItsRuleAllows()
    {
        var folders = SourceFolders();
        var rules = Rules();
        var missingRules = folders.Where(f => !rules.ContainsKey(f)).ToList();
        Assert.True(missingRules.Count == 0, "docs/architecture.md has no dependency rule for: " + string.Join(", ", missingRules));
        var known = folders.ToHashSet(StringComparer.Ordinal);
        var violations = new List<string>();
        foreach (var folder in folders)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Src, folder), "*.cs", SearchOption.TopDirectoryOnly))
            {
                foreach (var used in UsedFolders(File.ReadAllLines(file), known))
                {
                    if (used == folder || used.StartsWith(folder + "/", StringComparison.Ordinal)) continue; // own subtree
                    if (rules[folder].Any(a => used == a || used.StartsWith(a + "/", StringComparison.Ordinal))) continue;
                    violations.Add($"{Path.GetRelativePath(Src, file)} uses {used}/");
                }
            }
        }
        Assert.True(violations.Count == 0,
            "code refers to folders its rule in docs/architecture.md does not allow (change the code, or the rule " +
            "deliberately):\n" + string.Join("\n", violations.Distinct()));
    }

    /// <summary>The dependency block: lines <c>Folder/ → A/, B/</c> (<c>—</c>: nothing outside its own subtree).</summary>
    private static Dictionary<string, string[]> Rules()
    {
        var block = RulesBlock().Match(Doc);
        Assert.True(block.Success, "docs/architecture.md has no ```text block starting with '# dependency rules'");
        var rules = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var raw in block.Groups[1].Value.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var parts = line.Split('→', 2);
            Assert.True(parts.Length == 2, $"dependency rule without '→': {line}");
            var allowed = parts[1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Where(a => a != "—").Select(a => a.TrimEnd('/')).ToArray();
            rules[parts[0].Trim().TrimEnd('/')] = allowed;
        }
        return rules;
    }

    /// <summary>Folders a file's code refers to: every <c>GifLab.X.Y…</c> outside comments, resolved to the longest
    /// existing folder (namespace = folder; <c>GifLab.Runs</c> → <c>GifLab/Runs</c>).</summary>
    private static IEnumerable<string> UsedFolders(string[] lines, HashSet<string> folders)
    {
        foreach (var raw in lines)
        {
            var line = raw.TrimStart();
            if (line.StartsWith("//", StringComparison.Ordinal) || line.StartsWith("namespace ", StringComparison.Ordinal)) continue;
            int comment = line.IndexOf("//", StringComparison.Ordinal);
            if (comment >= 0) line = line[..comment];
            foreach (Match m in QualifiedName().Matches(line))
            {
                var segments = m.Value.Split('.');
                string? best = null;
                for (int n = 1; n <= segments.Length; n++)
                {
                    var candidate = ToFolder(segments[..n]);
                    if (candidate is not null && folders.Contains(candidate)) best = candidate;
                }
                if (best is not null) yield return best;
            }
        }
    }

    /// <summary>Namespace segments to a folder: GifLab.Core.* and GifLab.Cli.* are projects, other GifLab.X are folders of GifLab/.</summary>
    private static string? ToFolder(string[] segments)
    {
        if (segments.Length == 1) return "GifLab";
        if (segments[1] is "Core" or "Cli")
            return string.Join('/', new[] { "GifLab." + segments[1] }.Concat(segments[2..]));
        return string.Join('/', new[] { "GifLab" }.Concat(segments[1..]));
    }

    [GeneratedRegex(@"\bGifLab(?:\.[A-Z][A-Za-z0-9]*)+")]
    private static partial Regex QualifiedName();

    [GeneratedRegex(@"`(GifLab(?:\.Core|\.Cli)?(?:/[A-Za-z0-9]+)*)/`")]
    private static partial Regex FolderMention();

    [GeneratedRegex(@"```text\s*\n# dependency rules[^\n]*\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex RulesBlock();
}
