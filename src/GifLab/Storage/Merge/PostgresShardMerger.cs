using System.Globalization;
using GifLab.Storage.Postgres;
using GifLab.Storage.Schema;
using GifLab.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using static GifLab.Storage.Postgres.PostgresSql;

namespace GifLab.Storage.Merge;

/// <summary>
/// Merges SQLite shard databases into a PostgreSQL GifLab database with the same rules as <see cref="ShardMerger"/>
/// (natural keys, newer wins, failures without duplicates, one transaction per input, idempotent). Each input is read
/// through natural-key queries, loaded into transaction-scoped temp tables and merged with set-based SQL.
/// </summary>
public static class PostgresShardMerger
{
    private static readonly Table<GifRecord> Gifs = StoredTables.Gifs;
    private static readonly Table<RunRecord> Runs = StoredTables.Runs;
    private static readonly Table<FailureRecord> Failures = StoredTables.Failures;

    /// <summary>The natural key a shard's run or failure row is read with (instead of its row ids).</summary>
    private const string NaturalKey = "sha256 TEXT, identifier TEXT, lossy_level INTEGER, color_count INTEGER, frame_ratio DOUBLE PRECISION";

    private static string Definitions<TRow>(Table<TRow> table) => string.Join(", ", table.Data.Select(c => $"{c.Name} {c.Type.Postgres()}"));

    /// <summary>The data columns as merged: a NULL where the column has a merge default becomes the default.</summary>
    private static string Values<TRow>(Table<TRow> table, string prefix) =>
        string.Join(", ", table.Data.Select(c => c.MergeDefault is { } d ? $"COALESCE({prefix}{c.Name}, {d})" : prefix + c.Name));

    public static async Task<IReadOnlyList<ShardMergeCounts>> MergeAsync(PostgresResultStore output, IReadOnlyList<string> inputs, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfZero(inputs.Count);
        foreach (var input in inputs)
            if (!File.Exists(input)) throw new StorageUnavailableException(input, "input database does not exist");
        ShardCheck.VerifyAll(inputs);
        await output.InitializeAsync(ct).ConfigureAwait(false);
        var results = new List<ShardMergeCounts>();
        foreach (var input in inputs)
        {
            Shard shard;
            try { shard = Read(input); }
            catch (SqliteException e) { throw new StorageUnavailableException(input, $"cannot read this shard ({e.Message}); nothing of it was merged", e); }
            try { results.Add(await output.ExecuteAsync((conn, ct) => MergeOneAsync(conn, input, shard, ct), ct).ConfigureAwait(false)); }
            catch (PostgresException e) when (e.SqlState.StartsWith("23", StringComparison.Ordinal))
            {
                // A constraint violation (NOT NULL, unique, foreign key) from damaged shard rows: its transaction rolled back.
                throw new StorageUnavailableException(input, $"merging this shard failed and was rolled back ({e.SqlState}: {e.MessageText}); earlier inputs stay merged", e);
            }
        }
        return results;
    }

    private sealed record Shard(
        List<object?[]> Tools, List<object?[]> Pipelines, List<object?[]> Presets, List<object?[]> Gifs, List<object?[]> Runs, List<object?[]> Failures);

