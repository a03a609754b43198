using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace GifLab.Cli.Tests.Reliability;

/// <summary>
/// Another process (this test process, through its own SQLite connection) holds the database's write lock with
/// <c>BEGIN IMMEDIATE</c> while a real <c>giflab run</c> works: released within GIFLAB_LOCK_TIMEOUT the run waits and
/// finishes; held past it the run stops with exit 5 and a clear message, and everything committed before is intact.
/// </summary>
public class LockedDatabaseTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    private static (Sandbox Box, string Db, Dictionary<string, string> Before) Seeded()
    {
        var box = new Sandbox().WithAnimatelyStandIn();
        box.CopyGif("engines/animated-red-blue.gif", "in1");
        box.CopyGif("gifs/giflab/transparency_bearing_monotonicity.gif", "in2");
        var db = box.PathOf("runs.db");
        var (code, _, err) = box.Run(Limit, "run", box.PathOf("in1"), "--db", db, "--engines", "animately", "--levels", "0,40", "--colors", "256");
        Assert.True(code == ExitCodes.Ok, err);
        var before = CrashSafetyTests.Snapshot(db);
        Assert.NotEmpty(before);
        return (box, db, before);
    }

    /// <summary>A write lock held by a separate connection (as another process would).</summary>
    private static SqliteConnection HoldWriteLock(string db)
    {
        var conn = new SqliteConnection($"Data Source={db};Pooling=False;Default Timeout=60");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "BEGIN IMMEDIATE; INSERT INTO param_presets(lossy_level, color_count, frame_ratio) VALUES (1, 2, 0.123);";
        cmd.ExecuteNonQuery();
        return conn;
    }

    private static void Release(SqliteConnection conn, bool commit)
    {
        using var cmd = conn.CreateCommand();
        cmd.CommandText = commit ? "COMMIT;" : "ROLLBACK;";
        cmd.ExecuteNonQuery();
        conn.Dispose();
    }

    private static void AssertIntact(string db, Dictionary<string, string> before)
    {
        Assert.Equal("ok", Sandbox.IntegrityCheck(db));
        var after = CrashSafetyTests.Snapshot(db);
        foreach (var (key, value) in before) Assert.Equal(value, after[key]);
    }

    [Fact]
    public async Task LockReleasedWithinTheLimit_RunWaitsThenFinishes()
    {
        var (box, db, before) = Seeded();
        using var _ = box;
        box.Env["GIFLAB_LOCK_TIMEOUT"] = "60";
        var holder = HoldWriteLock(db);
        using var p = box.Start("run", box.PathOf("in2"), "--db", db, "--engines", "animately", "--levels", "0,40", "--colors", "256");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        var held = Stopwatch.StartNew();
        if (p.WaitForExit(TimeSpan.FromSeconds(4))) Assert.Fail("giflab finished although the database was locked: " + await stderr);
        Release(holder, commit: true);
        Assert.True(p.WaitForExit(Limit), "giflab did not finish after the lock was released");
        p.WaitForExit();
        var (o, e) = (await stdout, await stderr);
        output.WriteLine($"lock held {held.Elapsed.TotalSeconds:0.0} s\n{o}{e}");
        Assert.True(p.ExitCode == ExitCodes.Ok, e);
        AssertIntact(db, before);
        Assert.Equal(2, Sandbox.Scalar(db, "SELECT count(*) FROM gifs;"));
        Assert.True(CrashSafetyTests.Snapshot(db).Count > before.Count);
        Assert.Equal(1, Sandbox.Scalar(db, "SELECT count(*) FROM param_presets WHERE frame_ratio = 0.123;")); // the holder's own write survived too
    }

    [Fact]
    public void LockHeldPastTheLimit_ExitsStorageUnavailable_WithAClearMessage_NothingLost()
    {
        var (box, db, before) = Seeded();
        using var _ = box;
        box.Env["GIFLAB_LOCK_TIMEOUT"] = "3";
        var holder = HoldWriteLock(db);
        var sw = Stopwatch.StartNew();
        var (code, stdout, stderr) = box.Run(Limit, "run", box.PathOf("in2"), "--db", db, "--engines", "animately", "--levels", "0,40", "--colors", "256");
        output.WriteLine($"gave up after {sw.Elapsed.TotalSeconds:0.0} s, exit {code}\n{stdout}{stderr}");
        Release(holder, commit: false);
        Assert.Equal(ExitCodes.StorageUnavailable, code);
        Assert.Contains("database is locked by another process", stderr);
        Assert.Contains("limit 3 s", stderr);
        Assert.DoesNotContain("unexpected error", stderr);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(30), "gave up far later than GIFLAB_LOCK_TIMEOUT");
        AssertIntact(db, before);
    }

    [Fact]
    public async Task LockTakenMidRun_HeldPastTheLimit_ExitsStorageUnavailable_CommittedRunsKept()
    {
        var (box, db, before) = Seeded();
        using var _ = box;
        box.Env["GIFLAB_LOCK_TIMEOUT"] = "3";
        // Level 98 makes the stand-in hang until --timeout: the run is still going when the lock is taken.
        using var p = box.Start("run", box.PathOf("in2"), "--db", db, "--engines", "animately", "--levels", "0,40,98", "--colors", "256",
            "--timeout", "4", "--jobs", "1");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        var deadline = Stopwatch.StartNew();
        while (Sandbox.Scalar(db, "SELECT count(*) FROM gifs;") < 2 && deadline.Elapsed < Limit && !p.HasExited) Thread.Sleep(20);
        var holder = HoldWriteLock(db);
        var committedWhenLocked = CrashSafetyTests.Snapshot(db);
        Assert.True(p.WaitForExit(Limit), "giflab hung on a database locked mid-run");
        p.WaitForExit();
        Release(holder, commit: false);
        var (o, e) = (await stdout, await stderr);
        output.WriteLine($"exit {p.ExitCode}\n{o}{e}");
        Assert.Equal(ExitCodes.StorageUnavailable, p.ExitCode);
        Assert.Contains("database is locked by another process", e);
        AssertIntact(db, committedWhenLocked);
        AssertIntact(db, before);
    }
}
