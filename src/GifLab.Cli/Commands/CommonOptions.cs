using System.CommandLine;
using GifLab.Storage;

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

    /// <summary>
    /// For verbs that read only a SQLite file: refuses a <c>--db</c> value that names PostgreSQL (a URI, a connection
    /// string, anything with a password key) with a usage error that does not repeat the value, which may hold a password.
    /// </summary>
    public static string SqliteOnly(string db, string verb)
    {
        if (StoreFactory.IsPostgres(db) || db.Contains("://", StringComparison.Ordinal) || Secrets.Redact(db) != db)
            throw new UsageException(
                $"{verb} reads a SQLite database file, and --db looks like a PostgreSQL URI or connection string (not repeated here: it may contain a password). " +
                "Give the path of a SQLite file (e.g. one written by `giflab run --db FILE`, or workers' shards merged with `giflab merge`).");
        return db;
    }
}