    private static Shard Read(string input)
    {
        using var conn = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = input, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        try
        {
            conn.Open();
            var version = Convert.ToInt32(Scalar(conn, "SELECT COALESCE(MAX(version), 0) FROM schema_version;"), CultureInfo.InvariantCulture);
            if (version != SqliteResultStore.CurrentSchemaVersion)
                throw new StorageUnavailableException(input, $"schema version {version} differs from this GifLab's {SqliteResultStore.CurrentSchemaVersion}; merge with the GifLab version that wrote it");
        }
        catch (SqliteException e)
        {
            throw new StorageUnavailableException(input, $"not a readable GifLab SQLite database: {e.Message}", e);
        }
        const string preset = "pr.lossy_level, pr.color_count, pr.frame_ratio";
        return new Shard(
            Rows(conn, "SELECT name, category, engine, description, family, available, binary_path, version, unavailable_reason, probed_at FROM tools ORDER BY name;"),
            Rows(conn, """
                SELECT p.identifier, f.name, c.name, l.name FROM pipelines p
                LEFT JOIN tools f ON f.id = p.frame_tool_id LEFT JOIN tools c ON c.id = p.color_tool_id LEFT JOIN tools l ON l.id = p.lossy_tool_id
                ORDER BY p.identifier;
                """),
            Rows(conn, "SELECT lossy_level, color_count, frame_ratio FROM param_presets;"),
            Rows(conn, $"SELECT {Table<GifRecord>.List(Gifs.Columns)} FROM gifs ORDER BY sha256;"),
            Rows(conn, $"""
                SELECT g.sha256, p.identifier, {preset}, {Table<RunRecord>.List(Runs.Data, "r.")}
                FROM compression_runs r JOIN gifs g ON g.id = r.gif_id JOIN pipelines p ON p.id = r.pipeline_id
                JOIN param_presets pr ON pr.id = r.param_preset_id;
                """),
            Rows(conn, $"""
                SELECT g.sha256, p.identifier, {preset}, {Table<FailureRecord>.List(Failures.Data, "f.")}
                FROM failures f LEFT JOIN gifs g ON g.id = f.gif_id LEFT JOIN pipelines p ON p.id = f.pipeline_id
                LEFT JOIN param_presets pr ON pr.id = f.param_preset_id;
                """));
    }

    private static async Task<ShardMergeCounts> MergeOneAsync(NpgsqlConnection conn, string input, Shard s, CancellationToken ct)
    {
        await using var tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false);
        await ExecAsync(conn, tx, $"""
            CREATE TEMP TABLE m_tools (name TEXT, category TEXT, engine TEXT, description TEXT, family TEXT, available BOOLEAN,
                binary_path TEXT, version TEXT, unavailable_reason TEXT, probed_at TIMESTAMPTZ) ON COMMIT DROP;
            CREATE TEMP TABLE m_pipelines (identifier TEXT, frame TEXT, color TEXT, lossy TEXT) ON COMMIT DROP;
            CREATE TEMP TABLE m_presets (lossy_level INTEGER, color_count INTEGER, frame_ratio DOUBLE PRECISION) ON COMMIT DROP;
            CREATE TEMP TABLE m_gifs ({Definitions(Gifs)}) ON COMMIT DROP;
            CREATE TEMP TABLE m_runs ({NaturalKey}, {Definitions(Runs)}) ON COMMIT DROP;
            CREATE TEMP TABLE m_failures ({NaturalKey}, {Definitions(Failures)}) ON COMMIT DROP;
            """, ct).ConfigureAwait(false);

        NpgsqlDbType T = NpgsqlDbType.Text, B = NpgsqlDbType.Boolean, I = NpgsqlDbType.Integer,
                     D = NpgsqlDbType.Double, Ts = NpgsqlDbType.TimestampTz;
        await CopyAsync(conn, "m_tools", s.Tools, [T, T, T, T, T, B, T, T, T, Ts], ct).ConfigureAwait(false);
        await CopyAsync(conn, "m_pipelines", s.Pipelines, [T, T, T, T], ct).ConfigureAwait(false);
        await CopyAsync(conn, "m_presets", s.Presets, [I, I, D], ct).ConfigureAwait(false);
        await CopyAsync(conn, "m_gifs", s.Gifs, [.. Gifs.Columns.Select(c => c.Type.Npgsql())], ct).ConfigureAwait(false);
        await CopyAsync(conn, "m_runs", s.Runs, [T, T, I, I, D, .. Runs.Data.Select(c => c.Type.Npgsql())], ct).ConfigureAwait(false);
        await CopyAsync(conn, "m_failures", s.Failures, [T, T, I, I, D, .. Failures.Data.Select(c => c.Type.Npgsql())], ct).ConfigureAwait(false);

