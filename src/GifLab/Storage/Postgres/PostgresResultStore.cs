using System.Globalization;
using System.Text.RegularExpressions;
using GifLab.Core.Model;
using Npgsql;
using NpgsqlTypes;

namespace GifLab.Storage.Postgres;

/// <summary>
/// PostgreSQL implementation of <see cref="IResultStore"/>: the same logical schema as the SQLite store (the seed's six
/// tables plus the documented extras and <c>schema_version</c>), created by numbered embedded migrations under an
/// advisory lock so many workers can open the same database at once. Runs are written with binary COPY into a
/// transaction-scoped temp table followed by one upsert (Npgsql COPY doc: an import that is not completed rolls back).
/// Every operation is one transaction on a pooled connection and is retried with exponential backoff on transient
/// failures (<see cref="PostgresException.IsTransient"/>, serialization failures, deadlocks, connection loss) until
/// <see cref="RetryLimit"/>; then, and for environment errors (authentication, missing database), it throws
/// <see cref="StorageUnavailableException"/>. All SQL is parameterised. The password never appears in <see cref="Location"/>.
/// </summary>
public sealed partial class PostgresResultStore : IResultStore
{
    /// <summary>Advisory lock key that serialises migrations across processes ("GIFL" as an integer).</summary>
    private const long MigrationLockKey = 0x4749_464C;

