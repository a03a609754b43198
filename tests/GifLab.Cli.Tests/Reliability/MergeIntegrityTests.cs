using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace GifLab.Cli.Tests.Reliability;

/// <summary>
/// <c>giflab merge</c> checks every shard (<c>PRAGMA integrity_check</c>, <c>foreign_key_check</c>) before merging any:
/// a shard with a few flipped bytes in an index, or with a wrecked table, exits 5 with a message naming the shard,
/// never 0 and never a stack trace, and the output database is left as it was.
/// </summary>
public class MergeIntegrityTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);
    private static readonly string[] Engine = ["--engines", "animately", "--levels", "0,40", "--colors", "256"];

    private static string Shard(Sandbox box, string name)
    {
        box.CopyGif("engines/animated-red-blue.gif", "in");
        var db = box.PathOf(name);
        var (code, _, stderr) = box.Run(Limit, ["run", box.PathOf("in"), "--db", db, .. Engine]);
        Assert.True(code == ExitCodes.Ok, stderr);
        // One self-contained file (no -wal), so bytes can be flipped at known offsets.
        using (var conn = new SqliteConnection($"Data Source={db};Pooling=false"))
        {
            conn.Open();
            using var cmd = conn.CreateCommand();
            cmd.CommandText = "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE;";
            cmd.ExecuteNonQuery();
        }
        return db;
    }

    /// <summary>Page number and page size of a table's or index's b-tree root.</summary>
    private static (long Page, long PageSize) RootPage(string db, string name)
    {
        using var conn = new SqliteConnection($"Data Source={db};Pooling=false;Mode=ReadOnly");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT rootpage, (SELECT page_size FROM pragma_page_size()) FROM sqlite_master WHERE name = $n;";
        cmd.Parameters.AddWithValue("$n", name);
        using var r = cmd.ExecuteReader();
        Assert.True(r.Read(), $"{name} not found");
        return (r.GetInt64(0), r.GetInt64(1));
    }

    private static void Overwrite(string db, long offset, byte[] bytes)
    {
        using var f = new FileStream(db, FileMode.Open, FileAccess.ReadWrite);
        f.Position = offset;
        f.Write(bytes);
    }

    [Fact]
    public void ThreeFlippedBytesInAnIndex_Exit5_NothingMerged()
    {
        using var box = new Sandbox().WithAnimatelyStandIn();
        var shard = Shard(box, "shard.db");
        var index = "sqlite_autoindex_compression_runs_1";
        var (page, size) = RootPage(shard, index);
        // Flip 3 bytes inside the first cell (an indexed key) of the index page: the cell content area starts at the
        // big-endian offset in bytes 5–6 of the b-tree page header.
        var bytes = File.ReadAllBytes(shard);
        var pageStart = (int)((page - 1) * size);
        var start = pageStart + ((bytes[pageStart + 5] << 8) | bytes[pageStart + 6]) + 3;
        var original = bytes.AsSpan(start, 3).ToArray();
        Overwrite(shard, start, [(byte)(original[0] ^ 0x55), (byte)(original[1] ^ 0x55), (byte)(original[2] ^ 0x55)]);
        Assert.NotEqual("ok", Sandbox.IntegrityCheck(shard));

        var good = box.PathOf("good.db");
        File.Copy(Shard(new Sandbox(box.PathOf("second")).WithAnimatelyStandIn(), "good.db"), good);
        var outDb = box.PathOf("merged.db");
        var (code, stdout, stderr) = box.Run(Limit, ["merge", "--db", outDb, good, shard]);
        output.WriteLine(stdout + stderr);
        Assert.Equal(ExitCodes.StorageUnavailable, code);
        Assert.Contains("shard is damaged", stderr);
        Assert.Contains("integrity_check", stderr);
        Assert.Contains(shard, stderr);
        Assert.DoesNotContain("   at ", stderr);
        // Checked before any input was merged: the good shard's runs are not in the output either.
        Assert.False(File.Exists(outDb) && Sandbox.Scalar(outDb, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'compression_runs'") > 0
                     && Sandbox.Scalar(outDb, "SELECT COUNT(*) FROM compression_runs") > 0);
    }

    [Fact]
    public void WreckedTable_Exit5_NoStackTrace()
    {
        using var box = new Sandbox().WithAnimatelyStandIn();
        var shard = Shard(box, "shard.db");
        var (page, size) = RootPage(shard, "tools");
        // Zero the whole tools page except its first bytes: the b-tree header and cells are gone.
        Overwrite(shard, (page - 1) * size + 8, new byte[size - 8]);
        var (code, stdout, stderr) = box.Run(Limit, ["merge", "--db", box.PathOf("merged.db"), shard]);
        output.WriteLine(stdout + stderr);
        Assert.Equal(ExitCodes.StorageUnavailable, code);
        Assert.Contains("shard is damaged", stderr);
        Assert.DoesNotContain("unexpected error", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public void NotADatabase_Exit5()
    {
        using var box = new Sandbox();
        var shard = box.PathOf("junk.db");
        File.WriteAllBytes(shard, [.. Enumerable.Range(0, 8192).Select(i => (byte)(i * 31))]);
        var (code, _, stderr) = box.Run(Limit, ["merge", "--db", box.PathOf("merged.db"), shard]);
        output.WriteLine(stderr);
        Assert.Equal(ExitCodes.StorageUnavailable, code);
        Assert.DoesNotContain("   at ", stderr);
    }
}
