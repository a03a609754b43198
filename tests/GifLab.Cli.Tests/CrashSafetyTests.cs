using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace GifLab.Cli.Tests;

/// <summary>
/// Kills <c>giflab run</c> with SIGKILL at random moments, restarts it, and checks the final database equals a clean
/// run's: same run keys with the same stored values, no duplicates, integrity_check ok, and the restart executed only
/// the missing runs. Four trials in five aim the kill inside the clean run's commit window (first → last stored run),
/// the fifth kills after a plain random delay (start-up, schema creation). Trials: GIFLAB_KILL_TRIALS (default 3; scripts/stress-kill.sh runs 25).
/// </summary>
public class CrashSafetyTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("giflab-kill-").FullName;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void KilledAtRandomMoments_ResumesToTheSameDatabaseAsACleanRun()
    {
        if (!File.Exists("/usr/bin/gifsicle") && !File.Exists("/usr/local/bin/gifsicle"))
        {
            output.WriteLine("SKIPPED: gifsicle is not installed (scripts/setup-deps.sh installs it)");
            return;
        }
        var input = Path.Combine(CliRunner.RepoRoot, "samples");
        string[] common = ["--engines", "gifsicle", "--jobs", "2"];
        var cleanDb = Path.Combine(_dir, "clean.db");
        var (code, _, err) = CliRunner.Run(_dir, Timeout, ["run", input, "--db", cleanDb, .. common]);
        Assert.True(code == ExitCodes.Ok, $"clean run exit {code}: {err}");
        var clean = Snapshot(cleanDb);
        Assert.NotEmpty(clean);

        // How long the clean run commits for (first stored run → last): kills are aimed inside that window, since the
        // process start-up (engine probing) is most of a short run's wall time and a fixed random delay mostly hit it.
        var commitWindow = CommitWindow(Path.Combine(_dir, "timing.db"), input, common, clean.Count);
        var trials = int.TryParse(Environment.GetEnvironmentVariable("GIFLAB_KILL_TRIALS"), out var t) ? t : 3;
        var rng = new Random(20261124);
        var killedMidway = 0;
        for (var trial = 0; trial < trials; trial++)
        {
            var db = Path.Combine(_dir, $"trial{trial}.db");
            // Every fifth trial: a plain random delay (also covers kills during start-up and schema creation).
            var early = trial % 5 == 4;
            var killAfter = early ? TimeSpan.FromMilliseconds(rng.Next(100, 1500)) : commitWindow * rng.NextDouble();
            var before = KillAfter(db, input, common, killAfter, afterFirstCommit: !early);
            if (before > 0 && before < clean.Count) killedMidway++;
            var (rc, stdout, stderr) = CliRunner.Run(_dir, Timeout, ["run", input, "--db", db, .. common]);
            Assert.True(rc == ExitCodes.Ok, $"trial {trial}: resume exit {rc}: {stderr}");
            var after = Snapshot(db);
            Assert.Equal(clean.Keys.Order(), after.Keys.Order());
            foreach (var (key, value) in clean) Assert.Equal(value, after[key]);
            Assert.Contains($"{clean.Count - before} executed", stdout); // only the missing runs were executed
            Assert.Equal("ok", IntegrityCheck(db));
            output.WriteLine($"trial {trial}: killed {killAfter.TotalMilliseconds:0} ms after {(early ? "start" : "the first commit")} with {before}/{clean.Count} runs stored; resume executed {clean.Count - before}");
        }
        output.WriteLine($"crash safety: commit window {commitWindow.TotalMilliseconds:0} ms; {trials} trials, {killedMidway} killed mid-run, all resumed to the clean result");
    }

    /// <summary>
    /// Starts a run, SIGKILLs it after the delay (counted from the first committed run when
    /// <paramref name="afterFirstCommit"/>), returns how many runs it had committed.
    /// </summary>
    private int KillAfter(string db, string input, string[] common, TimeSpan delay, bool afterFirstCommit)
    {
        using var p = Start(db, input, common);
        if (afterFirstCommit) WaitForFirstCommit(p, db);
        if (!p.WaitForExit(delay)) p.Kill(entireProcessTree: true); // SIGKILL to the whole tree
        p.WaitForExit();
        return File.Exists(db) ? Snapshot(db).Count : 0;
    }

    private Process Start(string db, string input, string[] common)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = _dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])[CliRunner.CliDll, "run", input, "--db", db, .. common]) psi.ArgumentList.Add(a);
        var p = Process.Start(psi)!;
        _ = p.StandardOutput.ReadToEndAsync();
        _ = p.StandardError.ReadToEndAsync();
        return p;
    }

    /// <summary>Time from the first to the last committed run of a clean run (polled every 5 ms).</summary>
    private TimeSpan CommitWindow(string db, string input, string[] common, int total)
    {
        using var p = Start(db, input, common);
        WaitForFirstCommit(p, db);
        var sw = Stopwatch.StartNew();
        while (CountRuns(db) < total && sw.Elapsed < Timeout) Thread.Sleep(5);
        var window = sw.Elapsed;
        Assert.True(p.WaitForExit(Timeout), "timing run did not finish");
        return window;
    }

    /// <summary>Polls (read-only, 10 ms) until the database holds a run or the process exits.</summary>
    private static void WaitForFirstCommit(Process p, string db)
    {
        var deadline = Stopwatch.StartNew();
        while (!p.HasExited && deadline.Elapsed < Timeout)
        {
            if (CountRuns(db) > 0) return;
            Thread.Sleep(10);
        }
    }

    private static long CountRuns(string db)
    {
        if (!File.Exists(db)) return 0;
        try
        {
            using var conn = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
            conn.Open();
            using var cmd = conn.CreateCommand();
            cmd.CommandText = "SELECT count(*) FROM compression_runs;";
            return (long)cmd.ExecuteScalar()!;
        }
        catch (SqliteException)
        {
            return 0; // not created yet, schema not there yet, or briefly busy
        }
    }

    /// <summary>Run key → stored values that must not depend on timing.</summary>
    internal static Dictionary<string, string> Snapshot(string db)
    {
        var result = new Dictionary<string, string>();
        using var conn = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = """
            SELECT g.sha256, p.identifier, pr.lossy_level, pr.color_count, pr.frame_ratio,
                   r.validation_status, r.output_size_bytes, r.metrics_json
            FROM compression_runs r JOIN gifs g ON g.id = r.gif_id JOIN pipelines p ON p.id = r.pipeline_id
            JOIN param_presets pr ON pr.id = r.param_preset_id;
            """;
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            var key = $"{r.GetString(0)}|{r.GetString(1)}|{r.GetInt64(2)}|{r.GetInt64(3)}|{r.GetDouble(4)}";
            Assert.True(result.TryAdd(key, $"{r.GetString(5)}|{r.GetValue(6)}|{r.GetValue(7)}"), $"duplicate run key {key}");
        }
        return result;
    }

    private static string IntegrityCheck(string db)
    {
        using var conn = new SqliteConnection($"Data Source={db};Pooling=False");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "PRAGMA integrity_check;";
        return (string)cmd.ExecuteScalar()!;
    }
}
