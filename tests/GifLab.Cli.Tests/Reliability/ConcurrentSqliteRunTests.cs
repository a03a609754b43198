using System.Diagnostics;
using Xunit.Abstractions;

namespace GifLab.Cli.Tests.Reliability;

/// <summary>
/// Two <c>giflab run</c> processes on one SQLite file: the second refuses at once with a clear message (exit 5) instead
/// of executing every run a second time; the lock is gone when the first ends, also when it is SIGKILLed.
/// </summary>
public class ConcurrentSqliteRunTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task SecondRunOnTheSameSqliteFile_Refuses_FirstIsUnaffected_LockFreedAfterwards()
    {
        using var box = new Sandbox().WithAnimatelyStandIn();
        box.CopyGif("engines/animated-red-blue.gif", "in");
        var db = box.PathOf("runs.db");
        var held = await StartHoldingRunAsync(box, db, timeoutSeconds: 8);
        using var first = held.Run;
        var (firstOut, firstErr) = (held.Stdout, held.Stderr);

        var watch = Stopwatch.StartNew();
        var (code, stdout, stderr) = RunAgain(box, db);
        output.WriteLine($"second run: exit {code} after {watch.Elapsed.TotalSeconds:0.0} s\n{stdout}{stderr}");
        Assert.Equal(ExitCodes.StorageUnavailable, code);
        Assert.Contains("another `giflab run`", stderr);
        Assert.Contains("is writing to this SQLite database", stderr);
        Assert.False(first.HasExited, "the first run should still be running when the second was refused");

        Assert.True(first.WaitForExit(Limit));
        output.WriteLine("first run: " + await firstOut + await firstErr);
        Assert.Equal(ExitCodes.ItemFailures, first.ExitCode); // its lossy-98 run timed out, as arranged
        Assert.Contains("1 new", await firstOut);
        Assert.Contains("Runs: 2 executed", await firstOut);
        // The refused run stored nothing: only the first run's two runs (colour 256 and the timed-out level 98).
        Assert.Equal(2, Sandbox.Scalar(db, "SELECT COUNT(*) FROM compression_runs;"));

        // Lock released: the same command now runs (and counts the GIF as already stored, not new).
        (code, stdout, stderr) = RunAgain(box, db);
        output.WriteLine(stdout + stderr);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("0 new", stdout);
    }

    [Fact]
    public async Task LockOfASigkilledRun_DoesNotBlockTheNextRun()
    {
        using var box = new Sandbox().WithAnimatelyStandIn();
        box.CopyGif("engines/animated-red-blue.gif", "in");
        var db = box.PathOf("runs.db");
        using var first = (await StartHoldingRunAsync(box, db, timeoutSeconds: 60)).Run;
        await Task.Delay(500);
        first.Kill(entireProcessTree: true);
        Assert.True(first.WaitForExit(TimeSpan.FromSeconds(30)));
        var (code, stdout, stderr) = RunAgain(box, db);
        output.WriteLine(stdout + stderr);
        Assert.Equal(ExitCodes.Ok, code);
    }

    /// <summary>
    /// Starts the run that holds the database: the stand-in engine hangs at lossy 98 until <c>--timeout</c>. Returns once
    /// its lock file exists, with its output being drained.
    /// </summary>
    private static async Task<(Process Run, Task<string> Stdout, Task<string> Stderr)> StartHoldingRunAsync(Sandbox box, string db, int timeoutSeconds)
    {
        var run = box.Start("run", box.PathOf("in"), "--db", db, "--engines", "animately", "--levels", "98", "--colors", "256",
                            "--timeout", timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var stdout = run.StandardOutput.ReadToEndAsync();
        var stderr = run.StandardError.ReadToEndAsync();
        var watch = Stopwatch.StartNew();
        while (!File.Exists(db + ".run-lock") && watch.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(50);
        Assert.True(File.Exists(db + ".run-lock"), "the first run never took the lock");
        return (run, stdout, stderr);
    }

    /// <summary>The other run on the same database (levels 0 and 40).</summary>
    private static (int ExitCode, string Stdout, string Stderr) RunAgain(Sandbox box, string db) =>
        box.Run(Limit, ["run", box.PathOf("in"), "--db", db, "--engines", "animately", "--levels", "0,40", "--colors", "256"]);
}
