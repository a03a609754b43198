using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace GifLab.Cli.Tests;

/// <summary>
/// Kills <c>giflab run</c> with SIGKILL at random moments, restarts it, and checks the final database equals a clean
/// run's: same run keys with the same stored values, no duplicates, integrity_check ok, and the restart executed only
/// the missing runs. Trials: GIFLAB_KILL_TRIALS (default 3; scripts/stress-kill.sh runs 25).
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

        var trials = int.TryParse(Environment.GetEnvironmentVariable("GIFLAB_KILL_TRIALS"), out var t) ? t : 3;
        var rng = new Random(20261124);
        var killedMidway = 0;
        for (var trial = 0; trial < trials; trial++)
        {
            var db = Path.Combine(_dir, $"trial{trial}.db");
            var killAfter = TimeSpan.FromMilliseconds(rng.Next(300, 2500));
            var before = KillAfter(db, input, common, killAfter);
            if (before > 0 && before < clean.Count) killedMidway++;
            var (rc, stdout, stderr) = CliRunner.Run(_dir, Timeout, ["run", input, "--db", db, .. common]);
            Assert.True(rc == ExitCodes.Ok, $"trial {trial}: resume exit {rc}: {stderr}");
            var after = Snapshot(db);
            Assert.Equal(clean.Keys.Order(), after.Keys.Order());
            foreach (var (key, value) in clean) Assert.Equal(value, after[key]);
            Assert.Contains($"{clean.Count - before} executed", stdout); // only the missing runs were executed
            Assert.Equal("ok", IntegrityCheck(db));
            output.WriteLine($"trial {trial}: killed after {killAfter.TotalMilliseconds:0} ms with {before}/{clean.Count} runs stored; resume executed {clean.Count - before}");
        }
        output.WriteLine($"crash safety: {trials} trials, {killedMidway} killed mid-run, all resumed to the clean result");
    }

    /// <summary>Starts a run, SIGKILLs it after the delay, returns how many runs it had committed.</summary>
    private int KillAfter(string db, string input, string[] common, TimeSpan delay)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = _dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])[CliRunner.CliDll, "run", input, "--db", db, .. common]) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        _ = p.StandardOutput.ReadToEndAsync();
        _ = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(delay)) p.Kill(entireProcessTree: true); // SIGKILL to the whole tree
        p.WaitForExit();
        return File.Exists(db) ? Snapshot(db).Count : 0;
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
