using System.Diagnostics;
using GifLab.Tests.Storage;
using Npgsql;
using Xunit.Abstractions;

namespace GifLab.Cli.Tests;

/// <summary>
/// Past one machine, end to end with the real CLI: several workers on one PostgreSQL database (one SIGKILLed mid-run)
/// and sharded SQLite runs merged, each equal to a single-worker SQLite run.
/// </summary>
public class ScaleOutTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("giflab-scale-").FullName;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);
    private static string Samples => Path.Combine(CliRunner.RepoRoot, "samples");
    private static bool HasGifsicle => File.Exists("/usr/bin/gifsicle") || File.Exists("/usr/local/bin/gifsicle");
    private static readonly string[] Engines = ["--engines", "gifsicle"];

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Dictionary<string, string> Reference()
    {
        var db = Path.Combine(_dir, "reference.db");
        var (rc, _, err) = CliRunner.Run(_dir, Timeout, ["run", Samples, "--db", db, .. Engines]);
        Assert.True(rc == ExitCodes.Ok, err);
        return CrashSafetyTests.Snapshot(db);
    }

    [Fact]
    public void ThreeShards_Merged_EqualOneUnshardedRun()
    {
        if (!HasGifsicle) { output.WriteLine("SKIPPED: gifsicle is not installed"); return; }
        var expected = Reference();
        var shards = new List<string>();
        for (var k = 1; k <= 3; k++)
        {
            var db = Path.Combine(_dir, $"shard{k}.db");
            var (rc, _, err) = CliRunner.Run(_dir, Timeout, ["run", Samples, "--db", db, "--shard", $"{k}/3", .. Engines]);
            Assert.True(rc is ExitCodes.Ok or ExitCodes.InputError, err);
            if (File.Exists(db)) shards.Add(db);
        }
        var merged = Path.Combine(_dir, "merged.db");
        var (mrc, _, merr) = CliRunner.Run(_dir, Timeout, ["merge", "--db", merged, .. shards]);
        Assert.True(mrc == ExitCodes.Ok, merr);
        var actual = CrashSafetyTests.Snapshot(merged);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (key, value) in expected) Assert.Equal(value, actual[key]);
        output.WriteLine($"3 shards ({shards.Count} non-empty) merged: {actual.Count} runs equal the unsharded run");
    }

    [Fact]
    public async Task ThreeWorkersOnPostgres_OneKilled_EqualASingleSqliteRun()
    {
        if (!HasGifsicle) { output.WriteLine("SKIPPED: gifsicle is not installed"); return; }
        if (PostgresTestServer.ConnectionString is not { } cs) { output.WriteLine(PostgresTestServer.SkipReason); return; }
        var expected = Reference();
        var schema = PostgresTestServer.NewSchemaName();
        var builder = new NpgsqlConnectionStringBuilder(cs);
        var uri = $"postgres://{builder.Username}@{builder.Host}:{builder.Port}/{builder.Database}?schema={schema}";
        var env = new Dictionary<string, string> { ["GIFLAB_QUEUE_LEASE"] = "3", ["PGPASSWORD"] = builder.Password ?? "" };
        try
        {
            var workers = Enumerable.Range(0, 3).Select(_ => Start(uri, env)).ToList();
            await Task.Delay(TimeSpan.FromMilliseconds(900));
            if (!workers[0].HasExited) workers[0].Kill(entireProcessTree: true); // SIGKILL one worker mid-run
            foreach (var w in workers) Assert.True(w.WaitForExit(TimeSpan.FromMinutes(3)), "worker did not finish");
            // Claims of the killed worker expire after the lease; a later worker picks them up (as a rerun would).
            await Task.Delay(TimeSpan.FromSeconds(4));
            var last = Start(uri, env);
            Assert.True(last.WaitForExit(TimeSpan.FromMinutes(3)));
            Assert.Equal(ExitCodes.Ok, last.ExitCode);

            var actual = await SnapshotAsync(cs, schema);
            Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
            foreach (var (key, value) in expected) Assert.Equal(value, actual[key]);
            output.WriteLine($"3 PostgreSQL workers (one SIGKILLed) + 1 finisher: {actual.Count} runs, equal to the SQLite run, no duplicates");
        }
        finally
        {
            await using var conn = new NpgsqlConnection(cs);
            await conn.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", conn);
            await drop.ExecuteNonQueryAsync();
        }
    }

    private Process Start(string db, Dictionary<string, string> env)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = _dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])[CliRunner.CliDll, "run", Samples, "--db", db, "--jobs", "1", .. Engines]) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env) psi.Environment[k] = v;
        var p = Process.Start(psi)!;
        _ = p.StandardOutput.ReadToEndAsync();
        _ = p.StandardError.ReadToEndAsync();
        return p;
    }

    private static async Task<Dictionary<string, string>> SnapshotAsync(string cs, string schema)
    {
        var result = new Dictionary<string, string>();
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"""
            SELECT g.sha256, p.identifier, pr.lossy_level, pr.color_count, pr.frame_ratio,
                   r.validation_status, r.output_size_bytes, r.metrics_json
            FROM {schema}.compression_runs r JOIN {schema}.gifs g ON g.id = r.gif_id JOIN {schema}.pipelines p ON p.id = r.pipeline_id
            JOIN {schema}.param_presets pr ON pr.id = r.param_preset_id
            """, conn);
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            var key = $"{r.GetString(0)}|{r.GetString(1)}|{Convert.ToInt64(r.GetValue(2))}|{Convert.ToInt64(r.GetValue(3))}|{Convert.ToDouble(r.GetValue(4))}";
            Assert.True(result.TryAdd(key, $"{r.GetString(5)}|{r.GetValue(6)}|{r.GetValue(7)}"), $"duplicate run key {key}");
        }
        return result;
    }
}
