using Xunit.Abstractions;

namespace GifLab.Cli.Tests.Reliability;

/// <summary>
/// Unwritable, read-only and full storage through a real <c>giflab run</c>: exit 5 with a clear message, and the
/// database intact (integrity_check ok, earlier rows unchanged) once the space or permission is back. Tests that need
/// a tmpfs mount return early with a message where mounting is not permitted.
/// </summary>
public class StorageFailureTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);
    private static readonly string[] Engine = ["--engines", "animately", "--levels", "0,40", "--colors", "256"];

    [Fact]
    public void DbPathUnderAFile_ExitsStorageUnavailable()
    {
        using var box = new Sandbox().WithAnimatelyStandIn();
        box.CopyGif("engines/animated-red-blue.gif", "in");
        File.WriteAllText(box.PathOf("afile.txt"), "not a folder");
        var (code, stdout, stderr) = box.Run(Limit, ["run", box.PathOf("in"), "--db", box.PathOf("afile.txt/sub/runs.db"), .. Engine]);
        output.WriteLine(stdout + stderr);
        Assert.Equal(ExitCodes.StorageUnavailable, code);
        Assert.Contains("storage unavailable", stderr);
        Assert.DoesNotContain("unexpected error", stderr);
    }

    [Fact]
    public void DbFileThatIsNotADatabase_ExitsStorageUnavailable_FileLeftAsItWas()
    {
        using var box = new Sandbox().WithAnimatelyStandIn();
        box.CopyGif("engines/animated-red-blue.gif", "in");
        var notADb = box.PathOf("notes.db");
        File.WriteAllText(notADb, new string('x', 8192));
        var before = Sandbox.Sha256Of(notADb);
        var (code, stdout, stderr) = box.Run(Limit, ["run", box.PathOf("in"), "--db", notADb, .. Engine]);
        output.WriteLine(stdout + stderr);
        Assert.Equal(ExitCodes.StorageUnavailable, code);
        Assert.Contains("storage unavailable", stderr);
        Assert.Equal(before, Sandbox.Sha256Of(notADb));
    }

    [Fact]
    public void DbOnReadOnlyFileSystem_ExitsStorageUnavailable_ExistingDbIntact()
    {
        using var box = new Sandbox().WithAnimatelyStandIn();
        using var fs = TmpfsMount.TryCreate(box.PathOf("dbfs"), "16m", out var why);
        if (fs is null) { output.WriteLine("SKIPPED: " + why); return; }
        box.CopyGif("engines/animated-red-blue.gif", "in1");
        box.CopyGif("engines/dispose_bgnd.gif", "in2");
        var db = Path.Combine(fs.Path, "runs.db");
        Assert.Equal(ExitCodes.Ok, box.Run(Limit, ["run", box.PathOf("in1"), "--db", db, .. Engine]).ExitCode);
        var before = CrashSafetyTests.Snapshot(db);

        fs.ReadOnly();
        var (code, stdout, stderr) = box.Run(Limit, ["run", box.PathOf("in2"), "--db", db, .. Engine]);
        var (codeNew, _, stderrNew) = box.Run(Limit, ["run", box.PathOf("in2"), "--db", Path.Combine(fs.Path, "new.db"), .. Engine]);
        fs.ReadWrite();
        output.WriteLine($"existing db: exit {code}\n{stdout}{stderr}\nnew db: exit {codeNew}\n{stderrNew}");
        Assert.Equal(ExitCodes.StorageUnavailable, code);
        Assert.Contains("storage unavailable", stderr);
        Assert.Equal(ExitCodes.StorageUnavailable, codeNew);
        Assert.Contains("storage unavailable", stderrNew);
        Assert.Equal("ok", Sandbox.IntegrityCheck(db));
        Assert.Equal(before, CrashSafetyTests.Snapshot(db));
    }

    [Fact]
    public void DiskFull_ExitsStorageUnavailable_DbIntactAfterFreeingSpace()
    {
        using var box = new Sandbox().WithAnimatelyStandIn();
        using var fs = TmpfsMount.TryCreate(box.PathOf("small"), "2m", out var why);
        if (fs is null) { output.WriteLine("SKIPPED: " + why); return; }
        box.CopyGif("engines/animated-red-blue.gif", "in1");
        foreach (var (f, i) in Directory.GetFiles(Path.Combine(CliRunner.RepoRoot, "testdata", "gifs", "pygif-test-suite", "edge"), "*.gif").Take(20).Select((f, i) => (f, i)))
            File.Copy(f, Path.Combine(Directory.CreateDirectory(box.PathOf("in2")).FullName, $"{i}-{Path.GetFileName(f)}"));
        var db = Path.Combine(fs.Path, "runs.db");
        Assert.Equal(ExitCodes.Ok, box.Run(Limit, ["run", box.PathOf("in1"), "--db", db, .. Engine]).ExitCode);
        var before = CrashSafetyTests.Snapshot(db);

        // Fill the file system to the last byte.
        var filler = Path.Combine(fs.Path, "filler");
        using (var f = File.Create(filler))
        {
            var block = new byte[4096];
            try { while (true) { f.Write(block); f.Flush(); } }
            catch (IOException) { }
        }
        var (code, stdout, stderr) = box.Run(Limit, ["run", box.PathOf("in2"), "--db", db, .. Engine]);
        output.WriteLine($"exit {code}\n{stdout}{stderr}");
        Assert.Equal(ExitCodes.StorageUnavailable, code);
        Assert.Contains("disk full", stderr);
        Assert.Contains("warning: only 0 MiB free for the database folder", stderr); // RunCommand.WarnIfLowOnSpace, before the run
        Assert.DoesNotContain("unexpected error", stderr);

        File.Delete(filler);
        Assert.Equal("ok", Sandbox.IntegrityCheck(db));
        var after = CrashSafetyTests.Snapshot(db);
        foreach (var (key, value) in before) Assert.Equal(value, after[key]);
        // With space back, the same command finishes.
        var (code2, _, stderr2) = box.Run(Limit, ["run", box.PathOf("in2"), "--db", db, .. Engine]);
        Assert.True(code2 is ExitCodes.Ok or ExitCodes.ItemFailures, stderr2);
        Assert.Equal("ok", Sandbox.IntegrityCheck(db));
    }

    [Fact]
    public void InputOnReadOnlyFileSystem_IsProcessed_AndQuarantineLeavesOriginalsUntouched()
    {
        using var box = new Sandbox().WithAnimatelyStandIn();
        using var fs = TmpfsMount.TryCreate(box.PathOf("ro"), "8m", out var why);
        if (fs is null) { output.WriteLine("SKIPPED: " + why); return; }
        File.Copy(Path.Combine(CliRunner.RepoRoot, "testdata", "engines", "animated-red-blue.gif"), Path.Combine(fs.Path, "good.gif"));
        var bytes = File.ReadAllBytes(Path.Combine(CliRunner.RepoRoot, "testdata", "engines", "dispose_bgnd.gif"));
        File.WriteAllBytes(Path.Combine(fs.Path, "broken.gif"), bytes.AsSpan(0, 20).ToArray()); // header only: decode fails
        var before = Sandbox.HashTree(fs.Path);
        fs.ReadOnly();
        var (code, stdout, stderr) = box.Run(Limit, ["run", fs.Path, "--db", box.PathOf("runs.db"), "--quarantine", box.PathOf("q"), .. Engine]);
        output.WriteLine(stdout + stderr);
        Assert.Equal(ExitCodes.ItemFailures, code);
        Assert.Equal(before, Sandbox.HashTree(fs.Path));
        Assert.Single(Directory.GetFiles(box.PathOf("q"), "*broken.gif"));
        Assert.Equal(1, Sandbox.Scalar(box.PathOf("runs.db"), "SELECT count(*) FROM gifs WHERE decode_status = 'ok';"));
    }
}
