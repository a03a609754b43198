using System.CommandLine;
using System.CommandLine.Help;

namespace GifLab.Cli.Tests;

/// <summary>
/// The option convention of docs/cli.md, checked on every command's options: one name means one thing (one row of the
/// table, one value type), a short alias or other alias belongs to one long name everywhere, <c>--db</c> is on every
/// command that reads a database, defaults are stated once, and the table lists exactly the options the code has.
/// </summary>
public class OptionConventionTests
{
    /// <summary>Commands that read or write no database. Every other command must take <c>--db</c>; a new command is classified here or gets --db.</summary>
    private static readonly HashSet<string> WithoutDatabase = ["engines", "features", "measure", "predict", "compress"];

    private static IEnumerable<(Command Command, Option Option)> AllOptions() =>
        from command in Program.BuildRoot().Subcommands
        from option in command.Options
        where option is not HelpOption and not VersionOption
        select (command, option);

    private static string DocsPath => Path.Combine(CliRunner.RepoRoot, "docs", "cli.md");

    /// <summary>The rows of the option table in docs/cli.md: option → (short, other aliases, commands).</summary>
    private static Dictionary<string, (string Short, string Aliases, string Commands)> DocsTable()
    {
        var rows = new Dictionary<string, (string, string, string)>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(DocsPath))
        {
            if (!line.StartsWith("| `--", StringComparison.Ordinal)) continue;
            var cells = line.Trim('|').Split('|').Select(c => c.Trim().Replace("`", "", StringComparison.Ordinal)).ToArray();
            rows[cells[0]] = (cells[1], cells[2], cells[4]);
        }
        return rows;
    }

    /// <summary>What the docs table's first, second, third and last columns must say, from the command tree.</summary>
    private static Dictionary<string, (string Short, string Aliases, string Commands)> Expected() =>
        AllOptions().GroupBy(x => x.Option.Name).ToDictionary(g => g.Key, g =>
        {
            var aliases = g.SelectMany(x => x.Option.Aliases).Distinct().Order(StringComparer.Ordinal).ToList();
            return (string.Join(", ", aliases.Where(a => !a.StartsWith("--", StringComparison.Ordinal))),
                    string.Join(", ", aliases.Where(a => a.StartsWith("--", StringComparison.Ordinal))),
                    string.Join(", ", g.Select(x => x.Command.Name).Distinct().Order(StringComparer.Ordinal)));
        }, StringComparer.Ordinal);

    [Fact]
    public void EveryAlias_BelongsToOneLongName_AcrossAllCommands()
    {
        var owners = AllOptions()
            .SelectMany(x => x.Option.Aliases.Select(a => (Alias: a, x.Option.Name, x.Command.Name)))
            .GroupBy(x => x.Alias)
            .Where(g => g.Select(x => x.Item2).Distinct().Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(x => $"{x.Item3} {x.Item2}"))}")
            .ToList();
        Assert.True(owners.Count == 0, "aliases reused with another meaning:\n" + string.Join("\n", owners));
        // A long name is never another option's alias.
        var names = AllOptions().Select(x => x.Option.Name).ToHashSet();
        var clashes = AllOptions().SelectMany(x => x.Option.Aliases.Where(names.Contains).Select(a => $"{x.Command.Name} {x.Option.Name} has alias {a}")).ToList();
        Assert.Empty(clashes);
    }

    [Fact]
    public void SameName_SameValueType_Everywhere()
    {
        var mixed = AllOptions().GroupBy(x => x.Option.Name)
            .Where(g => g.Select(x => Nullable.GetUnderlyingType(x.Option.ValueType) ?? x.Option.ValueType).Distinct().Count() > 1)
            .Select(g => g.Key).ToList();
        Assert.Empty(mixed);
    }

    [Fact]
    public void EveryCommandThatReadsADatabase_TakesDb()
    {
        foreach (var command in Program.BuildRoot().Subcommands)
        {
            var hasDb = command.Options.Any(o => o.Name == "--db");
            if (WithoutDatabase.Contains(command.Name)) Assert.False(hasDb, $"{command.Name} is listed as reading no database but has --db");
            else Assert.True(hasDb, $"{command.Name} has no --db: every command that reads a database takes --db (or list it in WithoutDatabase)");
        }
    }

    [Fact]
    public void DocsTable_ListsExactlyTheOptions_WithTheirAliasesAndCommands()
    {
        var expected = Expected();
        var docs = DocsTable();
        var problems = new List<string>();
        foreach (var (name, row) in expected)
        {
            if (!docs.TryGetValue(name, out var d)) problems.Add($"missing row: | `{name}` | {row.Short} | {row.Aliases} | … | {row.Commands} |");
            else if (d != row) problems.Add($"row {name}: docs say ({d.Short} | {d.Aliases} | {d.Commands}), code has ({row.Short} | {row.Aliases} | {row.Commands})");
        }
        foreach (var name in docs.Keys.Except(expected.Keys)) problems.Add($"docs/cli.md lists {name}, which no command has");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Defaults_AreStatedOnce_ByTheHelpNotTheDescription()
    {
        var twice = AllOptions()
            .Where(x => x.Option.HasDefaultValue && (x.Option.Description ?? "").Contains("default", StringComparison.OrdinalIgnoreCase))
            .Select(x => $"{x.Command.Name} {x.Option.Name}: {x.Option.Description}").Distinct().ToList();
        Assert.True(twice.Count == 0, "defaults stated in the description and by [default: …]:\n" + string.Join("\n", twice));
    }

    [Fact]
    public void CommandDescriptions_HoldNoExitCodeList()
    {
        foreach (var command in Program.BuildRoot().Subcommands)
            Assert.DoesNotContain("Exit codes:", command.Description ?? "");
        Assert.Contains("Exit codes:", Program.BuildRoot().Description);   // the list lives in the root help (and README)
    }

    [Fact]
    public void ShortAliases_ForTheMostUsedOptions_AreTheDocumentedOnes()
    {
        var shorts = AllOptions().SelectMany(x => x.Option.Aliases.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).Select(a => (a, x.Option.Name)))
            .Distinct().ToDictionary(x => x.a, x => x.Name);
        Assert.Equal("--mode", shorts["-m"]);
        Assert.Equal("--output", shorts["-o"]);
        Assert.Equal("--engines", shorts["-e"]);
        Assert.Equal("--db", shorts["-d"]);
        Assert.Equal("--quiet", shorts["-q"]);
        Assert.Equal("--verbose", shorts["-v"]);
    }
}
