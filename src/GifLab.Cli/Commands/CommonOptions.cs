using System.CommandLine;

namespace GifLab.Cli.Commands;

/// <summary>Options shared by several verbs, defined once.</summary>
internal static class CommonOptions
{
    public const string DefaultDb = "data/giflab.db";

    public static Option<string> Db() => new("--db", "-d")
    {
        Description = "Database: a SQLite file path (default data/giflab.db), or PostgreSQL as postgres://user@host[:port]/db or Host=…;Database=… (password from PGPASSWORD or ~/.pgpass).",
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
