using Xunit.Abstractions;

namespace GifLab.Cli.Tests.Reliability;

/// <summary>
/// Issue #19 item 1: a full temp folder is an environment problem, never a property of a GIF. The run stops with exit 5
/// and stores nothing for the runs it affected (no permanent failure, no error/corrupted row, no valid row from a
/// truncated output); once space is back, a plain rerun finishes the job and the database equals a clean run's.
/// Each test mounts a small tmpfs as <c>--temp-dir</c> (skipped with a reason where mounting is not permitted).
/// </summary>
public class TempFullTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    /// <summary>The attack: gifsicle over samples/ with a nearly full tmpfs as the temp folder (8 MB, so that
    /// once the filler is gone it has room for a run: 4× the largest sample + 4 MiB).</summary>
    [Fact]
    public void NearlyFullTempFolder_Gifsicle_Exits5_StoresNothingFalse_RerunEqualsCleanRun()
    {
        using var box = new Sandbox();
        using var fs = TmpfsMount.TryCreate(box.PathOf("small"), "8m", out var why);
        if (fs is null) { output.WriteLine("SKIPPED: " + why); return; }
        var input = Path.Combine(CliRunner.RepoRoot, "samples");
        string[] common = ["--engines", "gifsicle", "--levels", "0,40,80", "--colors", "256,64", "--jobs", "2"];
        var cleanDb = box.PathOf("clean.db");
        var (cleanCode, cleanOut, cleanErr) = box.Run(Limit, ["run", input, "--db", cleanDb, .. common]);
        Assert.True(cleanCode == ExitCodes.Ok, cleanOut + cleanErr);
        var clean = CrashSafetyTests.Snapshot(cleanDb);

        var filler = Fill(fs.Path, leaveBytes: 200 * 1024);
        var db = box.PathOf("runs.db");
        string[] args = ["run", input, "--db", db, "--temp-dir", fs.Path, .. common];
        var (code, stdout, stderr) = box.Run(Limit, args);
        output.WriteLine($"full temp: exit {code}\n{stdout}{stderr}");
        Assert.Equal(ExitCodes.StorageUnavailable, code);
        Assert.Contains("temp folder full", stderr);
        AssertNothingFalseStored(db, clean);

        File.Delete(filler);
        var (code2, stdout2, stderr2) = box.Run(Limit, args);
        output.WriteLine($"after freeing space: exit {code2}\n{stdout2}{stderr2}");
        Assert.Equal(ExitCodes.Ok, code2);
        Assert.Equal(clean, CrashSafetyTests.Snapshot(db));
    }

    /// <summary>
    /// The free-space check before each run passes (GIFLAB_TEMP_RESERVE_MB=0, the test seam), then the engine's own
    /// write fails with ENOSPC (the stand-in at level 94 writes 12× its input): still exit 5 and nothing false stored.
    /// </summary>
    [Fact]
    public void EngineWriteHitsENOSPC_AfterTheCheck_Exits5_NoFailureStored_RerunStoresTheRealOutcome()
    {
        using var box = new Sandbox().WithAnimatelyStandIn();
        using var fs = TmpfsMount.TryCreate(box.PathOf("small"), "1m", out var why);
        if (fs is null) { output.WriteLine("SKIPPED: " + why); return; }
        box.CopyGif("engines/animated-red-blue.gif", "in");
        box.Env["GIFLAB_TEMP_RESERVE_MB"] = "0";
        var filler = Fill(fs.Path, leaveBytes: 16 * 1024);
        var db = box.PathOf("runs.db");
        string[] args = ["run", box.PathOf("in"), "--db", db, "--temp-dir", fs.Path, "--engines", "animately",
                         "--levels", "0,94", "--colors", "256", "--jobs", "1"];
        var (code, stdout, stderr) = box.Run(Limit, args);
        output.WriteLine($"full temp: exit {code}\n{stdout}{stderr}");
        Assert.Equal(ExitCodes.StorageUnavailable, code);
        Assert.Contains("temp folder full", stderr);
        Assert.Equal(0, Sandbox.Scalar(db, "SELECT count(*) FROM failures;"));
        Assert.Equal(0, Sandbox.Scalar(db, "SELECT count(*) FROM compression_runs WHERE validation_status <> 'valid';"));

        File.Delete(filler);
        var (code2, stdout2, stderr2) = box.Run(Limit, args);
        output.WriteLine($"after freeing space: exit {code2}\n{stdout2}{stderr2}");
        Assert.Equal(ExitCodes.ItemFailures, code2); // 94's output has data after its trailer: a real, permanent verdict
        var runs = Sandbox.AnimatelyRuns(db);
        Assert.Equal("valid", runs[0].Status);
        Assert.Equal(("corrupted", "output:corrupted"), (runs[94].Status, runs[94].ErrorType));
    }

    private static void AssertNothingFalseStored(string db, Dictionary<string, string> clean)
    {
        if (!File.Exists(db)) return;
        Assert.Equal(0, Sandbox.Scalar(db, "SELECT count(*) FROM failures;"));
        Assert.Equal(0, Sandbox.Scalar(db, "SELECT count(*) FROM compression_runs WHERE validation_status <> 'valid';"));
        // Whatever was stored is what a clean run stores (no valid row from a truncated output).
        foreach (var (key, value) in CrashSafetyTests.Snapshot(db)) Assert.Equal(clean[key], value);
    }

    /// <summary>Fills the file system to the last byte, then frees <paramref name="leaveBytes"/>; returns the filler's path.</summary>
    private static string Fill(string dir, long leaveBytes)
    {
        var filler = Path.Combine(dir, "filler");
        using (var f = File.Create(filler))
        {
            var block = new byte[4096];
            try { while (true) { f.Write(block); f.Flush(); } }
            catch (IOException) { }
        }
        using (var f = new FileStream(filler, FileMode.Open))
            f.SetLength(Math.Max(0, f.Length - leaveBytes));
        return filler;
    }
}
