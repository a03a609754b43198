using GifLab.Core.Model;
using GifLab.Storage;
using GifLab.Storage.Postgres;
using Npgsql;
using Xunit.Abstractions;

namespace GifLab.Tests.Storage;

/// <summary>PostgreSQL-only behaviour: physical schema, migrations under concurrency, retry and error mapping.</summary>
public sealed class PostgresResultStoreTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>The seed's six tables and their columns (data-model.seed.md "SQLite Schema"), same as the SQLite test.</summary>
    private static readonly Dictionary<string, string[]> SeedColumns = new()
    {
        ["tools"] = ["id", "name", "category", "engine", "description"],
        ["pipelines"] = ["id", "identifier", "frame_tool_id", "color_tool_id", "lossy_tool_id"],
        ["param_presets"] = ["id", "lossy_level", "color_count", "frame_ratio"],
        ["gifs"] = ["id", "sha256", "file_name", "file_path", "file_size_bytes", "width", "height", "frame_count", "features_json", "feature_version", "processed_at"],
        ["compression_runs"] = ["id", "gif_id", "pipeline_id", "param_preset_id", "output_size_bytes", "compression_ratio", "metrics_json", "validation_status", "duration_ms", "created_at"],
        ["failures"] = ["id", "gif_id", "pipeline_id", "param_preset_id", "error_type", "error_message", "created_at"],
    };

    private readonly string _schema = PostgresTestServer.NewSchemaName();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => PostgresTestServer.DropSchemaAsync(_schema);

    private bool Unavailable()
    {
        if (PostgresTestServer.SkipReason is not { } reason) return false;
        output.WriteLine(reason);
        return true;
    }

    [Fact]
    public async Task Initialize_CreatesSeedTablesWithSeedColumnsInOrder_SameExtrasAsSqlite_AndSchemaVersion()
    {
        if (Unavailable()) return;
        await using (var store = await PostgresTestServer.NewStoreAsync(_schema)) { }

        var pgColumns = await Columns(_schema);
        foreach (var (table, expected) in SeedColumns)
            Assert.Equal(expected, pgColumns[table].Take(expected.Length));

        // Same logical schema as the SQLite store: identical column lists, extras included.
        using var dir = new TempDir();
        await using (var sqlite = new GifLab.Storage.Sqlite.SqliteResultStore(dir.File("a.db"))) await sqlite.InitializeAsync(default);
        await using var lite = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={dir.File("a.db")};Pooling=False");
        await lite.OpenAsync();
        foreach (var table in SeedColumns.Keys)
        {
            var cols = new List<string>();
            await using var cmd = lite.CreateCommand();
            cmd.CommandText = $"PRAGMA table_info({table});";
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync()) cols.Add(r.GetString(1));
            Assert.Equal(cols, pgColumns[table]);
        }

        await using var conn = await Connect();
        await using var v = new NpgsqlCommand($"SELECT MAX(version) FROM \"{_schema}\".schema_version;", conn);
        Assert.Equal(PostgresResultStore.CurrentSchemaVersion, (int)(await v.ExecuteScalarAsync())!);
        Assert.True(PostgresResultStore.CurrentSchemaVersion >= 2);
        Assert.Contains("work_items", pgColumns.Keys);
        Assert.Contains("workers", pgColumns.Keys);
    }

    [Fact]
    public async Task Initialize_ManyWorkersAtOnce_MigratesExactlyOnce()
    {
        if (Unavailable()) return;
        var stores = Enumerable.Range(0, 6).Select(_ => new PostgresResultStore(PostgresTestServer.ConnectionString!, _schema)).ToList();
        try
        {
            await Task.WhenAll(stores.Select(s => s.InitializeAsync(default)));
        }
        finally
        {
            foreach (var s in stores) await s.DisposeAsync();
        }
        await using var conn = await Connect();
        await using var cmd = new NpgsqlCommand($"SELECT COUNT(*) FROM \"{_schema}\".schema_version;", conn);
        Assert.Equal((long)PostgresResultStore.CurrentSchemaVersion, (long)(await cmd.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task ConnectionKilledBetweenOperations_IsRetriedTransparently()
    {
        if (Unavailable()) return;
        var app = "giflab-kill-" + Guid.NewGuid().ToString("N")[..8];
        var cs = new NpgsqlConnectionStringBuilder(PostgresTestServer.ConnectionString) { ApplicationName = app }.ConnectionString;
        await using var store = new PostgresResultStore(cs, _schema, TimeSpan.FromSeconds(20));
        await store.InitializeAsync(default);
        await store.UpsertGifAsync(new GifRecord(new string('b', 64), "b.gif", null, 1, null, null, null, null, null, null, null, null, "ok"), default);

        await using (var admin = await Connect())
        await using (var kill = new NpgsqlCommand("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = @a;", admin))
        {
            kill.Parameters.AddWithValue("a", app);
            Assert.True((long)(await kill.ExecuteScalarAsync())! >= 1); // the pooled idle connection is gone
        }
        Assert.NotNull(await store.GetGifAsync(new string('b', 64), default));
        Assert.Equal(1, (await store.GetStatsAsync(default)).Gifs);
    }

    [Fact]
    public async Task WrongPassword_FailsFastWithStorageUnavailable_AndNoPasswordInMessage()
    {
        if (Unavailable()) return;
        var csb = new NpgsqlConnectionStringBuilder(PostgresTestServer.ConnectionString) { Password = "definitely-wrong-pw" };
        if (csb.Host?.StartsWith('/') == true) return; // socket + trust auth: passwords are not checked
        await using var store = new PostgresResultStore(csb.ConnectionString, _schema, TimeSpan.FromSeconds(30));
        var started = DateTime.UtcNow;
        var e = await Assert.ThrowsAsync<StorageUnavailableException>(() => store.InitializeAsync(default));
        output.WriteLine(e.Message);
        if (!e.Message.Contains("28")) return; // a trust-auth server accepts any password; nothing more to check
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10), "authentication failure must not be retried");
        Assert.DoesNotContain("definitely-wrong-pw", e.Message);
        Assert.DoesNotContain("definitely-wrong-pw", store.Location);
    }

    [Fact]
    public async Task ReadOnlyStore_OnEmptySchema_SaysThereIsNoGifLabSchema()
    {
        if (Unavailable()) return;
        await using var store = new PostgresResultStore(PostgresTestServer.ConnectionString!, _schema, readOnly: true);
        var e = await Assert.ThrowsAsync<StorageUnavailableException>(() => store.InitializeAsync(default));
        Assert.Contains("no GifLab schema", e.Message);
    }

    [Fact]
    public async Task ConcurrentWriters_SameKeys_EndWithOneRowPerKey()
    {
        if (Unavailable()) return;
        var cs = PostgresTestServer.ConnectionString!;
        await using var setup = (await PostgresTestServer.NewStoreAsync(_schema))!;
        var pipeline = new PipelineId("none-frame", "none-color", "gifsicle-lossy");
        var presets = ParamPreset.DefaultLossyLevels.Select(l => new ParamPreset(l, 256, 1.0)).ToList();
        var ids = await setup.EnsurePipelinesAndPresetsAsync([pipeline], presets, default);
        var gifId = await setup.UpsertGifAsync(new GifRecord(new string('c', 64), "c.gif", null, 1, null, null, null, null, null, null, null, null, "ok"), default);
        var runs = presets.Select(p => RunRecord.Valid(gifId, ids.Pipelines[pipeline], ids.Presets[p], 1, 1, null, outputSizeBytes: 10, compressionRatio: 1.5, metricsJson: "{}", null, null)).ToList();

        var writers = Enumerable.Range(0, 4).Select(async i =>
        {
            await using var s = new PostgresResultStore(cs, _schema);
            for (var k = 0; k < 5; k++) await s.SaveRunsAsync(i % 2 == 0 ? runs : runs.AsEnumerable().Reverse().ToList(), default);
            return s.TransientRetries;
        });
        var retries = (await Task.WhenAll(writers)).Sum();
        output.WriteLine($"transient retries: {retries}");
        Assert.Equal(11, (await setup.GetStatsAsync(default)).Runs);
    }

    /// <summary>The retry loop: serialization failures (40001) and deadlocks (40P01) are retried with backoff until the
    /// operation succeeds; a constraint violation (a bug) propagates at once; an authentication error becomes
    /// StorageUnavailableException at once. (Npgsql begins its transactions as READ COMMITTED explicitly, so a real
    /// 40001 cannot be provoked through the store's own transactions; the operation raises it here.)</summary>
    [Fact]
    public async Task Retry_TransientSqlStatesAreRetried_OthersAreNot()
    {
        if (Unavailable()) return;
        await using var store = (await PostgresTestServer.NewStoreAsync(_schema, TimeSpan.FromSeconds(20)))!;
        var calls = 0;
        var result = await store.ExecuteAsync(async (conn, ct) =>
        {
            await using var cmd = new NpgsqlCommand("SELECT 42;", conn);
            var value = (int)(await cmd.ExecuteScalarAsync(ct))!;
            if (++calls <= 2) throw new PostgresException("could not serialize access", "ERROR", "ERROR", calls == 1 ? "40001" : "40P01");
            return value;
        }, default);
        Assert.Equal((42, 3, 2L), (result, calls, store.TransientRetries));

        calls = 0;
        await Assert.ThrowsAsync<PostgresException>(() => store.ExecuteAsync<int>((_, _) =>
        {
            calls++;
            throw new PostgresException("duplicate key", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation);
        }, default));
        Assert.Equal(1, calls);
        await Assert.ThrowsAsync<StorageUnavailableException>(() => store.ExecuteAsync<int>((_, _) =>
            throw new PostgresException("password authentication failed", "FATAL", "FATAL", PostgresErrorCodes.InvalidPassword), default));
        Assert.True(PostgresDatabase.IsTransient(new PostgresException("x", "FATAL", "FATAL", PostgresErrorCodes.AdminShutdown)));
        Assert.True(PostgresDatabase.IsTransient(new PostgresException("x", "FATAL", "FATAL", PostgresErrorCodes.TooManyConnections)));
        Assert.False(PostgresDatabase.IsTransient(new PostgresException("x", "ERROR", "ERROR", PostgresErrorCodes.SyntaxError)));
    }

    [Fact]
    public async Task ConcurrentWorkers_RecordingTheSameFileFailure_KeepOneRow()
    {
        if (Unavailable()) return;
        await using (await PostgresTestServer.NewStoreAsync(_schema)) { }
        var failure = new FailureRecord(null, null, null, "file:not-a-gif", "/in/notes.gif: missing signature", true, FilePath: "/in/notes.gif");
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            await using var s = new PostgresResultStore(PostgresTestServer.ConnectionString!, _schema);
            for (var k = 0; k < 5; k++) await s.RecordFileFailureAsync(failure, default);
        }));
        await using var check = new PostgresResultStore(PostgresTestServer.ConnectionString!, _schema);
        Assert.Equal(1, (await check.GetStatsAsync(default)).Failures);
    }

    private static async Task<NpgsqlConnection> Connect()
    {
        var conn = new NpgsqlConnection(PostgresTestServer.ConnectionString);
        await conn.OpenAsync();
        return conn;
    }

    private static async Task<Dictionary<string, List<string>>> Columns(string schema)
    {
        await using var conn = await Connect();
        await using var cmd = new NpgsqlCommand(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = @s ORDER BY table_name, ordinal_position;", conn);
        cmd.Parameters.AddWithValue("s", schema);
        var result = new Dictionary<string, List<string>>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            if (!result.TryGetValue(r.GetString(0), out var list)) result[r.GetString(0)] = list = [];
            list.Add(r.GetString(1));
        }
        return result;
    }
}
