using System.CommandLine;
using GifLab.Storage;

namespace GifLab.Cli.Commands;

/// <summary>
/// Options shared by several verbs, defined once: the same name (and short alias) means the same thing in every command
/// (docs/cli.md; OptionConventionTests walks every command).
/// </summary>
internal static class CommonOptions
{
    public const string DefaultDb = "data/giflab.db";

    public static Option<string> Db()
    {
        var option = new Option<string>("--db", "-d")
        {
            Description = "Database: a SQLite file path, or PostgreSQL as postgres://user@host[:port]/db or Host=…;Database=… (password from PGPASSWORD or ~/.pgpass).",
            DefaultValueFactory = _ => DefaultDb,
        };
        RefuseFolder(option);
        return option;
    }

    /// <summary>A --db that names a folder is a usage error with a clear message (SQLite would say "permission denied").</summary>
    public static void RefuseFolder(Option<string> option) => option.Validators.Add(result =>
    {
        var value = result.GetValueOrDefault<string>();
        if (!string.IsNullOrEmpty(value) && !GifLab.Storage.StoreFactory.IsPostgres(value) && Directory.Exists(value))
            result.AddError($"{option.Name}: '{value}' is a folder; give the database file path (e.g. {Path.Combine(value, "giflab.db")}).");
    });

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

    /// <summary><c>--quiet</c> / <c>-q</c>: no header and no progress on stderr (errors and warnings still appear; results still go to stdout).</summary>
    public static Option<bool> Quiet() => new("--quiet", "-q")
    {
        Description = "No header and no progress on stderr; errors and warnings still appear, results still go to stdout.",
    };

    /// <summary><c>--verbose</c> / <c>-v</c>: more on stderr.</summary>
    public static Option<bool> Verbose() => new("--verbose", "-v")
    {
        Description = "More on stderr: each GIF as it starts, each GIF and run that fails as it happens.",
    };

    /// <summary><c>--engines a,b</c> (alias <c>--engine</c>, <c>-e</c>): only these engines.</summary>
    public static Option<string?> Engines(string what) => new("--engines", "-e", "--engine")
    {
        Description = $"Only these engines, comma-separated (e.g. gifsicle,imagemagick); default: {what}.",
    };

    /// <summary><c>--output PATH</c> (alias <c>--out</c>, <c>-o</c>): where the command writes its result (a file or a folder).</summary>
    public static Option<string> Output(string description, string? defaultValue = null)
    {
        var option = new Option<string>("--output", "-o", "--out") { Description = description };
        if (defaultValue is null) option.Required = true;
        else option.DefaultValueFactory = _ => defaultValue;
        return option;
    }
}
