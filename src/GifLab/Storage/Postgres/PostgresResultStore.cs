using System.Globalization;
using System.Text.RegularExpressions;
using GifLab.Core.Model;
using Npgsql;
using GifLab.Storage.Merge;
using GifLab.Storage.Schema;
using NpgsqlTypes;
using static GifLab.Storage.Postgres.PostgresSql;

namespace GifLab.Storage.Postgres;

/// <summary>
/// PostgreSQL implementation of <see cref="IResultStore"/>: the same logical schema as the SQLite store (the seed's six
/// tables plus the documented extras and <c>schema_version</c>), created by numbered embedded migrations under an
/// advisory lock so many workers can open the same database at once. Runs are written with binary COPY into a
/// transaction-scoped temp table followed by one upsert (Npgsql COPY doc: an import that is not completed rolls back),
/// both built from <see cref="StoredTables"/>. Every operation is one transaction through <see cref="PostgresDatabase"/>
/// (transient failures retried). All SQL is parameterised. The password never appears in <see cref="Location"/>.
/// </summary>
public sealed partial class PostgresResultStore : IResultStore
{
    /// <summary>Advisory lock key that serialises migrations across processes ("GIFL" as an integer).</summary>
    private const long MigrationLockKey = 0x4749_464C;

    private readonly PostgresDatabase _database;

    /// <param name="connectionString">An Npgsql connection string (password from it, PGPASSWORD or ~/.pgpass).</param>
    /// <param name="schema">Optional PostgreSQL schema to hold the tables (created if missing); default: the search path.</param>
    /// <param name="retryLimit">How long transient failures are retried before giving up (default 60 s).</param>
    /// <param name="readOnly">Only read: <see cref="InitializeAsync"/> checks the schema instead of creating it.</param>
    public PostgresResultStore(string connectionString, string? schema = null, TimeSpan? retryLimit = null, bool readOnly = false)
    {
        ReadOnly = readOnly;
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        if (schema is not null && !SchemaName().IsMatch(schema))
            throw new ArgumentException($"schema '{schema}' must match [a-z_][a-z0-9_]* (max 63 characters)", nameof(schema));
        NpgsqlConnectionStringBuilder csb;
        try { csb = new NpgsqlConnectionStringBuilder(connectionString); }
        catch (ArgumentException e) { throw new StorageUnavailableException("postgres", $"invalid connection string: {e.Message}", e); }
        Schema = schema;
        if (schema is not null) csb.SearchPath = schema;
        csb.ApplicationName ??= "giflab";
        Location = DescribeLocation(csb, schema);
        _database = new PostgresDatabase(csb.ConnectionString, Location, retryLimit ?? TimeSpan.FromSeconds(60));
    }

    public string Location { get; }

    /// <summary>The PostgreSQL schema holding the tables, or null for the connection's search path.</summary>
    public string? Schema { get; }

    public bool ReadOnly { get; }

    /// <summary>Transient failures retried so far (diagnostics).</summary>
    public long TransientRetries => _database.TransientRetries;

    /// <summary>How long transient failures are retried.</summary>
    public TimeSpan RetryLimit => _database.RetryLimit;

    /// <summary>The database, which workers share through the work queue.</summary>
    public PostgresDatabase SharedDatabase => _database;

