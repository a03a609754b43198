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
        // The first run's engine hangs (stand-in lossy 98) until --timeout: it holds the database for several seconds.
        using var first = box.Start("run", box.PathOf("in"), "--db", db, "--engines", "animately", "--levels", "98", "--colors", "256", "--timeout", "8");
        var firstOut = first.StandardOutput.ReadToEndAsync();
        var firstErr = first.StandardError.ReadToEndAsync();
        var watch = Stopwatch.StartNew();
        while (!File.Exists(db + ".run-lock") && watch.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(50);
        Assert.True(File.Exists(db + ".run-lock"), "the first run never took the lock");

        watch.Restart();
        var (code, stdout, stderr) = box.Run(Limit, ["run", box.PathOf("in"), "--db", db, "--engines", "animately", "--levels", "0,40", "--colors", "256"]);
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
        (code, stdout, stderr) = box.Run(Limit, ["run", box.PathOf("in"), "--db", db, "--engines", "animately", "--levels", "0,40", "--colors", "256"]);
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
        using var first = box.Start("run", box.PathOf("in"), "--db", db, "--engines", "animately", "--levels", "98", "--colors", "256", "--timeout", "60");
        _ = first.StandardOutput.ReadToEndAsync();
        _ = first.StandardError.ReadToEndAsync();
        var watch = Stopwatch.StartNew();
        while (!File.Exists(db + ".run-lock") && watch.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(50);
        await Task.Delay(500);
        first.Kill(entireProcessTree: true);
        Assert.True(first.WaitForExit(TimeSpan.FromSeconds(30)));
        var (code, stdout, stderr) = box.Run(Limit, ["run", box.PathOf("in"), "--db", db, "--engines", "animately", "--levels", "0,40", "--colors", "256"]);
        output.WriteLine(stdout + stderr);
        Assert.Equal(ExitCodes.Ok, code);
    }
}
