using System.Diagnostics;
using GifLab.Storage.Postgres;
using Npgsql;

namespace GifLab.Tests.Storage;

/// <summary>
/// The PostgreSQL server the PostgreSQL tests use: <c>GIFLAB_PG</c> (a connection string) when set; otherwise
/// <c>scripts/pg-test-server.sh</c> is run once to start a local server on 127.0.0.1 and print its connection string.
/// When GIFLAB_PG is unset and no server can be started, <see cref="SkipReason"/> says why and the tests return early after writing it to their output.
/// Every test gets its own schema (<see cref="NewSchemaAsync"/>), dropped afterwards, so tests are independent.
/// </summary>
public static class PostgresTestServer
{
    private static readonly Lazy<(string? ConnectionString, string? SkipReason)> Server = new(Find, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string? ConnectionString => Server.Value.ConnectionString;

    public static string? SkipReason => Server.Value.SkipReason;

    private static (string?, string?) Find()
    {
        var env = Environment.GetEnvironmentVariable("GIFLAB_PG");
        // An explicit server is never skipped: if it is unusable, the tests fail and say why.
        if (!string.IsNullOrWhiteSpace(env)) return (env, null);

        var script = FindScript();
        if (script is null) return (null, "PostgreSQL tests skipped: GIFLAB_PG is unset and scripts/pg-test-server.sh was not found.");
        try
        {
            var psi = new ProcessStartInfo("bash", [script]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(TimeSpan.FromSeconds(90)))
            {
                p.Kill(entireProcessTree: true);
                return (null, "PostgreSQL tests skipped: GIFLAB_PG is unset and scripts/pg-test-server.sh timed out.");
            }
            var cs = stdout.Result.Trim();
            if (p.ExitCode != 0 || cs.Length == 0)
                return (null, $"PostgreSQL tests skipped: GIFLAB_PG is unset and no local server could be started: {stderr.Result.Trim()}");
            return Probe(cs) is { } error ? (null, $"PostgreSQL tests skipped: started server is unusable: {error}") : (cs, null);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return (null, $"PostgreSQL tests skipped: GIFLAB_PG is unset and bash could not run the start script: {e.Message}");
        }
    }

    private static string? Probe(string cs)
    {
        try
        {
            using var conn = new NpgsqlConnection(cs);
            conn.Open();
            return null;
        }
        catch (Exception e) when (e is NpgsqlException or ArgumentException or TimeoutException)
        {
            return e.Message;
        }
    }

    private static string? FindScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "scripts", "pg-test-server.sh");
            if (File.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "GifLab.slnx"))) return candidate;
        }
        return null;
    }

    /// <summary>A fresh schema name for one test.</summary>
    public static string NewSchemaName() => "t_" + Guid.NewGuid().ToString("N")[..16];

    /// <summary>Opens a store on a fresh schema of the test server (null when unavailable).</summary>
    public static async Task<PostgresResultStore?> NewStoreAsync(string schema, TimeSpan? retryLimit = null)
    {
        if (ConnectionString is null) return null;
        var store = new PostgresResultStore(ConnectionString, schema, retryLimit);
        await store.InitializeAsync(default);
        return store;
    }

    public static async Task DropSchemaAsync(string schema)
    {
        if (ConnectionString is null) return;
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE;", conn); // generated name
        await cmd.ExecuteNonQueryAsync();
    }
}