        var tools = await ExecAsync(conn, tx, """
            INSERT INTO tools(name, category, engine, description, family, available, binary_path, version, unavailable_reason, probed_at)
            SELECT * FROM m_tools ORDER BY name
            ON CONFLICT(name) DO UPDATE SET category = excluded.category, engine = excluded.engine, description = excluded.description,
                family = excluded.family, available = excluded.available, binary_path = excluded.binary_path, version = excluded.version,
                unavailable_reason = excluded.unavailable_reason, probed_at = excluded.probed_at
            WHERE excluded.probed_at > tools.probed_at OR (tools.probed_at IS NULL AND excluded.probed_at IS NOT NULL);
            """, ct).ConfigureAwait(false);
        var pipelines = await ExecAsync(conn, tx, """
            INSERT INTO pipelines(identifier, frame_tool_id, color_tool_id, lossy_tool_id)
            SELECT v.identifier, f.id, c.id, l.id FROM m_pipelines v
            LEFT JOIN tools f ON f.name = v.frame LEFT JOIN tools c ON c.name = v.color LEFT JOIN tools l ON l.name = v.lossy
            ORDER BY v.identifier
            ON CONFLICT(identifier) DO NOTHING;
            """, ct).ConfigureAwait(false);
        var presets = await ExecAsync(conn, tx, """
            INSERT INTO param_presets(lossy_level, color_count, frame_ratio)
            SELECT DISTINCT v.lossy_level, v.color_count, v.frame_ratio FROM m_presets v
            WHERE NOT EXISTS (SELECT 1 FROM param_presets m WHERE m.lossy_level IS NOT DISTINCT FROM v.lossy_level
                              AND m.color_count IS NOT DISTINCT FROM v.color_count AND m.frame_ratio IS NOT DISTINCT FROM v.frame_ratio)
            ON CONFLICT DO NOTHING;
            """, ct).ConfigureAwait(false);
        var gifs = await ExecAsync(conn, tx, $"""
            INSERT INTO gifs({Table<GifRecord>.List(Gifs.Columns)})
            SELECT {Values(Gifs, "")} FROM m_gifs ORDER BY sha256
            {Gifs.MergeConflictUpdate}
            WHERE excluded.processed_at > gifs.processed_at
               OR (gifs.processed_at IS NULL AND excluded.processed_at IS NOT NULL)
               OR (gifs.features_json IS NULL AND excluded.features_json IS NOT NULL);
            """, ct).ConfigureAwait(false);
        var runs = await ExecAsync(conn, tx, $"""
            INSERT INTO compression_runs({Table<RunRecord>.List(Runs.Columns)})
            SELECT g.id, p.id, pr.id, {Values(Runs, "r.")}
            FROM m_runs r JOIN gifs g ON g.sha256 = r.sha256 JOIN pipelines p ON p.identifier = r.identifier
            JOIN param_presets pr ON pr.lossy_level IS NOT DISTINCT FROM r.lossy_level AND pr.color_count IS NOT DISTINCT FROM r.color_count
                                 AND pr.frame_ratio IS NOT DISTINCT FROM r.frame_ratio
            ORDER BY g.id, p.id, pr.id
            {Runs.MergeConflictUpdate}
            WHERE excluded.created_at > compression_runs.created_at;
            """, ct).ConfigureAwait(false);
        var failures = await ExecAsync(conn, tx, $"""
            INSERT INTO failures({Table<FailureRecord>.List(Failures.Columns)})
            SELECT g.id, p.id, pr.id, {Values(Failures, "f.")}
            FROM m_failures f
            LEFT JOIN gifs g ON g.sha256 = f.sha256 LEFT JOIN pipelines p ON p.identifier = f.identifier
            LEFT JOIN param_presets pr ON f.identifier IS NOT NULL AND pr.lossy_level IS NOT DISTINCT FROM f.lossy_level
                 AND pr.color_count IS NOT DISTINCT FROM f.color_count AND pr.frame_ratio IS NOT DISTINCT FROM f.frame_ratio
            WHERE NOT EXISTS (
                SELECT 1 FROM failures m
                WHERE m.gif_id IS NOT DISTINCT FROM g.id AND m.pipeline_id IS NOT DISTINCT FROM p.id AND m.param_preset_id IS NOT DISTINCT FROM pr.id
                  AND {string.Join(" AND ", Failures.Data.Select(c => $"m.{c.Name} IS NOT DISTINCT FROM f.{c.Name}"))})
              AND NOT (p.id IS NOT NULL AND EXISTS (
                  SELECT 1 FROM compression_runs r
                  WHERE r.gif_id = g.id AND r.pipeline_id = p.id AND r.param_preset_id = pr.id AND r.created_at > f.created_at))
              AND NOT (f.identifier IS NULL AND f.file_path IS NOT NULL AND EXISTS (
                  SELECT 1 FROM failures n WHERE n.pipeline_id IS NULL AND n.file_path = f.file_path AND n.created_at >= f.created_at));
            """, ct).ConfigureAwait(false);
        var stale = await ExecAsync(conn, tx, """
            DELETE FROM failures f USING compression_runs r
            WHERE f.pipeline_id IS NOT NULL AND r.gif_id = f.gif_id AND r.pipeline_id = f.pipeline_id
              AND r.param_preset_id = f.param_preset_id AND r.created_at > f.created_at;
            """, ct).ConfigureAwait(false);
        stale += await ExecAsync(conn, tx, """
            DELETE FROM failures f USING failures n
            WHERE f.pipeline_id IS NULL AND f.file_path IS NOT NULL AND n.pipeline_id IS NULL AND n.file_path = f.file_path
              AND (n.created_at > f.created_at OR (n.created_at = f.created_at AND n.id > f.id));
            """, ct).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return new ShardMergeCounts(input, tools, pipelines, presets, gifs, runs, failures, stale);
    }

    private static async Task CopyAsync(NpgsqlConnection conn, string table, List<object?[]> rows, NpgsqlDbType[] types, CancellationToken ct)
    {
        await using var copy = await conn.BeginBinaryImportAsync($"COPY {table} FROM STDIN (FORMAT BINARY)", ct).ConfigureAwait(false);
        foreach (var row in rows)
        {
            await copy.StartRowAsync(ct).ConfigureAwait(false);
            for (var i = 0; i < types.Length; i++)
            {
                var value = ToColumn(row[i], types[i]);
                if (value is null) await copy.WriteNullAsync(ct).ConfigureAwait(false);
                else await copy.WriteAsync(value, types[i], ct).ConfigureAwait(false);
            }
        }
        await copy.CompleteAsync(ct).ConfigureAwait(false);
    }

    /// <summary>SQLite values (long, double, string) to the PostgreSQL column type.</summary>
    private static object? ToColumn(object? v, NpgsqlDbType type) => v switch
    {
        null or DBNull => null,
        _ => type switch
        {
            NpgsqlDbType.Boolean => System.Convert.ToInt64(v, CultureInfo.InvariantCulture) != 0,
            NpgsqlDbType.Integer => System.Convert.ToInt32(v, CultureInfo.InvariantCulture),
            NpgsqlDbType.Bigint => System.Convert.ToInt64(v, CultureInfo.InvariantCulture),
            NpgsqlDbType.Double => System.Convert.ToDouble(v, CultureInfo.InvariantCulture),
            // SQLite holds ISO 8601 UTC text ("…T…Z", or "YYYY-MM-DD HH:MM:SS" from CURRENT_TIMESTAMP, also UTC).
            NpgsqlDbType.TimestampTz => DateTime.Parse(System.Convert.ToString(v, CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
            _ => System.Convert.ToString(v, CultureInfo.InvariantCulture),
        },
    };

    private static List<object?[]> Rows(SqliteConnection conn, string sql)
    {
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var rows = new List<object?[]>();
        while (r.Read())
        {
            var row = new object?[r.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = r.IsDBNull(i) ? null : r.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    private static object? Scalar(SqliteConnection conn, string sql)
    {
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }
}
