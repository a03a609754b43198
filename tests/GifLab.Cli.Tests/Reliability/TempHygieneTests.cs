using System.Diagnostics;
using Xunit.Abstractions;

namespace GifLab.Cli.Tests.Reliability;

/// <summary>
/// Temp folders: each run works in its own <c>giflab-run-PID-*</c> folder, removes it at the end, and at start removes
/// the folders of processes that are no longer alive (killed runs) while leaving live ones alone.
/// </summary>
public class TempHygieneTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);
    private static readonly string[] Engine = ["--engines", "animately", "--levels", "0,40", "--colors", "256"];

    private static int DeadPid()
    {
        using var p = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        p.WaitForExit();
        return p.Id; // exited and reaped: no process has this id (until the kernel wraps around)
    }

    [Fact]
    public void StaleFolderOfADeadProcess_IsRemovedAtStart_LiveOnesKept_OwnFolderRemovedAtEnd()
    {
        using var box = new Sandbox().WithAnimatelyStandIn();
        box.CopyGif("engines/animated-red-blue.gif", "in");
        var temp = Directory.CreateDirectory(box.PathOf("temp")).FullName;
        var dead = Directory.CreateDirectory(Path.Combine(temp, $"giflab-run-{DeadPid()}-x")).FullName;
        File.WriteAllText(Path.Combine(dead, "leftover.gif"), "left by a killed run");
        var live = Directory.CreateDirectory(Path.Combine(temp, $"giflab-run-{Environment.ProcessId}-live")).FullName;
        var unrelated = Directory.CreateDirectory(Path.Combine(temp, "giflab-run-notapid")).FullName;

        var (code, stdout, stderr) = box.Run(Limit, ["run", box.PathOf("in"), "--db", box.PathOf("runs.db"), "--temp-dir", temp, .. Engine]);
        output.WriteLine(stdout + stderr);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.False(Directory.Exists(dead), "the dead process's temp folder was not removed");
        Assert.True(Directory.Exists(live), "a live process's temp folder was removed");
        Assert.True(Directory.Exists(unrelated), "a folder not named giflab-run-PID-* was removed");
        Assert.Equal(new[] { live, unrelated }.Order(StringComparer.Ordinal), Directory.GetDirectories(temp).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AfterSigkill_TheNextRunRemovesTheKilledRunsFolder()
    {
        using var box = new Sandbox().WithAnimatelyStandIn();
        box.CopyGif("engines/animated-red-blue.gif", "in");
        var temp = Directory.CreateDirectory(box.PathOf("temp")).FullName;
        var db = box.PathOf("runs.db");
        // Level 98 hangs the stand-in: the run is surely inside a work folder when it is killed.
        using (var p = box.Start(["run", box.PathOf("in"), "--db", db, "--temp-dir", temp, "--engines", "animately", "--levels", "98", "--colors", "256", "--timeout", "60"]))
        {
            _ = p.StandardOutput.ReadToEndAsync();
            _ = p.StandardError.ReadToEndAsync();
            var sw = Stopwatch.StartNew();
            while (sw.Elapsed < Limit && !Directory.EnumerateDirectories(temp, "giflab-run-*").Any(d => Directory.EnumerateDirectories(d).Any()))
                Thread.Sleep(50);
            p.Kill(entireProcessTree: true); // SIGKILL: no cleanup runs
            p.WaitForExit();
        }
        var left = Directory.GetDirectories(temp, "giflab-run-*");
        Assert.Single(left);
        output.WriteLine("left by the killed run: " + left[0]);

        var (code, stdout, stderr) = box.Run(Limit, ["run", box.PathOf("in"), "--db", db, "--temp-dir", temp, .. Engine]);
        output.WriteLine(stdout + stderr);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Empty(Directory.GetDirectories(temp, "giflab-run-*"));
    }

    [Fact]
    public void TempDirOnANearlyFullFileSystem_WarnsBeforeTheRun()
    {
        using var box = new Sandbox().WithAnimatelyStandIn();
        using var fs = TmpfsMount.TryCreate(box.PathOf("tinytmp"), "8m", out var why);
        if (fs is null) { output.WriteLine("SKIPPED: " + why); return; }
        box.CopyGif("engines/animated-red-blue.gif", "in");
        var (code, stdout, stderr) = box.Run(Limit, ["run", box.PathOf("in"), "--db", box.PathOf("runs.db"), "--temp-dir", fs.Path, .. Engine]);
        output.WriteLine(stdout + stderr);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains($"warning: only 8 MiB free for the temp folder {fs.Path}", stderr);
        Assert.Empty(Directory.GetDirectories(fs.Path, "giflab-run-*"));
    }
}
