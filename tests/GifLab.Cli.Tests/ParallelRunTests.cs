using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace GifLab.Cli.Tests;

/// <summary>Parallelism and cancellation do not change results.</summary>
public class ParallelRunTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("giflab-par-").FullName;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);
    private static string Samples => Path.Combine(CliRunner.RepoRoot, "samples");
    private static bool HasGifsicle => File.Exists("/usr/bin/gifsicle") || File.Exists("/usr/local/bin/gifsicle");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void SerialAndParallelRuns_StoreIdenticalRows()
    {
        if (!HasGifsicle) { output.WriteLine("SKIPPED: gifsicle is not installed"); return; }
        var serial = Path.Combine(_dir, "serial.db");
        var parallel = Path.Combine(_dir, "parallel.db");
        var (c1, _, e1) = CliRunner.Run(_dir, Timeout, "run", Samples, "--db", serial, "--engines", "gifsicle", "--jobs", "1");
        var (c2, _, e2) = CliRunner.Run(_dir, Timeout, "run", Samples, "--db", parallel, "--engines", "gifsicle", "--jobs", "4");
        Assert.True(c1 == ExitCodes.Ok, e1);
        Assert.True(c2 == ExitCodes.Ok, e2);
        var a = CrashSafetyTests.Snapshot(serial);
        var b = CrashSafetyTests.Snapshot(parallel);
        Assert.Equal(48, a.Count); // 3 GIFs × (11 lossy + 5 colour) gifsicle runs
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var (key, value) in a) Assert.Equal(value, b[key]); // status, size and every metric value
    }

    [Fact]
    public void TinyMemoryBudget_RunsOneRunAtATime_AndStoresIdenticalRows()
    {
        if (!HasGifsicle) { output.WriteLine("SKIPPED: gifsicle is not installed"); return; }
        var roomy = Path.Combine(_dir, "roomy.db");
        var tight = Path.Combine(_dir, "tight.db");
        var (c1, _, e1) = CliRunner.Run(_dir, Timeout, "run", Samples, "--db", roomy, "--engines", "gifsicle", "--jobs", "3");
        // 1 MiB is below every sample's estimate: each GIF is admitted alone and its runs go one at a time.
        var (c2, _, e2) = CliRunner.Run(_dir, Timeout, new Dictionary<string, string?> { ["GIFLAB_MEMORY_BUDGET_MB"] = "1" },
            "run", Samples, "--db", tight, "--engines", "gifsicle", "--jobs", "3");
        Assert.True(c1 == ExitCodes.Ok, e1);
        Assert.True(c2 == ExitCodes.Ok, e2);
        var a = CrashSafetyTests.Snapshot(roomy);
        var b = CrashSafetyTests.Snapshot(tight);
        Assert.Equal(48, b.Count);
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var (key, value) in a) Assert.Equal(value, b[key]);
    }

    [Fact]
    public async Task CtrlC_MidRun_LeavesAConsistentDatabase_ThatARerunCompletes()
    {
        if (!HasGifsicle) { output.WriteLine("SKIPPED: gifsicle is not installed"); return; }
        var clean = Path.Combine(_dir, "clean.db");
        Assert.Equal(ExitCodes.Ok, CliRunner.Run(_dir, Timeout, "run", Samples, "--db", clean, "--engines", "gifsicle").ExitCode);
        var expected = CrashSafetyTests.Snapshot(clean);

        var db = Path.Combine(_dir, "cancelled.db");
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = _dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])[CliRunner.CliDll, "run", Samples, "--db", db, "--engines", "gifsicle", "--jobs", "1"]) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        // Wait until some runs are committed, then send SIGINT (what Ctrl+C sends).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline && !p.HasExited && Count(db) < 5) await Task.Delay(50);
        if (!p.HasExited)
        {
            using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-INT", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!;
            kill.WaitForExit();
        }
        Assert.True(p.WaitForExit(TimeSpan.FromSeconds(60)), "giflab did not stop after SIGINT");
        var stored = Count(db);
        var errText = await stderr;
        var outText = await stdout;
        output.WriteLine($"exit {p.ExitCode} after SIGINT with {stored}/{expected.Count} runs stored; stderr tail: {errText[^Math.Min(300, errText.Length)..]}");
        Assert.True(p.ExitCode is ExitCodes.Cancelled or ExitCodes.Ok, $"exit {p.ExitCode}: {outText}");
        if (p.ExitCode == ExitCodes.Cancelled) Assert.True(stored < expected.Count);

        var (rc, _, err) = CliRunner.Run(_dir, Timeout, "run", Samples, "--db", db, "--engines", "gifsicle");
        Assert.True(rc == ExitCodes.Ok, err);
        var after = CrashSafetyTests.Snapshot(db);
        Assert.Equal(expected.Keys.Order(), after.Keys.Order());
        foreach (var (key, value) in expected) Assert.Equal(value, after[key]);
    }

    private static int Count(string db)
    {
        if (!File.Exists(db)) return 0;
        try
        {
            using var conn = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
            conn.Open();
            using var cmd = conn.CreateCommand();
            cmd.CommandText = "SELECT COUNT(*) FROM compression_runs;";
            return Convert.ToInt32(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (SqliteException) { return 0; }
    }
}
