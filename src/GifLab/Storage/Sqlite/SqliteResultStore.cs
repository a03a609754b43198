using System.Data;
using System.Globalization;
using System.Reflection;
using GifLab.Core.Model;
using GifLab.Storage.Merge;
using GifLab.Storage.Postgres;
using GifLab.Storage.Schema;
using Microsoft.Data.Sqlite;
using static GifLab.Storage.Sqlite.SqliteSql;

namespace GifLab.Storage.Sqlite;

/// <summary>
/// SQLite implementation of <see cref="IResultStore"/>: WAL mode, a busy timeout, and retry with exponential backoff
/// on <c>database is locked</c> (SQLITE_BUSY / SQLITE_LOCKED) that gives up after <see cref="LockTimeout"/> with a
/// <see cref="StorageUnavailableException"/>. One connection per store, used by one operation at a time.
/// </summary>
public sealed class SqliteResultStore : IResultStore
{
    private const int SqliteBusy = 5, SqliteLocked = 6, SqliteReadOnly = 8, SqliteIoErr = 10, SqliteCorrupt = 11,
                      SqliteFull = 13, SqliteCantOpen = 14, SqliteNotADb = 26;

    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _disposed;

    public SqliteResultStore(string path, TimeSpan? lockTimeout = null, bool readOnly = false)
    {
        Location = path;
        LockTimeout = lockTimeout ?? TimeSpan.FromSeconds(30);
        ReadOnly = readOnly;
        if (!readOnly)
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(dir))
            {
                try { Directory.CreateDirectory(dir); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new StorageUnavailableException(path, $"cannot create the database folder: {e.Message}", e);
                }
            }
        }
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            // Microsoft.Data.Sqlite retries SQLITE_BUSY internally until this many seconds pass; keep it short so our
            // own backoff loop (which reports clearly and honours cancellation) is in charge.
            DefaultTimeout = 1,
        };
        _connection = new SqliteConnection(builder.ToString());
    }

    public string Location { get; }

    /// <summary>How long a locked database is retried before giving up.</summary>
    public TimeSpan LockTimeout { get; }

    public bool ReadOnly { get; }

    /// <summary>The schema version this build creates.</summary>
    public static int CurrentSchemaVersion => Migrations.Count;

    private static readonly IReadOnlyList<(int Version, string Sql)> Migrations = EmbeddedMigrations.Load("GifLab.Storage.Sqlite.");

    public async Task InitializeAsync(CancellationToken ct)
    {
        // A database written by an older GifLab lacks the newer columns the readers select (e.g. command_lines): a
        // read-only command brings its schema up to date first, through one short read-write open (migrations only add
        // columns and tables; the data are untouched), so `train`, `export` or `stats` work on an old database.
        if (ReadOnly && await RunAsync<int>(StoredSchemaVersion, ct).ConfigureAwait(false) is var stored
            && stored > 0 && stored < CurrentSchemaVersion)
        {
            await using var upgrade = new SqliteResultStore(Location, LockTimeout);
            await upgrade.InitializeAsync(ct).ConfigureAwait(false);
        }
        await InitializeConnectionAsync(ct).ConfigureAwait(false);
    }

    /// <summary>The highest applied migration (0 when the database has no schema_version table).</summary>
    private static int StoredSchemaVersion(SqliteConnection conn)
    {
        if (Scalar(conn, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version';") is not long n || n == 0) return 0;
        return Convert.ToInt32(Scalar(conn, "SELECT COALESCE(MAX(version), 0) FROM schema_version;"), CultureInfo.InvariantCulture);
    }

    private Task InitializeConnectionAsync(CancellationToken ct) => RunAsync(conn =>
    {
        Exec(conn, "PRAGMA busy_timeout = 250;");
        if (ReadOnly)
        {
            Exec(conn, "PRAGMA query_only = ON;");
            return 0;
        }
        var mode = Scalar(conn, "PRAGMA journal_mode = WAL;")?.ToString();
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            throw new StorageUnavailableException(Location, $"could not enable WAL mode (journal_mode={mode})");
        Exec(conn, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");
        using var tx = conn.BeginTransaction(deferred: false);
        Exec(conn, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL);", tx);
        var current = Convert.ToInt32(Scalar(conn, "SELECT COALESCE(MAX(version), 0) FROM schema_version;", tx), CultureInfo.InvariantCulture);
        if (current > CurrentSchemaVersion)
            throw new StorageUnavailableException(Location, $"database schema version {current} is newer than this GifLab supports ({CurrentSchemaVersion}); upgrade GifLab");
        foreach (var (version, sql) in Migrations)
        {
            if (version <= current) continue;
            Exec(conn, sql, tx);
            using var cmd = Command(conn, "INSERT INTO schema_version(version, applied_at) VALUES ($v, $t);", tx);
            cmd.Parameters.AddWithValue("$v", version);
            cmd.Parameters.AddWithValue("$t", Now());
            cmd.ExecuteNonQuery();
        }
        tx.Commit();
        return 0;
    }, ct);

    public Task SyncToolsAsync(IEnumerable<ToolRow> tools, CancellationToken ct)
    {
        var list = tools.ToList();
        return RunAsync(conn =>
        {
            using var tx = conn.BeginTransaction(deferred: false);
            using var cmd = Command(conn, """
                INSERT INTO tools(name, category, engine, description, family, available, binary_path, version, unavailable_reason, probed_at)
                VALUES ($name, $category, $engine, $description, $family, $available, $path, $version, $reason, $at)
                ON CONFLICT(name) DO UPDATE SET category = excluded.category, engine = excluded.engine,
                    description = excluded.description, family = excluded.family, available = excluded.available,
                    binary_path = excluded.binary_path, version = excluded.version,
                    unavailable_reason = excluded.unavailable_reason, probed_at = excluded.probed_at;
                """, tx);
            var p = AddParams(cmd, "$name", "$category", "$engine", "$description", "$family", "$available", "$path", "$version", "$reason", "$at");
            var now = Now();
            foreach (var t in list)
            {
                Set(p, t.Name, t.Category, t.Engine, t.Description, t.Family, t.Available ? 1 : 0, t.BinaryPath, t.Version, t.UnavailableReason, now);
                cmd.ExecuteNonQuery();
            }
            tx.Commit();
            return 0;
        }, ct);
    }

    public Task<StoredIds> EnsurePipelinesAndPresetsAsync(IEnumerable<PipelineId> pipelines, IEnumerable<ParamPreset> presets, CancellationToken ct)
    {
        var pipelineList = pipelines.Distinct().ToList();
        var presetList = presets.Distinct().ToList();
        return RunAsync(conn =>
        {
            using var tx = conn.BeginTransaction(deferred: false);
            var toolIds = new Dictionary<string, long>(StringComparer.Ordinal);
            using (var q = Command(conn, "SELECT name, id FROM tools;", tx))
            using (var r = q.ExecuteReader())
                while (r.Read()) toolIds[r.GetString(0)] = r.GetInt64(1);

            using var ensureTool = Command(conn, "INSERT INTO tools(name, category) VALUES ($n, $c) ON CONFLICT(name) DO NOTHING;", tx);
            var tp = AddParams(ensureTool, "$n", "$c");
            long ToolId(string name, ToolCategory category)
            {
                if (toolIds.TryGetValue(name, out var id)) return id;
                Set(tp, name, category.Name());
                ensureTool.ExecuteNonQuery();
                using var sel = Command(conn, "SELECT id FROM tools WHERE name = $n;", tx);
                sel.Parameters.AddWithValue("$n", name);
                return toolIds[name] = Convert.ToInt64(sel.ExecuteScalar(), CultureInfo.InvariantCulture);
            }

            var pipelineIds = new Dictionary<PipelineId, long>();
            using var insP = Command(conn, """
                INSERT INTO pipelines(identifier, frame_tool_id, color_tool_id, lossy_tool_id) VALUES ($id, $f, $c, $l)
                ON CONFLICT(identifier) DO NOTHING;
                """, tx);
            var pp = AddParams(insP, "$id", "$f", "$c", "$l");
            using var selP = Command(conn, "SELECT id FROM pipelines WHERE identifier = $id;", tx);
            var sp = selP.Parameters.Add("$id", SqliteType.Text);
            foreach (var p in pipelineList)
            {
                Set(pp, p.Identifier, ToolId(p.FrameTool, ToolCategory.FrameReduction), ToolId(p.ColorTool, ToolCategory.ColorReduction), ToolId(p.LossyTool, ToolCategory.LossyCompression));
                insP.ExecuteNonQuery();
                sp.Value = p.Identifier;
                pipelineIds[p] = Convert.ToInt64(selP.ExecuteScalar(), CultureInfo.InvariantCulture);
            }

            var presetIds = new Dictionary<ParamPreset, long>();
            using var insR = Command(conn, """
                INSERT INTO param_presets(lossy_level, color_count, frame_ratio) VALUES ($l, $c, $f)
                ON CONFLICT(lossy_level, color_count, frame_ratio) DO NOTHING;
                """, tx);
            var rp = AddParams(insR, "$l", "$c", "$f");
            using var selR = Command(conn, "SELECT id FROM param_presets WHERE lossy_level = $l AND color_count = $c AND frame_ratio = $f;", tx);
            var srp = AddParams(selR, "$l", "$c", "$f");
            foreach (var p in presetList)
            {
                Set(rp, p.LossyLevel, p.ColorCount, p.FrameRatio);
                insR.ExecuteNonQuery();
                Set(srp, p.LossyLevel, p.ColorCount, p.FrameRatio);
                presetIds[p] = Convert.ToInt64(selR.ExecuteScalar(), CultureInfo.InvariantCulture);
            }
            tx.Commit();
            return new StoredIds(pipelineIds, presetIds);
        }, ct);
    }

    public Task<(long Id, GifRecord Gif)?> GetGifAsync(string sha256, CancellationToken ct) => RunAsync<(long, GifRecord)?>(conn =>
    {
        using var cmd = Command(conn, """
            SELECT id, sha256, file_name, file_path, file_size_bytes, width, height, frame_count, duration_ms, loop_count,
                   features_json, feature_version, processed_at, decode_status
            FROM gifs WHERE sha256 = $s;
            """);
        cmd.Parameters.AddWithValue("$s", sha256);
        using var r = cmd.ExecuteReader();
        if (!r.Read()) return null;
        var gif = new GifRecord(r.GetString(1), r.GetString(2), NullableString(r, 3), r.GetInt64(4),
            NullableInt(r, 5), NullableInt(r, 6), NullableInt(r, 7), NullableInt(r, 8), NullableInt(r, 9),
            NullableString(r, 10), NullableString(r, 11),
            r.IsDBNull(12) ? null : DateTimeOffset.Parse(r.GetString(12), CultureInfo.InvariantCulture),
            NullableString(r, 13) ?? "ok");
        return (r.GetInt64(0), gif);
    }, ct);

    public Task<long> UpsertGifAsync(GifRecord gif, CancellationToken ct) => RunAsync(conn =>
    {
        using var tx = conn.BeginTransaction(deferred: false);
        using (var writer = new SqliteTableWriter<GifRecord>(conn, tx, StoredTables.Gifs))
            writer.Write(gif, Now());
        using var sel = Command(conn, "SELECT id FROM gifs WHERE sha256 = $sha;", tx);
        sel.Parameters.AddWithValue("$sha", gif.Sha256);
        var id = Convert.ToInt64(sel.ExecuteScalar(), CultureInfo.InvariantCulture);
        tx.Commit();
        return id;
    }, ct);

    public Task<IReadOnlyDictionary<(long PipelineId, long PresetId), RunState>> GetRunStatesAsync(long gifId, CancellationToken ct) =>
        RunAsync<IReadOnlyDictionary<(long, long), RunState>>(conn =>
        {
            var states = new Dictionary<(long, long), RunState>();
            using (var cmd = Command(conn, "SELECT pipeline_id, param_preset_id, validation_status, metric_set_version FROM compression_runs WHERE gif_id = $g;"))
            {
                cmd.Parameters.AddWithValue("$g", gifId);
                using var r = cmd.ExecuteReader();
                while (r.Read())
                    states[(r.GetInt64(0), r.GetInt64(1))] = new RunState(true, NullableString(r, 2), NullableInt(r, 3), null);
            }
            using (var cmd = Command(conn, """
                SELECT pipeline_id, param_preset_id, MIN(permanent) FROM failures
                WHERE gif_id = $g AND pipeline_id IS NOT NULL AND param_preset_id IS NOT NULL
                GROUP BY pipeline_id, param_preset_id;
                """))
            {
                cmd.Parameters.AddWithValue("$g", gifId);
                using var r = cmd.ExecuteReader();
                while (r.Read())
                {
                    var key = (r.GetInt64(0), r.GetInt64(1));
                    var permanent = r.GetInt64(2) != 0;
                    states[key] = states.TryGetValue(key, out var s)
                        ? s with { FailurePermanent = permanent }
                        : new RunState(false, null, null, permanent);
                }
            }
            return states;
        }, ct);

    public Task SaveRunsAsync(IReadOnlyList<RunRecord> runs, CancellationToken ct)
    {
        if (runs.Count == 0) return Task.CompletedTask;
        return RunAsync(conn =>
        {
            using var tx = conn.BeginTransaction(deferred: false);
            using var runWriter = new SqliteTableWriter<RunRecord>(conn, tx, StoredTables.Runs);
            using var failureWriter = new SqliteTableWriter<FailureRecord>(conn, tx, StoredTables.Failures);
            using var del = Command(conn, "DELETE FROM failures WHERE gif_id = $g AND pipeline_id = $p AND param_preset_id = $r;", tx);
            var dp = AddParams(del, "$g", "$p", "$r");
            var now = Now();
            foreach (var run in runs)
            {
                runWriter.Write(run, now);
                Set(dp, run.GifId, run.PipelineId, run.PresetId);
                del.ExecuteNonQuery();
                if (run.Failure is { } f) failureWriter.Write(f, now);
            }
            tx.Commit();
            return 0;
        }, ct);
    }

    public Task RecordFileFailureAsync(FailureRecord failure, CancellationToken ct) => RunAsync(conn =>
    {
        using var tx = conn.BeginTransaction(deferred: false);
        if (failure.FilePath is not null)
        {
            // One row per file: a rerun replaces it rather than appending duplicates.
            using var del = Command(conn, "DELETE FROM failures WHERE file_path = $path AND pipeline_id IS NULL;", tx);
            del.Parameters.AddWithValue("$path", failure.FilePath);
            del.ExecuteNonQuery();
        }
        using (var writer = new SqliteTableWriter<FailureRecord>(conn, tx, StoredTables.Failures))
            writer.Write(failure, Now());
        tx.Commit();
        return 0;
    }, ct);

    public Task ClearFileFailuresAsync(string filePath, CancellationToken ct) => RunAsync(conn =>
    {
        using var del = Command(conn, "DELETE FROM failures WHERE file_path = $path AND pipeline_id IS NULL;");
        del.Parameters.AddWithValue("$path", filePath);
        return del.ExecuteNonQuery();
    }, ct);

    /// <summary>Null: a SQLite file belongs to one process at a time (parallel machines write shards and merge them).</summary>
    public PostgresDatabase? SharedDatabase => null;

    public Task<IReadOnlyList<ShardMergeCounts>> MergeShardsAsync(IReadOnlyList<string> shardPaths, CancellationToken ct) =>
        ShardMerger.MergeAsync(Location, shardPaths, ct);

    public IDatasetReader OpenDatasetReader(IReadOnlyList<string> lossyToolOrder) => new SqliteDatasetReader(Location, lossyToolOrder);

    public Task<StoreStats> GetStatsAsync(CancellationToken ct) => RunAsync(SqliteStoreStats.Read, ct);

    /// <summary>Runs an operation on the connection, retrying while the database is locked.</summary>
    private async Task<T> RunAsync<T>(Func<SqliteConnection, T> operation, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            // SQLite calls block; never run them on the caller's thread (a caller may be a UI/progress loop or a test
            // that must stay responsive while the database is locked).
            await Task.Yield();
            var started = DateTime.UtcNow;
            var delay = TimeSpan.FromMilliseconds(25);
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                try
                {
                    if (_connection.State != ConnectionState.Open) Open();
                    return operation(_connection);
                }
                catch (SqliteException e) when (e.SqliteErrorCode is SqliteBusy or SqliteLocked)
                {
                    var waited = DateTime.UtcNow - started;
                    if (waited + delay > LockTimeout)
                        throw new StorageUnavailableException(Location,
                            $"database is locked by another process; gave up after {waited.TotalSeconds:0.#} s of retries (limit {LockTimeout.TotalSeconds:0} s). Nothing already committed was lost.", e);
                    await Task.Delay(delay, ct).ConfigureAwait(false);
                    delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 1000));
                }
                catch (SqliteException e) when (e.SqliteErrorCode is SqliteReadOnly or SqliteIoErr or SqliteCorrupt or SqliteFull or SqliteCantOpen or SqliteNotADb)
                {
                    throw new StorageUnavailableException(Location, Describe(e), e);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private Task RunAsync(Func<SqliteConnection, int> operation, CancellationToken ct) => RunAsync<int>(operation, ct);

    private void Open()
    {
        _connection.Open();
        Exec(_connection, "PRAGMA busy_timeout = 250; PRAGMA foreign_keys = ON;");
    }

    private static string Describe(SqliteException e) => e.SqliteErrorCode switch
    {
        SqliteFull => "disk full: the database could not be written (nothing committed was lost; free space and rerun)",
        SqliteReadOnly => "the database (or its folder) is read-only",
        SqliteCantOpen => "the database file cannot be opened (missing folder or no permission)",
        SqliteCorrupt or SqliteNotADb => "the file is not a valid SQLite database or is corrupt",
        _ => $"I/O error: {e.Message}",
    };

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _disposed = true;
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }
}
