using System.CommandLine;

namespace GifLab.Cli.Commands;

/// <summary>Options shared by several verbs, defined once.</summary>
internal static class CommonOptions
{
    public const string DefaultDb = "data/giflab.db";

    public static Option<string> Db() => new("--db", "-d")
    {
        Description = "Database: a SQLite file path (default data/giflab.db).",
        DefaultValueFactory = _ => DefaultDb,
    };

    public static Option<string> Format(params string[] values)
    {
        var option = new Option<string>("--format")
        {
            Description = $"Output format: {string.Join(" | ", values)}.",
            DefaultValueFactory = _ => values[0],
        };
        option.AcceptOnlyFromAmong(values);
        return option;
    }
}