    /// <summary>One transaction through the database's transient-failure retry.</summary>
    internal Task<T> ExecuteAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> operation, CancellationToken ct) =>
        _database.ExecuteAsync(operation, ct);

    /// <summary>The schema version this build creates.</summary>
    public static int CurrentSchemaVersion => Migrations.Count;

    private static readonly IReadOnlyList<(int Version, string Sql)> Migrations = EmbeddedMigrations.Load("GifLab.Storage.Postgres.");

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();

    /// <summary>A location string without the password: <c>postgres://user@host:port/db[?schema=s]</c>.</summary>
    internal static string DescribeLocation(NpgsqlConnectionStringBuilder csb, string? schema)
    {
        var user = string.IsNullOrEmpty(csb.Username) ? "" : csb.Username + "@";
        var host = string.IsNullOrEmpty(csb.Host) ? "localhost" : csb.Host;
        var s = $"postgres://{user}{host}:{csb.Port.ToString(CultureInfo.InvariantCulture)}/{csb.Database}";
        return schema is null ? s : $"{s}?schema={schema}";
    }

    public Task InitializeAsync(CancellationToken ct) => ReadOnly ? CheckSchemaAsync(ct) : ExecuteAsync(async (conn, ct) =>
    {
        await using var tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false);
        await ExecAsync(conn, tx, "SELECT pg_advisory_xact_lock(@k);", ct, P("k", NpgsqlDbType.Bigint, MigrationLockKey)).ConfigureAwait(false);
        if (Schema is not null)
            await ExecAsync(conn, tx, $"CREATE SCHEMA IF NOT EXISTS \"{Schema}\";", ct).ConfigureAwait(false); // validated identifier
        await ExecAsync(conn, tx, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL);", ct).ConfigureAwait(false);
        var current = Convert.ToInt32(await ScalarAsync(conn, tx, "SELECT COALESCE(MAX(version), 0) FROM schema_version;", ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
        if (current > CurrentSchemaVersion)
            throw new StorageUnavailableException(Location, $"database schema version {current} is newer than this GifLab supports ({CurrentSchemaVersion}); upgrade GifLab");
        foreach (var (version, sql) in Migrations)
        {
            if (version <= current) continue;
            await ExecAsync(conn, tx, sql, ct).ConfigureAwait(false);
            await ExecAsync(conn, tx, "INSERT INTO schema_version(version, applied_at) VALUES (@v, now());", ct, P("v", NpgsqlDbType.Integer, version)).ConfigureAwait(false);
        }
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return 0;
    }, ct);

    private Task CheckSchemaAsync(CancellationToken ct) => ExecuteAsync(async (conn, ct) =>
    {
        var exists = await ScalarAsync(conn, null, "SELECT to_regclass('schema_version') IS NOT NULL;", ct).ConfigureAwait(false);
        if (exists is not true)
            throw new StorageUnavailableException(Location, "no GifLab schema in this database (run `giflab run` against it first)");
        var current = Convert.ToInt32(await ScalarAsync(conn, null, "SELECT COALESCE(MAX(version), 0) FROM schema_version;", ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
        if (current > CurrentSchemaVersion)
            throw new StorageUnavailableException(Location, $"database schema version {current} is newer than this GifLab supports ({CurrentSchemaVersion}); upgrade GifLab");
        return 0;
    }, ct);

    public Task SyncToolsAsync(IEnumerable<ToolRow> tools, CancellationToken ct)
    {
        // Sorted by name so concurrent workers lock rows in the same order (no deadlocks).
        var list = tools.GroupBy(t => t.Name, StringComparer.Ordinal).Select(g => g.Last()).OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        if (list.Count == 0) return Task.CompletedTask;
        return ExecuteAsync(async (conn, ct) =>
        {
            await using var tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false);
            await ExecAsync(conn, tx, """
                INSERT INTO tools(name, category, engine, description, family, available, binary_path, version, unavailable_reason, probed_at)
                SELECT *, now() FROM unnest(@name, @category, @engine, @description, @family, @available, @path, @version, @reason)
                ON CONFLICT(name) DO UPDATE SET category = excluded.category, engine = excluded.engine,
                    description = excluded.description, family = excluded.family, available = excluded.available,
                    binary_path = excluded.binary_path, version = excluded.version,
                    unavailable_reason = excluded.unavailable_reason, probed_at = excluded.probed_at;
                """, ct,
                TextArray("name", list.Select(t => t.Name)), TextArray("category", list.Select(t => t.Category)),
                TextArray("engine", list.Select(t => t.Engine)), TextArray("description", list.Select(t => t.Description)),
                TextArray("family", list.Select(t => t.Family)),
                P("available", NpgsqlDbType.Array | NpgsqlDbType.Boolean, list.Select(t => t.Available).ToArray()),
                TextArray("path", list.Select(t => t.BinaryPath)), TextArray("version", list.Select(t => t.Version)),
                TextArray("reason", list.Select(t => t.UnavailableReason))).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
            return 0;
        }, ct);
    }

    public Task<StoredIds> EnsurePipelinesAndPresetsAsync(IEnumerable<PipelineId> pipelines, IEnumerable<ParamPreset> presets, CancellationToken ct)
    {
        var pipelineList = pipelines.Distinct().OrderBy(p => p.Identifier, StringComparer.Ordinal).ToList();
        var presetList = presets.Distinct().OrderBy(p => p.LossyLevel).ThenBy(p => p.ColorCount).ThenBy(p => p.FrameRatio).ToList();
        return ExecuteAsync(async (conn, ct) =>
        {
            await using var tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false);
            // Tools the pipelines name but SyncTools did not register (e.g. unavailable ones) get a minimal row.
            var tools = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in pipelineList)
            {
                tools.TryAdd(p.FrameTool, ToolCategory.FrameReduction.Name());
                tools.TryAdd(p.ColorTool, ToolCategory.ColorReduction.Name());
                tools.TryAdd(p.LossyTool, ToolCategory.LossyCompression.Name());
            }
            await ExecAsync(conn, tx, "INSERT INTO tools(name, category) SELECT * FROM unnest(@n, @c) ON CONFLICT(name) DO NOTHING;", ct,
                TextArray("n", tools.Keys), TextArray("c", tools.Values)).ConfigureAwait(false);

            await ExecAsync(conn, tx, """
                INSERT INTO pipelines(identifier, frame_tool_id, color_tool_id, lossy_tool_id)
                SELECT v.identifier, f.id, c.id, l.id
                FROM unnest(@id, @f, @c, @l) AS v(identifier, frame, color, lossy)
                JOIN tools f ON f.name = v.frame JOIN tools c ON c.name = v.color JOIN tools l ON l.name = v.lossy
                ORDER BY v.identifier
                ON CONFLICT(identifier) DO NOTHING;
                """, ct,
                TextArray("id", pipelineList.Select(p => p.Identifier)), TextArray("f", pipelineList.Select(p => p.FrameTool)),
                TextArray("c", pipelineList.Select(p => p.ColorTool)), TextArray("l", pipelineList.Select(p => p.LossyTool))).ConfigureAwait(false);
            var byIdentifier = new Dictionary<string, long>(StringComparer.Ordinal);
            await using (var cmd = Command(conn, tx, "SELECT identifier, id FROM pipelines WHERE identifier = ANY(@id);",
                             TextArray("id", pipelineList.Select(p => p.Identifier))))
            await using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
                while (await r.ReadAsync(ct).ConfigureAwait(false)) byIdentifier[r.GetString(0)] = r.GetInt64(1);
            var pipelineIds = pipelineList.ToDictionary(p => p, p => byIdentifier[p.Identifier]);

            var l = presetList.Select(p => p.LossyLevel).ToArray();
            var c = presetList.Select(p => p.ColorCount).ToArray();
            var f = presetList.Select(p => p.FrameRatio).ToArray();
            await ExecAsync(conn, tx, """
                INSERT INTO param_presets(lossy_level, color_count, frame_ratio)
                SELECT * FROM unnest(@l, @c, @f) ON CONFLICT(lossy_level, color_count, frame_ratio) DO NOTHING;
                """, ct, IntArray("l", l), IntArray("c", c), P("f", NpgsqlDbType.Array | NpgsqlDbType.Double, f)).ConfigureAwait(false);
            var presetIds = new Dictionary<ParamPreset, long>();
            var wanted = presetList.ToHashSet();
            await using (var cmd = Command(conn, tx, """
                SELECT p.lossy_level, p.color_count, p.frame_ratio, p.id FROM param_presets p
                JOIN unnest(@l, @c, @f) AS v(l, c, f) ON p.lossy_level = v.l AND p.color_count = v.c AND p.frame_ratio = v.f;
                """, IntArray("l", l), IntArray("c", c), P("f", NpgsqlDbType.Array | NpgsqlDbType.Double, f)))
            await using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
                while (await r.ReadAsync(ct).ConfigureAwait(false))
                {
                    var preset = new ParamPreset(r.GetInt32(0), r.GetInt32(1), r.GetDouble(2));
                    if (wanted.Contains(preset)) presetIds[preset] = r.GetInt64(3);
                }
            await tx.CommitAsync(ct).ConfigureAwait(false);
            return new StoredIds(pipelineIds, presetIds);
        }, ct);
    }

    public Task<(long Id, GifRecord Gif)?> GetGifAsync(string sha256, CancellationToken ct) => ExecuteAsync<(long, GifRecord)?>(async (conn, ct) =>
    {
        await using var cmd = Command(conn, null, """
            SELECT id, sha256, file_name, file_path, file_size_bytes, width, height, frame_count, duration_ms, loop_count,
                   features_json, feature_version, processed_at, decode_status
            FROM gifs WHERE sha256 = @s;
            """, P("s", NpgsqlDbType.Text, sha256));
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await r.ReadAsync(ct).ConfigureAwait(false)) return null;
        var gif = new GifRecord(r.GetString(1), r.GetString(2), NullableString(r, 3), r.GetInt64(4),
            NullableInt(r, 5), NullableInt(r, 6), NullableInt(r, 7), NullableInt(r, 8), NullableInt(r, 9),
            NullableString(r, 10), NullableString(r, 11),
            r.IsDBNull(12) ? null : new DateTimeOffset(r.GetFieldValue<DateTime>(12)),
            NullableString(r, 13) ?? "ok");
        return (r.GetInt64(0), gif);
    }, ct);

    public Task<long> UpsertGifAsync(GifRecord gif, CancellationToken ct) =>
        ExecuteAsync((conn, ct) => PostgresTableWriter.UpsertOneAsync(conn, null, StoredTables.Gifs, gif, ct), ct);

    public Task<IReadOnlyDictionary<(long PipelineId, long PresetId), RunState>> GetRunStatesAsync(long gifId, CancellationToken ct) =>
        ExecuteAsync<IReadOnlyDictionary<(long, long), RunState>>(async (conn, ct) =>
        {
            var states = new Dictionary<(long, long), RunState>();
            await using (var cmd = Command(conn, null, "SELECT pipeline_id, param_preset_id, validation_status, metric_set_version FROM compression_runs WHERE gif_id = @g;",
                             P("g", NpgsqlDbType.Bigint, gifId)))
            await using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
                while (await r.ReadAsync(ct).ConfigureAwait(false))
                    states[(r.GetInt64(0), r.GetInt64(1))] = new RunState(true, NullableString(r, 2), NullableInt(r, 3), null);
            await using (var cmd = Command(conn, null, """
                SELECT pipeline_id, param_preset_id, bool_and(permanent) FROM failures
                WHERE gif_id = @g AND pipeline_id IS NOT NULL AND param_preset_id IS NOT NULL
                GROUP BY pipeline_id, param_preset_id;
                """, P("g", NpgsqlDbType.Bigint, gifId)))
            await using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
                while (await r.ReadAsync(ct).ConfigureAwait(false))
                {
                    var key = (r.GetInt64(0), r.GetInt64(1));
                    var permanent = r.GetBoolean(2);
                    states[key] = states.TryGetValue(key, out var s)
                        ? s with { FailurePermanent = permanent }
                        : new RunState(false, null, null, permanent);
                }
            return states;
        }, ct);

    public Task SaveRunsAsync(IReadOnlyList<RunRecord> runs, CancellationToken ct)
    {
        if (runs.Count == 0) return Task.CompletedTask;
        return ExecuteAsync(async (conn, ct) =>
        {
            await using var tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false);
            await SaveRunsCoreAsync(conn, tx, runs, ct).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
            return 0;
        }, ct);
    }

    /// <summary>
    /// Writes runs inside the caller's transaction: binary COPY into a temp table dropped at commit, one upsert into
    /// compression_runs, deletion of the keys' old failures, then COPY of the new failures. A key repeated in the batch
    /// keeps its last record (as the SQLite store, which applies records in order).
    /// </summary>
    internal static async Task SaveRunsCoreAsync(NpgsqlConnection conn, NpgsqlTransaction tx, IReadOnlyList<RunRecord> runs, CancellationToken ct)
    {
        var last = new Dictionary<(long, long, long), RunRecord>();
        foreach (var run in runs) last[(run.GifId, run.PipelineId, run.PresetId)] = run;
        var batch = last.Values.OrderBy(r => r.GifId).ThenBy(r => r.PipelineId).ThenBy(r => r.PresetId).ToList();

        await PostgresTableWriter.UpsertAsync(conn, tx, StoredTables.Runs, batch, ct).ConfigureAwait(false);
        var written = PostgresTableWriter.BatchTable(StoredTables.Runs);
        await ExecAsync(conn, tx, $"""
            DELETE FROM failures f USING {written} b
            WHERE f.gif_id = b.gif_id AND f.pipeline_id = b.pipeline_id AND f.param_preset_id = b.param_preset_id;
            DROP TABLE {written};
            """, ct).ConfigureAwait(false);

        var failures = batch.Where(r => r.Failure is not null).Select(r => r.Failure!).ToList();
        if (failures.Count > 0) await PostgresTableWriter.CopyAsync(conn, StoredTables.Failures, failures, ct).ConfigureAwait(false);
    }

    public Task RecordFileFailureAsync(FailureRecord failure, CancellationToken ct) => ExecuteAsync(async (conn, ct) =>
    {
        await using var tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false);
        if (failure.FilePath is not null)
        {
            // One row per file: a rerun replaces it rather than appending duplicates. The advisory lock serialises
            // workers recording the same path at once (each would otherwise delete nothing and insert a row).
            await ExecAsync(conn, tx, "SELECT pg_advisory_xact_lock(hashtextextended(@path, 0));", ct,
                P("path", NpgsqlDbType.Text, failure.FilePath)).ConfigureAwait(false);
            await ExecAsync(conn, tx, "DELETE FROM failures WHERE file_path = @path AND pipeline_id IS NULL;", ct,
                P("path", NpgsqlDbType.Text, failure.FilePath)).ConfigureAwait(false);
        }
        await PostgresTableWriter.CopyAsync(conn, StoredTables.Failures, [failure], ct).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return 0;
    }, ct);

    public Task ClearFileFailuresAsync(string filePath, CancellationToken ct) => ExecuteAsync(async (conn, ct) =>
    {
        await ExecAsync(conn, null, "DELETE FROM failures WHERE file_path = @path AND pipeline_id IS NULL;", ct,
            P("path", NpgsqlDbType.Text, filePath)).ConfigureAwait(false);
        return 0;
    }, ct);

    public Task<IReadOnlyList<ShardMergeCounts>> MergeShardsAsync(IReadOnlyList<string> shardPaths, CancellationToken ct) =>
        PostgresShardMerger.MergeAsync(this, shardPaths, ct);

    /// <summary>Null: export, dataset statistics and training data read SQLite databases only.</summary>
    public IDatasetReader? OpenDatasetReader(IReadOnlyList<string> lossyToolOrder) => null;

    public Task<StoreStats> GetStatsAsync(CancellationToken ct) => ExecuteAsync(async (conn, ct) =>
    {
        // One snapshot for all counts.
        await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct).ConfigureAwait(false);
        async Task<long> Count(string sql) => Convert.ToInt64(await ScalarAsync(conn, tx, sql, ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
        async Task<List<NamedCount>> Named(string sql)
        {
            var list = new List<NamedCount>();
            await using var cmd = Command(conn, tx, sql);
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false)) list.Add(new NamedCount(r.IsDBNull(0) ? "(none)" : r.GetString(0), r.GetInt64(1)));
            return list;
        }
        async Task<List<GifRunCount>> PerGif()
        {
            var list = new List<GifRunCount>();
            await using var cmd = Command(conn, tx, "SELECT g.sha256, g.file_name, COUNT(r.id) FROM gifs g LEFT JOIN compression_runs r ON r.gif_id = g.id GROUP BY g.id, g.sha256, g.file_name ORDER BY 3 DESC, 2, 1;");
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false)) list.Add(new GifRunCount(r.GetString(0), r.GetString(1), r.GetInt64(2)));
            return list;
        }
        var perEngine = new List<EngineRunCounts>();
        await using (var cmd = Command(conn, tx, """
            SELECT COALESCE(t.engine, t.name) AS engine, COUNT(*),
                   COUNT(*) FILTER (WHERE r.validation_status = 'valid'), COUNT(*) FILTER (WHERE r.validation_status = 'corrupted'),
                   COUNT(*) FILTER (WHERE r.validation_status = 'error')
            FROM compression_runs r JOIN pipelines p ON p.id = r.pipeline_id JOIN tools t ON t.id = p.lossy_tool_id
            GROUP BY 1 ORDER BY 2 DESC, 1;
            """))
        await using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
            while (await r.ReadAsync(ct).ConfigureAwait(false))
                perEngine.Add(new EngineRunCounts(r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4)));

        var stats = new StoreStats(
            Gifs: await Count("SELECT COUNT(*) FROM gifs;").ConfigureAwait(false),
            GifsWithFeatures: await Count("SELECT COUNT(*) FROM gifs WHERE features_json IS NOT NULL;").ConfigureAwait(false),
            Runs: await Count("SELECT COUNT(*) FROM compression_runs;").ConfigureAwait(false),
            Failures: await Count("SELECT COUNT(*) FROM failures;").ConfigureAwait(false),
            PermanentFailures: await Count("SELECT COUNT(*) FROM failures WHERE permanent;").ConfigureAwait(false),
            TransientFailures: await Count("SELECT COUNT(*) FROM failures WHERE NOT permanent;").ConfigureAwait(false),
            Pipelines: await Count("SELECT COUNT(*) FROM pipelines;").ConfigureAwait(false),
            Presets: await Count("SELECT COUNT(*) FROM param_presets;").ConfigureAwait(false),
            Tools: await Count("SELECT COUNT(*) FROM tools;").ConfigureAwait(false),
            RunsPerEngine: perEngine,
            RunsPerPipeline: await Named("SELECT p.identifier, COUNT(*) FROM compression_runs r JOIN pipelines p ON p.id = r.pipeline_id GROUP BY p.id, p.identifier ORDER BY 2 DESC, 1;").ConfigureAwait(false),
            RunsPerGif: await PerGif().ConfigureAwait(false),
            FailuresByType: await Named("SELECT error_type, COUNT(*) FROM failures GROUP BY error_type ORDER BY 2 DESC, 1;").ConfigureAwait(false));
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return stats;
    }, ct);

    public ValueTask DisposeAsync() => _database.DisposeAsync();
}
