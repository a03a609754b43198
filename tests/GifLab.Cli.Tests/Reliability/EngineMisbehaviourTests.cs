using Xunit.Abstractions;

namespace GifLab.Cli.Tests.Reliability;

/// <summary>
/// A real <c>giflab run</c> against the animately stand-in (FakeTool linked as "animately"), whose lossy level picks
/// how it misbehaves: 93 hangs with a child process, 94 writes an output 12× the input, 95 a truncated GIF, 96 exits 1
/// with a message, 97 garbage, 99 nothing; 40 behaves. Every misbehaviour must end as a stored row with a typed reason,
/// the hang killed at --timeout with its whole process tree; deterministic failures are not retried on a rerun,
/// the timeout is, and <c>--retry-failed</c> retries everything.
/// </summary>
public class EngineMisbehaviourTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    [Fact]
    public void MisbehavingEngine_EveryRunRecordedWithTypedReason_HangKilledWithItsTree_PermanentFailuresRemembered()
    {
        using var box = new Sandbox().WithAnimatelyStandIn();
        var pids = Directory.CreateDirectory(box.PathOf("pids")).FullName;
        box.Env["GIFLAB_FAKE_PID_DIR"] = pids;
        var gif = box.CopyGif("engines/animated-red-blue.gif", "in");
        var inputSize = new FileInfo(gif).Length;
        var db = box.PathOf("runs.db");
        string[] args = ["run", box.PathOf("in"), "--db", db, "--engines", "animately", "--levels", "40,93,94,95,96,97,99",
                         "--colors", "256", "--timeout", "2", "--jobs", "2"];

        var started = DateTime.UtcNow;
        var (code, stdout, stderr) = box.Run(Limit, args);
        output.WriteLine(stdout + stderr);
        Assert.Equal(ExitCodes.ItemFailures, code);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(60), "the hanging tool was not stopped at --timeout");
        var runs = Sandbox.AnimatelyRuns(db);

        Assert.Equal("valid", runs[40].Status);
        Assert.Null(runs[40].ErrorType);

        // Hang: killed at --timeout, transient (retried), command line kept; its child process is gone too.
        Assert.Equal(("error", "tool:timeout", false), (runs[93].Status, runs[93].ErrorType, runs[93].Permanent));
        Assert.Contains("--lossy 93", runs[93].CommandLine);
        var children = Directory.GetFiles(pids, "child-*");
        Assert.NotEmpty(children);
        foreach (var c in children)
        {
            var pid = int.Parse(Path.GetFileName(c)["child-".Length..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.False(Directory.Exists($"/proc/{pid}") && !IsZombie(pid), $"child {pid} of the hanging tool still runs");
        }

        // Huge output (the GIF followed by 11× its size of zeros): stored with its size, rejected for the data after the
        // trailer (issue #19 item 6: it used to be stored as valid), nothing crashed.
        Assert.True(runs[94].SizeBytes > 10 * inputSize, $"huge output size {runs[94].SizeBytes}");
        Assert.Equal(("corrupted", "output:corrupted", true), (runs[94].Status, runs[94].ErrorType, runs[94].Permanent));
        Assert.Contains("trailing data after the GIF trailer", runs[94].Message);

        // Truncated GIF and garbage: corrupted with the validator's reason (permanent).
        foreach (var level in new long[] { 95, 97 })
        {
            Assert.Equal(("corrupted", "output:corrupted", true), (runs[level].Status, runs[level].ErrorType, runs[level].Permanent));
            Assert.False(string.IsNullOrWhiteSpace(runs[level].Message));
            Assert.Contains($"--lossy {level}", runs[level].CommandLine);
        }

        // Non-zero exit: stderr tail and command line kept (permanent).
        Assert.Equal(("error", "tool:exit", true), (runs[96].Status, runs[96].ErrorType, runs[96].Permanent));
        Assert.Contains("simulated internal error (lossy 96)", runs[96].Message);
        Assert.Contains("--lossy 96", runs[96].CommandLine);
        Assert.Contains("--input " + gif, runs[96].CommandLine);

        // Exit 0 without an output file.
        Assert.Equal(("error", "tool:no-output", true), (runs[99].Status, runs[99].ErrorType, runs[99].Permanent));

        var failuresBefore = Sandbox.Scalar(db, "SELECT count(*) FROM failures;");

        // Rerun: only the transient failure (the timeout) is executed again; the failure rows are replaced, not duplicated.
        var (code2, stdout2, _) = box.Run(Limit, args);
        Assert.Equal(ExitCodes.ItemFailures, code2);
        Assert.Contains("Runs: 1 executed", stdout2);
        Assert.Equal(failuresBefore, Sandbox.Scalar(db, "SELECT count(*) FROM failures;"));
        Assert.Equal(1, Sandbox.Scalar(db, "SELECT count(*) FROM failures WHERE error_type = 'tool:timeout';"));

        // stats shows permanent and transient failures.
        var permanent = Sandbox.Scalar(db, "SELECT count(*) FROM failures WHERE permanent = 1;");
        var transient = Sandbox.Scalar(db, "SELECT count(*) FROM failures WHERE permanent = 0;");
        Assert.Equal(1, transient);
        var (sc, stats, statsErr) = box.Run(Limit, "stats", "--db", db);
        Assert.True(sc == ExitCodes.Ok, statsErr);
        Assert.Contains($"({permanent} permanent, {transient} transient)", stats);

        // --retry-failed: every run that did not end valid is executed again.
        var notValid = runs.Values.Count(r => r.Status != "valid");
        var (code3, stdout3, _) = box.Run(Limit, [.. args, "--retry-failed"]);
        Assert.Equal(ExitCodes.ItemFailures, code3);
        Assert.Contains($"Runs: {notValid} executed", stdout3);
        Assert.Equal(failuresBefore, Sandbox.Scalar(db, "SELECT count(*) FROM failures;"));
        Assert.Equal("ok", Sandbox.IntegrityCheck(db));
    }

    private static bool IsZombie(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2] == "Z"; }
        catch (IOException) { return false; }
    }
}
