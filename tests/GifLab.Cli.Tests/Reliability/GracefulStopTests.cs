using System.Diagnostics;
using System.Runtime.InteropServices;
using Xunit.Abstractions;

namespace GifLab.Cli.Tests.Reliability;

/// <summary>
/// SIGTERM (as Ctrl+C / a scheduler stopping the job) while an engine hangs: the run stops promptly with exit 130,
/// kills the engine's process tree, keeps every committed run, records no failure for the cancelled run (a rerun does it)
/// and removes its temp folder.
/// </summary>
public partial class GracefulStopTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Sigterm_WhileAnEngineHangs_Exits130_KillsTheTool_KeepsCommittedRuns()
    {
        using var box = new Sandbox().WithAnimatelyStandIn();
        var pids = Directory.CreateDirectory(box.PathOf("pids")).FullName;
        box.Env["GIFLAB_FAKE_PID_DIR"] = pids;
        box.CopyGif("engines/animated-red-blue.gif", "in");
        var temp = Directory.CreateDirectory(box.PathOf("temp")).FullName;
        var db = box.PathOf("runs.db");
        // 0 and 40 finish at once; 93 hangs (with a child) until --timeout 90, far beyond the test's patience.
        using var p = box.Start("run", box.PathOf("in"), "--db", db, "--temp-dir", temp, "--engines", "animately",
            "--levels", "0,40,93", "--colors", "256", "--timeout", "90", "--jobs", "2");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(30) && !p.HasExited && (Directory.GetFiles(pids).Length == 0 || CommittedRuns(db) < 2)) Thread.Sleep(50);
        output.WriteLine($"after {sw.Elapsed.TotalSeconds:0.0} s: {Directory.GetFiles(pids).Length} child pid files, {CommittedRuns(db)} runs committed");
        if (p.HasExited) Assert.Fail("the run ended before the signal: " + await stderr);
        var committed = CrashSafetyTests.Snapshot(db);

        Assert.Equal(0, Kill(p.Id, 15)); // SIGTERM
        var stopped = Stopwatch.StartNew();
        Assert.True(p.WaitForExit(TimeSpan.FromSeconds(30)), "giflab did not stop within 30 s of SIGTERM");
        p.WaitForExit();
        var (o, e) = (await stdout, await stderr);
        output.WriteLine($"stopped {stopped.Elapsed.TotalSeconds:0.0} s after SIGTERM, exit {p.ExitCode}\n{o}{e}");
        Assert.Equal(ExitCodes.Cancelled, p.ExitCode);

        Thread.Sleep(500);
        foreach (var c in Directory.GetFiles(pids, "child-*"))
        {
            var pid = int.Parse(Path.GetFileName(c)["child-".Length..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.False(Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2].Equals("Z", StringComparison.Ordinal),
                $"the hanging tool's child {pid} survived SIGTERM of giflab");
        }
        Assert.Empty(Directory.GetDirectories(temp, "giflab-run-*"));
        Assert.Equal("ok", Sandbox.IntegrityCheck(db));
        var after = CrashSafetyTests.Snapshot(db);
        foreach (var (key, value) in committed) Assert.Equal(value, after[key]);
        Assert.Equal(0, Sandbox.Scalar(db, "SELECT count(*) FROM failures WHERE error_type = 'tool:timeout';")); // cancelled, not a timeout
    }

    private static long CommittedRuns(string db)
    {
        if (!File.Exists(db)) return 0;
        try { return Sandbox.Scalar(db, "SELECT count(*) FROM compression_runs;"); }
        catch (Microsoft.Data.Sqlite.SqliteException) { return 0; }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
