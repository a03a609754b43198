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
            // SIGKILL the first worker seen holding claims (its items stay claimed: nobody releases them). Which worker
            // that is depends on start-up order: on a loaded machine a late starter may never claim anything (3 GIFs,
            // 3 workers), so the test must not insist on a particular one.
            var pids = string.Join(", ", workers.Select(w => w.Process.Id));
            long victimPid;
            try
            {
                victimPid = await WaitUntilAsync(cs, schema, $"SELECT COALESCE(MIN(w.pid), 0) FROM {schema}.work_items i JOIN {schema}.workers w ON w.id = i.claimed_by WHERE i.state = 'claimed' AND w.pid IN ({pids})", TimeSpan.FromSeconds(90));
            }
            catch (TimeoutException e)
            {
                foreach (var w in workers) w.Process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{e.Message}; workers: {string.Join(" | ", workers.Select(w => w.Describe()))}");
            }
            var victim = workers.Single(w => w.Process.Id == victimPid);
            var held = await ScalarAsync(cs, $"SELECT COUNT(*) FROM {schema}.work_items i JOIN {schema}.workers w ON w.id = i.claimed_by WHERE i.state = 'claimed' AND w.pid = {victimPid}");
            victim.Process.Kill(entireProcessTree: true);
            // The two survivors do not exit while the dead worker holds claims: they wait for its lease (3 s) to run out,
            // take its items over and finish everything; no finisher is started.
            foreach (var w in workers) Assert.True(w.Process.WaitForExit(TimeSpan.FromMinutes(3)), $"worker did not finish: {w.Describe()}");
            foreach (var w in workers.Where(w => w != victim)) Assert.True(w.Process.ExitCode == ExitCodes.Ok, w.Describe());
            Assert.Equal(0, await ScalarAsync(cs, $"SELECT COUNT(*) FROM {schema}.work_items WHERE state <> 'done'"));
            output.WriteLine($"killed worker held {held} item(s); survivors finished them");

            var actual = await SnapshotAsync(cs, schema);
            Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
            foreach (var (key, value) in expected) Assert.Equal(value, actual[key]);
            output.WriteLine($"3 PostgreSQL workers (one SIGKILLed), no finisher: {actual.Count} runs, equal to the SQLite run, no duplicates");
        }
        finally
        {
            await using var conn = new NpgsqlConnection(cs);
            await conn.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", conn);
            await drop.ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public async Task ClaimsHeldByAnotherWorker_NoWaitExits3_OtherwiseTakenOverAfterTheLease_StatsListsWorkers()
    {
        if (!HasGifsicle) { output.WriteLine("SKIPPED: gifsicle is not installed"); return; }
        if (PostgresTestServer.ConnectionString is not { } cs) { output.WriteLine(PostgresTestServer.SkipReason); return; }
        var schema = PostgresTestServer.NewSchemaName();
        var builder = new NpgsqlConnectionStringBuilder(cs);
        var uri = $"postgres://{builder.Username}@{builder.Host}:{builder.Port}/{builder.Database}?schema={schema}";
        var env = new Dictionary<string, string?> { ["GIFLAB_QUEUE_LEASE"] = "3", ["PGPASSWORD"] = builder.Password ?? "" };
        try
        {
            var (rc, _, err) = CliRunner.Run(_dir, Timeout, env, ["run", Samples, "--db", uri, .. Engines]);
            Assert.True(rc == ExitCodes.Ok, err);
            // A worker that died holding 3 items, its lease far in the future (as if it were alive but slow).
            await ExecAsync(cs, $"""
                INSERT INTO {schema}.workers(id, host, pid, last_seen) VALUES ('ghost:1:dead', 'ghost', 1, now() - interval '10 minutes');
                UPDATE {schema}.work_items SET state = 'claimed', claimed_by = 'ghost:1:dead', lease_until = now() + interval '1 hour', attempts = 1
                WHERE id IN (SELECT id FROM {schema}.work_items ORDER BY id LIMIT 3);
                """);
            var (code, stdout, stderr) = CliRunner.Run(_dir, Timeout, env, ["run", Samples, "--db", uri, "--no-wait", .. Engines]);
            output.WriteLine(stdout + stderr);
            Assert.Equal(ExitCodes.ItemFailures, code);
            Assert.Contains("stopped with 3 item(s) still claimed by other workers", stderr);

            (code, stdout, stderr) = CliRunner.Run(_dir, Timeout, env, ["stats", "--db", uri]);
            output.WriteLine(stdout);
            Assert.Equal(ExitCodes.Ok, code);
            Assert.Contains("Workers", stdout);
            Assert.Matches(@"ghost:1:dead\s+\d+ s\s+3\s+0\s+0\s+dead\?", stdout);

            // Without --no-wait the worker waits (the ghost's lease is an hour away); once the lease runs out it takes the
            // items over. The lease is ended only after the worker said it waits, so machine load cannot reorder them.
            var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = _dir, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in (string[])[CliRunner.CliDll, "run", Samples, "--db", uri, .. Engines]) psi.ArgumentList.Add(a);
            foreach (var (k, v) in env) psi.Environment[k] = v;
            var errText = new System.Text.StringBuilder();
            using var waiter = Process.Start(psi)!;
            waiter.ErrorDataReceived += (_, e) => { lock (errText) errText.AppendLine(e.Data); };
            waiter.BeginErrorReadLine();
            var outTask = waiter.StandardOutput.ReadToEndAsync();
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < TimeSpan.FromMinutes(2) && !waiter.HasExited)
            {
                lock (errText) if (errText.ToString().Contains("waiting for 3 item(s) other workers hold", StringComparison.Ordinal)) break;
                await Task.Delay(100);
            }
            Assert.False(waiter.HasExited, "the worker exited instead of waiting for the claims others hold");
            await Task.Delay(1500);
            Assert.False(waiter.HasExited, "the worker exited while the ghost's lease was still running");
            await ExecAsync(cs, $"UPDATE {schema}.work_items SET lease_until = now() - interval '1 second' WHERE claimed_by = 'ghost:1:dead' AND state = 'claimed'");
            Assert.True(waiter.WaitForExit(TimeSpan.FromMinutes(2)), "the worker did not take the expired claims over");
            waiter.WaitForExit();
            output.WriteLine(await outTask + errText);
            Assert.Equal(ExitCodes.Ok, waiter.ExitCode);
            Assert.Equal(0, await ScalarAsync(cs, $"SELECT COUNT(*) FROM {schema}.work_items WHERE state <> 'done'"));
        }
        finally
        {
            await ExecAsync(cs, $"DROP SCHEMA IF EXISTS {schema} CASCADE");
        }
    }

    private static async Task ExecAsync(string cs, string sql)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(string cs, string sql)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }

    /// <summary>Polls a count until it is positive (the query may fail while the schema does not exist yet).</summary>
    private static async Task<long> WaitUntilAsync(string cs, string schema, string sql, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < limit)
        {
            try { if (await ScalarAsync(cs, sql) is > 0 and var n) return n; }
            catch (PostgresException) { /* schema or tables not created yet */ }
            await Task.Delay(50);
        }
        throw new TimeoutException($"no claims in {schema} after {limit}");
    }

    /// <summary>A started worker and its stderr, kept for failure messages.</summary>
    private sealed class Worker(Process process)
    {
        private readonly System.Text.StringBuilder _err = new();
        public Process Process { get; } = process;
        public void Append(string? line) { if (line is null) return; lock (_err) _err.AppendLine(line); }
        public string Describe()
        {
            var state = Process.HasExited ? $"exit {Process.ExitCode}" : "running";
            lock (_err) return $"pid {Process.Id} {state}: {_err.ToString().Trim()}";
        }
    }

    private Worker Start(string db, Dictionary<string, string> env)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = _dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])[CliRunner.CliDll, "run", Samples, "--db", db, "--jobs", "1", .. Engines]) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env) psi.Environment[k] = v;
        var worker = new Worker(Process.Start(psi)!);
        worker.Process.ErrorDataReceived += (_, e) => worker.Append(e.Data);
        worker.Process.BeginErrorReadLine();
        _ = worker.Process.StandardOutput.ReadToEndAsync();
        return worker;
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