    private readonly NpgsqlDataSource _dataSource;
    private bool _disposed;

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
        RetryLimit = retryLimit ?? TimeSpan.FromSeconds(60);
        Location = DescribeLocation(csb, schema);
        _dataSource = new NpgsqlDataSourceBuilder(csb.ConnectionString).Build();
    }

    public string Location { get; }

    /// <summary>The PostgreSQL schema holding the tables, or null for the connection's search path.</summary>
    public string? Schema { get; }

    public bool ReadOnly { get; }

    /// <summary>Transient failures retried so far (diagnostics).</summary>
    public long TransientRetries => Interlocked.Read(ref _transientRetries);

    private long _transientRetries;

    /// <summary>How long transient failures are retried.</summary>
    public TimeSpan RetryLimit { get; }

    /// <summary>The schema version this build creates.</summary>
    public static int CurrentSchemaVersion => Migrations.Count;

    private static readonly IReadOnlyList<(int Version, string Sql)> Migrations = LoadMigrations();

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

    private static List<(int, string)> LoadMigrations()
    {
        const string prefix = "GifLab.Storage.Postgres.";
        var asm = typeof(PostgresResultStore).Assembly;
        var list = new List<(int, string)>();
        foreach (var name in asm.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var version = int.Parse(name.AsSpan(prefix.Length, 3), CultureInfo.InvariantCulture);
            using var stream = asm.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            list.Add((version, reader.ReadToEnd()));
        }
        return list;
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

    public Task<long> UpsertGifAsync(GifRecord gif, CancellationToken ct) => ExecuteAsync(async (conn, ct) =>
    {
        await using var cmd = Command(conn, null, """
            INSERT INTO gifs(sha256, file_name, file_path, file_size_bytes, width, height, frame_count, duration_ms, loop_count,
                             features_json, feature_version, processed_at, decode_status, content_type)
            VALUES (@sha, @name, @path, @size, @w, @h, @fc, @dur, @loop, @fj, @fv, @at, @ds, @ct)
            ON CONFLICT(sha256) DO UPDATE SET
                file_name = excluded.file_name, file_path = excluded.file_path, file_size_bytes = excluded.file_size_bytes,
                width = excluded.width, height = excluded.height, frame_count = excluded.frame_count,
                duration_ms = excluded.duration_ms, loop_count = excluded.loop_count,
                features_json = COALESCE(excluded.features_json, gifs.features_json),
                feature_version = COALESCE(excluded.feature_version, gifs.feature_version),
                processed_at = excluded.processed_at, decode_status = excluded.decode_status,
                content_type = COALESCE(excluded.content_type, gifs.content_type)
            RETURNING id;
            """,
            P("sha", NpgsqlDbType.Text, gif.Sha256), P("name", NpgsqlDbType.Text, gif.FileName), P("path", NpgsqlDbType.Text, gif.FilePath),
            P("size", NpgsqlDbType.Bigint, gif.FileSizeBytes), P("w", NpgsqlDbType.Integer, gif.Width), P("h", NpgsqlDbType.Integer, gif.Height),
            P("fc", NpgsqlDbType.Integer, gif.FrameCount), P("dur", NpgsqlDbType.Integer, gif.DurationMs), P("loop", NpgsqlDbType.Integer, gif.LoopCount),
            P("fj", NpgsqlDbType.Text, gif.FeaturesJson), P("fv", NpgsqlDbType.Text, gif.FeatureVersion),
            P("at", NpgsqlDbType.TimestampTz, gif.ProcessedAt?.UtcDateTime), P("ds", NpgsqlDbType.Text, gif.DecodeStatus),
            P("ct", NpgsqlDbType.Text, gif.ContentType));
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }, ct);

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
    /// Stores runs and completes their work-queue claims in one transaction (exactly-once storage for queue workers);
    /// see <see cref="GifLab.Queue.PostgresWorkQueue.SaveRunsAndCompleteAsync"/>.
    /// </summary>
    public Task<GifLab.Queue.CompletionResult> SaveRunsAndCompleteAsync(IReadOnlyList<GifLab.Queue.ClaimedRun> runs, CancellationToken ct) =>
        new GifLab.Queue.PostgresWorkQueue(this).SaveRunsAndCompleteAsync(runs, ct);

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

        await ExecAsync(conn, tx, """
            CREATE TEMP TABLE IF NOT EXISTS giflab_run_batch (
                gif_id BIGINT, pipeline_id BIGINT, param_preset_id BIGINT, output_size_bytes BIGINT, compression_ratio DOUBLE PRECISION,
                metrics_json TEXT, validation_status TEXT, duration_ms BIGINT, metric_set_version INTEGER, validation_json TEXT,
                engine_cpu_ms DOUBLE PRECISION, tool_versions TEXT) ON COMMIT DROP;
            """, ct).ConfigureAwait(false);
        await using (var copy = await conn.BeginBinaryImportAsync(
            "COPY giflab_run_batch (gif_id, pipeline_id, param_preset_id, output_size_bytes, compression_ratio, metrics_json, validation_status, duration_ms, metric_set_version, validation_json, engine_cpu_ms, tool_versions) FROM STDIN (FORMAT BINARY)", ct).ConfigureAwait(false))
        {
            foreach (var r in batch)
            {
                await copy.StartRowAsync(ct).ConfigureAwait(false);
                await copy.WriteAsync(r.GifId, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
                await copy.WriteAsync(r.PipelineId, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
                await copy.WriteAsync(r.PresetId, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
                await WriteNullable(copy, r.OutputSizeBytes, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
                await WriteNullable(copy, r.CompressionRatio, NpgsqlDbType.Double, ct).ConfigureAwait(false);
                await WriteNullable(copy, r.MetricsJson, NpgsqlDbType.Text, ct).ConfigureAwait(false);
                await copy.WriteAsync(r.ValidationStatus, NpgsqlDbType.Text, ct).ConfigureAwait(false);
                await copy.WriteAsync(r.DurationMs, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
                await copy.WriteAsync(r.MetricSetVersion, NpgsqlDbType.Integer, ct).ConfigureAwait(false);
                await WriteNullable(copy, r.ValidationJson, NpgsqlDbType.Text, ct).ConfigureAwait(false);
                await WriteNullable(copy, r.EngineCpuMs, NpgsqlDbType.Double, ct).ConfigureAwait(false);
                await WriteNullable(copy, r.ToolVersionsJson, NpgsqlDbType.Text, ct).ConfigureAwait(false);
            }
            await copy.CompleteAsync(ct).ConfigureAwait(false);
        }
        await ExecAsync(conn, tx, """
            INSERT INTO compression_runs(gif_id, pipeline_id, param_preset_id, output_size_bytes, compression_ratio, metrics_json,
                validation_status, duration_ms, created_at, metric_set_version, validation_json, engine_cpu_ms, tool_versions, giflab_version)
            SELECT gif_id, pipeline_id, param_preset_id, output_size_bytes, compression_ratio, metrics_json,
                validation_status, duration_ms, now(), metric_set_version, validation_json, engine_cpu_ms, tool_versions, @ver
            FROM giflab_run_batch ORDER BY gif_id, pipeline_id, param_preset_id
            ON CONFLICT(gif_id, pipeline_id, param_preset_id) DO UPDATE SET
                output_size_bytes = excluded.output_size_bytes, compression_ratio = excluded.compression_ratio,
                metrics_json = excluded.metrics_json, validation_status = excluded.validation_status,
                duration_ms = excluded.duration_ms, created_at = excluded.created_at,
                metric_set_version = excluded.metric_set_version, validation_json = excluded.validation_json,
                engine_cpu_ms = excluded.engine_cpu_ms, tool_versions = excluded.tool_versions,
                giflab_version = excluded.giflab_version;
            DELETE FROM failures f USING giflab_run_batch b
            WHERE f.gif_id = b.gif_id AND f.pipeline_id = b.pipeline_id AND f.param_preset_id = b.param_preset_id;
            DROP TABLE giflab_run_batch;
            """, ct, P("ver", NpgsqlDbType.Text, GifLabInfo.Version)).ConfigureAwait(false);

        var failures = batch.Where(r => r.Failure is not null).Select(r => r.Failure!).ToList();
        if (failures.Count > 0) await CopyFailuresAsync(conn, failures, ct).ConfigureAwait(false);
    }

    private static async Task CopyFailuresAsync(NpgsqlConnection conn, IReadOnlyList<FailureRecord> failures, CancellationToken ct)
    {
        await using var copy = await conn.BeginBinaryImportAsync(
            "COPY failures (gif_id, pipeline_id, param_preset_id, error_type, error_message, file_path, permanent, command_line) FROM STDIN (FORMAT BINARY)", ct).ConfigureAwait(false);
        foreach (var f in failures)
        {
            await copy.StartRowAsync(ct).ConfigureAwait(false);
            await WriteNullable(copy, f.GifId, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
            await WriteNullable(copy, f.PipelineId, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
            await WriteNullable(copy, f.PresetId, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
            await copy.WriteAsync(f.ErrorType, NpgsqlDbType.Text, ct).ConfigureAwait(false);
            await copy.WriteAsync(f.ErrorMessage, NpgsqlDbType.Text, ct).ConfigureAwait(false);
            await WriteNullable(copy, f.FilePath, NpgsqlDbType.Text, ct).ConfigureAwait(false);
            await copy.WriteAsync(f.Permanent, NpgsqlDbType.Boolean, ct).ConfigureAwait(false);
            await WriteNullable(copy, f.CommandLine, NpgsqlDbType.Text, ct).ConfigureAwait(false);
        }
        await copy.CompleteAsync(ct).ConfigureAwait(false);
    }

    private static Task WriteNullable<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken ct) where T : struct =>
        value is { } v ? copy.WriteAsync(v, type, ct) : copy.WriteNullAsync(ct);

    private static Task WriteNullable(NpgsqlBinaryImporter copy, string? value, NpgsqlDbType type, CancellationToken ct) =>
        value is not null ? copy.WriteAsync(value, type, ct) : copy.WriteNullAsync(ct);

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
        await ExecAsync(conn, tx, """
            INSERT INTO failures(gif_id, pipeline_id, param_preset_id, error_type, error_message, file_path, permanent, command_line)
            VALUES (@g, @p, @r, @type, @msg, @path, @perm, @cl);
            """, ct,
            P("g", NpgsqlDbType.Bigint, failure.GifId), P("p", NpgsqlDbType.Bigint, failure.PipelineId), P("r", NpgsqlDbType.Bigint, failure.PresetId),
            P("type", NpgsqlDbType.Text, failure.ErrorType), P("msg", NpgsqlDbType.Text, failure.ErrorMessage),
            P("path", NpgsqlDbType.Text, failure.FilePath), P("perm", NpgsqlDbType.Boolean, failure.Permanent),
            P("cl", NpgsqlDbType.Text, failure.CommandLine)).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return 0;
    }, ct);

    public Task ClearFileFailuresAsync(string filePath, CancellationToken ct) => ExecuteAsync(async (conn, ct) =>
    {
        await ExecAsync(conn, null, "DELETE FROM failures WHERE file_path = @path AND pipeline_id IS NULL;", ct,
            P("path", NpgsqlDbType.Text, filePath)).ConfigureAwait(false);
        return 0;
    }, ct);

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
            RunsPerGif: await Named("SELECT g.file_name, COUNT(r.id) FROM gifs g LEFT JOIN compression_runs r ON r.gif_id = g.id GROUP BY g.id, g.file_name ORDER BY 2 DESC, 1;").ConfigureAwait(false),
            FailuresByType: await Named("SELECT error_type, COUNT(*) FROM failures GROUP BY error_type ORDER BY 2 DESC, 1;").ConfigureAwait(false));
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return stats;
    }, ct);

    /// <summary>
    /// Runs one operation (one transaction) on a pooled connection, retrying transient failures with exponential
    /// backoff and jitter. The operation must be safe to repeat: a retried transaction was rolled back, or (when the
    /// connection died during COMMIT) committed, so every write in this store is an idempotent upsert.
    /// </summary>
    internal async Task<T> ExecuteAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> operation, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var started = DateTime.UtcNow;
        var delay = TimeSpan.FromMilliseconds(50);
        var attempt = 0;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            attempt++;
            try
            {
                await using var conn = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
                return await operation(conn, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (IsTransient(e) && !ct.IsCancellationRequested)
            {
                var waited = DateTime.UtcNow - started;
                if (waited + delay > RetryLimit)
                    throw new StorageUnavailableException(Location,
                        $"PostgreSQL kept failing with transient errors; gave up after {attempt} attempts in {waited.TotalSeconds:0.#} s (limit {RetryLimit.TotalSeconds:0} s): {Describe(e)}", e);
                Interlocked.Increment(ref _transientRetries);
                var jitter = 0.5 + Random.Shared.NextDouble() * 0.5;
                await Task.Delay(delay * jitter, ct).ConfigureAwait(false);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 2000));
            }
            catch (PostgresException e) when (IsEnvironment(e))
            {
                throw new StorageUnavailableException(Location, Describe(e), e);
            }
            catch (NpgsqlException e) when (e is not PostgresException)
            {
                throw new StorageUnavailableException(Location, Describe(e), e);
            }
        }
    }

    /// <summary>Whether a failure is worth retrying: Npgsql's own verdict, serialization failures, deadlocks, connection loss.</summary>
    internal static bool IsTransient(Exception e) => e switch
    {
        PostgresException pe => pe.IsTransient || pe.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected
                                 || pe.SqlState.StartsWith("08", StringComparison.Ordinal),
        NpgsqlException ne => ne.IsTransient || ne.InnerException is IOException or System.Net.Sockets.SocketException or TimeoutException,
        _ => false,
    };

    /// <summary>Errors of the environment rather than of GifLab: authentication, missing database, no permission, disk full.</summary>
    private static bool IsEnvironment(PostgresException e) =>
        e.SqlState.StartsWith("28", StringComparison.Ordinal)      // invalid authorization
        || e.SqlState.StartsWith("3D", StringComparison.Ordinal)   // invalid catalog (database does not exist)
        || e.SqlState.StartsWith("53", StringComparison.Ordinal)   // insufficient resources (disk full, out of memory)
        || e.SqlState == PostgresErrorCodes.InsufficientPrivilege
        || e.SqlState == PostgresErrorCodes.ReadOnlySqlTransaction;

    private static string Describe(Exception e) => e switch
    {
        PostgresException pe => $"{pe.SqlState}: {pe.MessageText}",
        _ => e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message,
    };

    internal static NpgsqlParameter P(string name, NpgsqlDbType type, object? value) =>
        new(name, type) { Value = value ?? DBNull.Value };

    private static NpgsqlParameter TextArray(string name, IEnumerable<string?> values) =>
        P(name, NpgsqlDbType.Array | NpgsqlDbType.Text, values.ToArray());

    private static NpgsqlParameter IntArray(string name, int[] values) => P(name, NpgsqlDbType.Array | NpgsqlDbType.Integer, values);

    internal static NpgsqlCommand Command(NpgsqlConnection conn, NpgsqlTransaction? tx, string sql, params NpgsqlParameter[] parameters)
    {
        var cmd = new NpgsqlCommand(sql, conn, tx);
        cmd.Parameters.AddRange(parameters);
        return cmd;
    }

    internal static async Task<int> ExecAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string sql, CancellationToken ct, params NpgsqlParameter[] parameters)
    {
        await using var cmd = Command(conn, tx, sql, parameters);
        return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    internal static async Task<object?> ScalarAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string sql, CancellationToken ct, params NpgsqlParameter[] parameters)
    {
        await using var cmd = Command(conn, tx, sql, parameters);
        return await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false);
    }

    private static string? NullableString(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
    private static int? NullableInt(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt32(i);

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }
}
