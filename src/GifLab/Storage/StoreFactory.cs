using System.Text.RegularExpressions;
using GifLab.Storage.Postgres;
using GifLab.Storage.Sqlite;
using Npgsql;

namespace GifLab.Storage;

/// <summary>
/// Picks the store from a <c>--db</c> value: a <c>postgres://user@host[:port]/db[?schema=s&amp;sslmode=m]</c> URI or an
/// Npgsql connection string (<c>Host=…;Database=…</c>) → <see cref="PostgresResultStore"/>; anything else is a SQLite
/// file path → <see cref="SqliteResultStore"/>. A password is taken only from PGPASSWORD, ~/.pgpass (PGPASSFILE) or a
/// connection string, never from a URI (command lines are visible to every user of the machine), and never appears in
/// <see cref="IResultStore.Location"/>.
/// </summary>
public static partial class StoreFactory
{
    [GeneratedRegex(@"^postgres(ql)?://", RegexOptions.IgnoreCase)]
    private static partial Regex UriPrefix();

    [GeneratedRegex(@"(^|;)\s*(host|server|database|db|username|user id|search path)\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex ConnectionStringKey();

    /// <summary>Whether the value names a PostgreSQL database.</summary>
    public static bool IsPostgres(string db) => UriPrefix().IsMatch(db) || ConnectionStringKey().IsMatch(db);

    /// <summary>Creates (does not open or initialise) the store the value names.</summary>
    /// <param name="lockTimeout">SQLite: how long a locked database is retried (default 30 s).</param>
    public static IResultStore Create(string db, bool readOnly = false, TimeSpan? lockTimeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(db);
        if (!IsPostgres(db)) return new SqliteResultStore(db, lockTimeout, readOnly: readOnly);
        var (connectionString, schema) = ToConnectionString(db);
        try
        {
            return new PostgresResultStore(connectionString, schema, readOnly: readOnly);
        }
        catch (ArgumentException e)
        {
            // Npgsql rejects an unknown keyword or a bad value (Port=abc); the message may quote the value.
            throw new StorageUnavailableException(Secrets.Redact(db), $"not a valid PostgreSQL connection string: {Secrets.Redact(e.Message)}", e);
        }
    }

    /// <summary>Converts a URI to an Npgsql connection string (connection strings pass through); schema from <c>?schema=</c>.</summary>
    public static (string ConnectionString, string? Schema) ToConnectionString(string db)
    {
        if (!UriPrefix().IsMatch(db)) return (CheckConnectionString(db), null);
        if (!Uri.TryCreate(db, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            throw new StorageUnavailableException(Secrets.Redact(db), "not a valid postgres:// URI (expected postgres://user@host[:port]/database)");
        var userInfo = Uri.UnescapeDataString(uri.UserInfo);
        if (userInfo.Contains(':'))
            throw new StorageUnavailableException(Secrets.Redact(db),
                "a password in the URI is not accepted (it would be visible in the process list): use PGPASSWORD, ~/.pgpass or a connection string in a file-backed variable");
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length == 0)
            throw new StorageUnavailableException(Secrets.Redact(db), "the URI names no database (postgres://user@host[:port]/database)");
        var csb = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
            Database = database,
        };
        if (userInfo.Length > 0) csb.Username = userInfo;
        string? schema = null;
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]).ToLowerInvariant();
            var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
            switch (key)
            {
                case "schema": schema = value; break;
                case "sslmode": csb.SslMode = ParseSslMode(db, value); break;
                case "application_name": csb.ApplicationName = value; break;
                default:
                    throw new StorageUnavailableException(Secrets.Redact(db), $"unsupported URI parameter '{key}' (supported: schema, sslmode, application_name)");
            }
        }
        return (csb.ConnectionString, schema);
    }

    /// <summary>A key=value connection string that Npgsql accepts and that names a host; else a storage error without the password.</summary>
    private static string CheckConnectionString(string db)
    {
        NpgsqlConnectionStringBuilder csb;
        try { csb = new NpgsqlConnectionStringBuilder(db); }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            throw new StorageUnavailableException(Secrets.Redact(db), $"not a valid PostgreSQL connection string: {Secrets.Redact(e.Message)}", e);
        }
        if (string.IsNullOrWhiteSpace(csb.Host))
            throw new StorageUnavailableException(Secrets.Redact(db), "the connection string names no host (Host=…;Database=…)");
        return db;
    }

    /// <summary>The SSL modes a URI may name (libpq spelling), e.g. <c>verify-full</c>.</summary>
    private static readonly string[] SslModes = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"];

    private static SslMode ParseSslMode(string db, string value)
    {
        // Enum.Parse would also take numbers ("7") and names Npgsql may add later; only the documented names are accepted.
        if (!SslModes.Contains(value.ToLowerInvariant()))
            throw new StorageUnavailableException(Secrets.Redact(db),
                $"unsupported sslmode '{Secrets.Redact(value)}' (one of {string.Join(", ", SslModes)})");
        return Enum.Parse<SslMode>(value.Replace("-", "", StringComparison.Ordinal), ignoreCase: true);
    }
}
