using GifLab.Core.Model;
using GifLab.Storage;
using GifLab.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace GifLab.Tests.Storage;

public class SqliteResultStoreTests
{
    /// <summary>The seed's six tables and their columns (data-model.seed.md "SQLite Schema").</summary>
    private static readonly Dictionary<string, string[]> SeedColumns = new()
    {
        ["tools"] = ["id", "name", "category", "engine", "description"],
        ["pipelines"] = ["id", "identifier", "frame_tool_id", "color_tool_id", "lossy_tool_id"],
        ["param_presets"] = ["id", "lossy_level", "color_count", "frame_ratio"],
        ["gifs"] = ["id", "sha256", "file_name", "file_path", "file_size_bytes", "width", "height", "frame_count", "features_json", "feature_version", "processed_at"],
        ["compression_runs"] = ["id", "gif_id", "pipeline_id", "param_preset_id", "output_size_bytes", "compression_ratio", "metrics_json", "validation_status", "duration_ms", "created_at"],
        ["failures"] = ["id", "gif_id", "pipeline_id", "param_preset_id", "error_type", "error_message", "created_at"],
    };

    private static readonly PipelineId Gifsicle = new("none-frame", "none-color", "gifsicle-lossy");

    [Fact]
    public async Task ReadOnlyOpen_OfAnOlderSchema_UpgradesItFirst_SoReadersFindTheNewColumns()
    {
        // A database written before migration 003 (no compression_runs.command_lines): `train`/`export` open it read-only
        // and their readers select the new column. Found building the training dataset with the session-start binary.
        using var dir = new TempDir();
        var path = dir.File("old.db");
        await using (var store = new SqliteResultStore(path)) await store.InitializeAsync(default);
        await using (var conn = new SqliteConnection($"Data Source={path}"))
        {
            await conn.OpenAsync();
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = "ALTER TABLE compression_runs DROP COLUMN command_lines; DELETE FROM schema_version WHERE version >= 3;";
            await cmd.ExecuteNonQueryAsync();
        }
        await using (var ro = StoreFactory.Create(path, readOnly: true))
        {
            await ro.InitializeAsync(default);
            using var reader = ro.OpenDatasetReader([]);
            Assert.NotNull(reader);
            Assert.Empty(reader!.ReadGifs(default).ToList());
        }
        await using var check = new SqliteConnection($"Data Source={path};Mode=ReadOnly");
        await check.OpenAsync();
        await using var q = check.CreateCommand();
        q.CommandText = "SELECT MAX(version) FROM schema_version;";
        Assert.Equal((long)SqliteResultStore.CurrentSchemaVersion, (long)(await q.ExecuteScalarAsync())!);
        q.CommandText = "SELECT COUNT(*) FROM pragma_table_info('compression_runs') WHERE name = 'command_lines';";
        Assert.Equal(1L, (long)(await q.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Initialize_CreatesSeedTablesWithSeedColumnsInOrder_AndSchemaVersion()
    {
        using var dir = new TempDir();
        var path = dir.File("a.db");
        await using (var store = new SqliteResultStore(path)) await store.InitializeAsync(default);

        await using var conn = new SqliteConnection($"Data Source={path}");
        await conn.OpenAsync();
        foreach (var (table, expected) in SeedColumns)
        {
            var cols = new List<string>();
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = $"PRAGMA table_info({table});";
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync()) cols.Add(r.GetString(1));
            Assert.Equal(expected, cols.Take(expected.Length));
        }
        await using var v = conn.CreateCommand();
        v.CommandText = "SELECT MAX(version) FROM schema_version;";
        Assert.Equal((long)SqliteResultStore.CurrentSchemaVersion, (long)(await v.ExecuteScalarAsync())!);
        v.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string)(await v.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Initialize_Twice_IsIdempotent()
    {
        using var dir = new TempDir();
        var path = dir.File("a.db");
        for (var i = 0; i < 2; i++)
        {
            await using var store = new SqliteResultStore(path);
            await store.InitializeAsync(default);
        }
        await using var conn = new SqliteConnection($"Data Source={path}");
        await conn.OpenAsync();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM schema_version;";
        Assert.Equal((long)SqliteResultStore.CurrentSchemaVersion, (long)(await cmd.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task SaveRuns_SameKeyTwice_KeepsOneRowWithLatestValues_AndClearsFailure()
    {
        using var dir = new TempDir();
        await using var store = await Open(dir.File("a.db"));
        var (gifId, ids) = await Seed(store);
        var pid = ids.Pipelines[Gifsicle];
        var rid = ids.Presets[new ParamPreset(0, 256, 1.0)];

        await store.SaveRunsAsync([Run(gifId, pid, rid, "error", new FailureRecord(gifId, pid, rid, "tool:timeout", "boom", Permanent: false))], default);
        var states = await store.GetRunStatesAsync(gifId, default);
        Assert.Equal("error", states[(pid, rid)].ValidationStatus);
        Assert.False(states[(pid, rid)].FailurePermanent);

        await store.SaveRunsAsync([Run(gifId, pid, rid, "valid", null)], default);
        await store.SaveRunsAsync([Run(gifId, pid, rid, "valid", null)], default);
        var stats = await store.GetStatsAsync(default);
        Assert.Equal(1, stats.Runs);
        Assert.Equal(0, stats.Failures);
        Assert.Equal("valid", (await store.GetRunStatesAsync(gifId, default))[(pid, rid)].ValidationStatus);
    }

    [Fact]
    public async Task Stats_CountsRunsPerEngineAndFailuresByType()
    {
        using var dir = new TempDir();
        await using var store = await Open(dir.File("a.db"));
        var (gifId, ids) = await Seed(store);
        var pid = ids.Pipelines[Gifsicle];
        var runs = ParamPreset.DefaultLossyLevels.Select((l, i) =>
            Run(gifId, pid, ids.Presets[new ParamPreset(l, 256, 1.0)], i == 0 ? "error" : "valid",
                i == 0 ? new FailureRecord(gifId, pid, ids.Presets[new ParamPreset(l, 256, 1.0)], "tool:exit", "exit 1", true) : null)).ToList();
        await store.SaveRunsAsync(runs, default);
        await store.RecordFileFailureAsync(new FailureRecord(null, null, null, "file:not-a-gif", "x.gif: missing signature", true, FilePath: "/x.gif"), default);
        await store.RecordFileFailureAsync(new FailureRecord(null, null, null, "file:not-a-gif", "x.gif: missing signature", true, FilePath: "/x.gif"), default);

        var stats = await store.GetStatsAsync(default);
        Assert.Equal(11, stats.Runs);
        var engine = Assert.Single(stats.RunsPerEngine);
        Assert.Equal(("gifsicle", 11L, 10L, 0L, 1L), (engine.Engine, engine.Runs, engine.Valid, engine.Corrupted, engine.Error));
        Assert.Equal(2, stats.Failures); // file failure recorded once, not duplicated by the rerun
        Assert.Contains(stats.FailuresByType, f => f.Name == "file:not-a-gif" && f.Count == 1);
        Assert.Equal(11, Assert.Single(stats.RunsPerGif).Count);
    }

    [Fact]
    public async Task Write_WhileAnotherProcessHoldsTheLock_RetriesAndProceedsWhenReleased()
    {
        using var dir = new TempDir();
        var path = dir.File("a.db");
        await using var store = await Open(path, TimeSpan.FromSeconds(20));
        var (gifId, ids) = await Seed(store);

        await using var locker = new SqliteConnection($"Data Source={path};Pooling=False");
        await locker.OpenAsync();
        await using (var begin = locker.CreateCommand()) { begin.CommandText = "BEGIN IMMEDIATE;"; await begin.ExecuteNonQueryAsync(); }

        var pid = ids.Pipelines[Gifsicle];
        var rid = ids.Presets[new ParamPreset(0, 256, 1.0)];
        var save = store.SaveRunsAsync([Run(gifId, pid, rid, "valid", null)], default);
        await Task.Delay(1500);
        Assert.False(save.IsCompleted); // still retrying while locked
        await using (var commit = locker.CreateCommand()) { commit.CommandText = "COMMIT;"; await commit.ExecuteNonQueryAsync(); }
        await save.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(1, (await store.GetStatsAsync(default)).Runs);
    }

    [Fact]
    public async Task Write_LockedPastTheLimit_ThrowsStorageUnavailableWithClearMessage()
    {
        using var dir = new TempDir();
        var path = dir.File("a.db");
        await using var store = await Open(path, TimeSpan.FromSeconds(2));
        var (gifId, ids) = await Seed(store);
        await using var locker = new SqliteConnection($"Data Source={path};Pooling=False");
        await locker.OpenAsync();
        await using (var begin = locker.CreateCommand()) { begin.CommandText = "BEGIN IMMEDIATE;"; await begin.ExecuteNonQueryAsync(); }

        var e = await Assert.ThrowsAsync<StorageUnavailableException>(() =>
            store.SaveRunsAsync([Run(gifId, ids.Pipelines[Gifsicle], ids.Presets[new ParamPreset(0, 256, 1.0)], "valid", null)], default));
        Assert.Contains("locked", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public async Task Open_NotADatabase_ThrowsStorageUnavailable()
    {
        using var dir = new TempDir();
        var path = dir.File("garbage.db");
        await File.WriteAllTextAsync(path, new string('x', 4096));
        await using var store = new SqliteResultStore(path);
        await Assert.ThrowsAsync<StorageUnavailableException>(() => store.InitializeAsync(default));
    }

    [Fact]
    public async Task UpsertGif_KeepsFeaturesWhenUpdatedWithoutThem()
    {
        using var dir = new TempDir();
        await using var store = await Open(dir.File("a.db"));
        var gif = new GifRecord(new string('a', 64), "a.gif", "/a.gif", 10, 2, 2, 1, 100, 0, "{\"x\":1}", "1.0.0", DateTimeOffset.UtcNow, "ok");
        var id = await store.UpsertGifAsync(gif, default);
        var id2 = await store.UpsertGifAsync(gif with { FeaturesJson = null, FeatureVersion = null, FilePath = "/b.gif" }, default);
        Assert.Equal(id, id2);
        var stored = await store.GetGifAsync(gif.Sha256, default);
        Assert.Equal("{\"x\":1}", stored!.Value.Gif.FeaturesJson);
        Assert.Equal("/b.gif", stored.Value.Gif.FilePath);
    }

    private static async Task<SqliteResultStore> Open(string path, TimeSpan? lockTimeout = null)
    {
        var store = new SqliteResultStore(path, lockTimeout);
        await store.InitializeAsync(default);
        return store;
    }

    private static async Task<(long GifId, StoredIds Ids)> Seed(IResultStore store)
    {
        await store.SyncToolsAsync([
            new ToolRow("none-frame", "frame_reduction", null, "", "none", true, null, "builtin", null),
            new ToolRow("none-color", "color_reduction", null, "", "none", true, null, "builtin", null),
            new ToolRow("gifsicle-lossy", "lossy_compression", "gifsicle", "", "gifsicle", true, "/usr/bin/gifsicle", "1.93", null),
        ], default);
        var ids = await store.EnsurePipelinesAndPresetsAsync([Gifsicle], ParamPreset.DefaultLossyLevels.Select(l => new ParamPreset(l, 256, 1.0)), default);
        var gifId = await store.UpsertGifAsync(new GifRecord(new string('a', 64), "a.gif", "/a.gif", 1000, 10, 10, 2, 200, 0, null, null, DateTimeOffset.UtcNow, "ok"), default);
        return (gifId, ids);
    }

    private static RunRecord Run(long gif, long pipeline, long preset, string status, FailureRecord? failure) =>
        new()
        {
            GifId = gif, PipelineId = pipeline, PresetId = preset, ValidationStatus = status, DurationMs = 12, MetricSetVersion = 1,
            OutputSizeBytes = status == "valid" ? 500 : null, CompressionRatio = status == "valid" ? 2.0 : null,
            MetricsJson = status == "valid" ? "{\"ssim\":0.9}" : null, EngineCpuMs = 5.0, ToolVersionsJson = "{}", Failure = failure,
        };
}
