using System.Globalization;
using GifLab.Storage.Schema;
using GifLab.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace GifLab.Storage.Merge;

/// <summary>What one input contributed to the output (rows inserted or replaced; unchanged rows are not counted).</summary>
public sealed record ShardMergeCounts(string Input, int Tools, int Pipelines, int Presets, int Gifs, int Runs, int Failures, int StaleFailuresRemoved)
{
    public int Total => Tools + Pipelines + Presets + Gifs + Runs + Failures + StaleFailuresRemoved;
}

/// <summary>
/// Merges SQLite shard databases (from <c>giflab run --shard K/N</c>) into one SQLite database. Row ids differ between
/// shards, so everything is reconciled by natural key: tools by name, pipelines by identifier (their tool ids re-mapped
/// by tool name), presets by (lossy_level, color_count, frame_ratio), GIFs by SHA-256, runs by the run key (GIF SHA,
/// pipeline identifier, preset values). When two inputs hold the same key, the newer row wins (runs: created_at; GIFs:
/// processed_at, or the one with features; tools: probed_at); ties keep what the output has. Failures are copied
/// unless an identical row is present; a run-key failure older than the key's stored run is dropped (the run
/// superseded it, as <c>SaveRunsAsync</c> would), and a file-level failure keeps only its newest row per path.
/// Each input is merged in one transaction; merging the same inputs again changes nothing.
/// </summary>
public static class ShardMerger
{
    private static readonly Table<GifRecord> Gifs = StoredTables.Gifs;
    private static readonly Table<RunRecord> Runs = StoredTables.Runs;
    private static readonly Table<FailureRecord> Failures = StoredTables.Failures;

    /// <summary>GIFs upserted by SHA-256: the newer processed_at wins, and features fill a row without them.</summary>
    private static readonly string GifsMerge = $"""
        INSERT INTO main.gifs({Table<GifRecord>.List(Gifs.Columns)})
        SELECT {Table<GifRecord>.List(Gifs.Columns)} FROM src.gifs WHERE true
        {Gifs.MergeConflictUpdate}
        WHERE excluded.processed_at > gifs.processed_at
           OR (gifs.processed_at IS NULL AND excluded.processed_at IS NOT NULL)
           OR (gifs.features_json IS NULL AND excluded.features_json IS NOT NULL);
        """;

    /// <summary>Runs upserted by run key (ids mapped by natural key), the newer created_at winning.</summary>
    private static readonly string RunsMerge = $"""
        INSERT INTO main.{Runs.Name}({Table<RunRecord>.List(Runs.Columns)})
        SELECT mg.id, mp.id, mr.id, {Table<RunRecord>.List(Runs.Data, "r.")}
        FROM src.{Runs.Name} r
        JOIN src.gifs g ON g.id = r.gif_id JOIN main.gifs mg ON mg.sha256 = g.sha256
        JOIN src.pipelines p ON p.id = r.pipeline_id JOIN main.pipelines mp ON mp.identifier = p.identifier
        JOIN src.param_presets pr ON pr.id = r.param_preset_id
        JOIN main.param_presets mr ON mr.lossy_level IS pr.lossy_level AND mr.color_count IS pr.color_count AND mr.frame_ratio IS pr.frame_ratio
        WHERE true
        {Runs.MergeConflictUpdate}
        WHERE excluded.created_at > {Runs.Name}.created_at;
        """;

    /// <summary>Failures copied unless an identical row is present or a newer run / newer file-level failure superseded them.</summary>
    private static readonly string FailuresMerge = $"""
        INSERT INTO main.failures({Table<FailureRecord>.List(Failures.Columns)})
        SELECT mg.id, mp.id, mr.id, {Table<FailureRecord>.List(Failures.Data, "f.")}
        FROM src.failures f
        LEFT JOIN src.gifs g ON g.id = f.gif_id LEFT JOIN main.gifs mg ON mg.sha256 = g.sha256
        LEFT JOIN src.pipelines p ON p.id = f.pipeline_id LEFT JOIN main.pipelines mp ON mp.identifier = p.identifier
        LEFT JOIN src.param_presets pr ON pr.id = f.param_preset_id
        LEFT JOIN main.param_presets mr ON mr.lossy_level IS pr.lossy_level AND mr.color_count IS pr.color_count AND mr.frame_ratio IS pr.frame_ratio
        WHERE NOT EXISTS (
            SELECT 1 FROM main.failures m
            WHERE m.gif_id IS mg.id AND m.pipeline_id IS mp.id AND m.param_preset_id IS mr.id
              AND {string.Join(" AND ", Failures.Data.Select(c => $"m.{c.Name} IS f.{c.Name}"))})
          -- already superseded in the output: by a newer run of the key, or a newer failure row of the file
          AND NOT (mp.id IS NOT NULL AND EXISTS (
              SELECT 1 FROM main.compression_runs r
              WHERE r.gif_id = mg.id AND r.pipeline_id = mp.id AND r.param_preset_id = mr.id AND r.created_at > f.created_at))
          AND NOT (f.pipeline_id IS NULL AND f.file_path IS NOT NULL AND EXISTS (
              SELECT 1 FROM main.failures n
              WHERE n.pipeline_id IS NULL AND n.file_path = f.file_path AND n.created_at >= f.created_at));
        """;

    public static async Task<IReadOnlyList<ShardMergeCounts>> MergeAsync(string outputPath, IReadOnlyList<string> inputs, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);
        ArgumentOutOfRangeException.ThrowIfZero(inputs.Count);
        var outFull = Path.GetFullPath(outputPath);
        foreach (var input in inputs)
        {
            if (string.Equals(Path.GetFullPath(input), outFull, StringComparison.Ordinal))
                throw new ArgumentException($"input '{input}' is the output database");
            if (!File.Exists(input))
                throw new StorageUnavailableException(input, "input database does not exist");
        }
        ShardCheck.VerifyAll(inputs);

        // Creates or migrates the output schema (WAL, schema_version) exactly as `giflab run` would.
        await using (var store = new SqliteResultStore(outputPath)) await store.InitializeAsync(ct).ConfigureAwait(false);

        var results = new List<ShardMergeCounts>();
        await using var conn = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = outputPath, Pooling = false }.ToString());
        await conn.OpenAsync(ct).ConfigureAwait(false);
        Exec(conn, null, "PRAGMA busy_timeout = 30000; PRAGMA foreign_keys = ON;");
        foreach (var input in inputs)
        {
            ct.ThrowIfCancellationRequested();
            try { results.Add(MergeOne(conn, input)); }
            catch (SqliteException e)
            {
                // Damage integrity_check did not see (or a shard changed since): this input's transaction rolled back.
                throw new StorageUnavailableException(input, $"merging this shard failed and was rolled back ({e.Message}); earlier inputs stay merged. Check the shard with `sqlite3 FILE 'PRAGMA integrity_check'`.", e);
            }
        }
        return results;
    }

    private static ShardMergeCounts MergeOne(SqliteConnection conn, string input)
    {
        using (var attach = Command(conn, null, "ATTACH DATABASE $path AS src;"))
        {
            attach.Parameters.AddWithValue("$path", input);
            try { attach.ExecuteNonQuery(); }
            catch (SqliteException e) { throw new StorageUnavailableException(input, $"cannot open input database: {e.Message}", e); }
        }
        try
        {
            CheckInput(conn, input);
            using var tx = conn.BeginTransaction(deferred: false);
            var tools = Exec(conn, tx, """
                INSERT INTO main.tools(name, category, engine, description, family, available, binary_path, version, unavailable_reason, probed_at)
                SELECT name, category, engine, description, family, available, binary_path, version, unavailable_reason, probed_at
                FROM src.tools WHERE true
                ON CONFLICT(name) DO UPDATE SET category = excluded.category, engine = excluded.engine, description = excluded.description,
                    family = excluded.family, available = excluded.available, binary_path = excluded.binary_path, version = excluded.version,
                    unavailable_reason = excluded.unavailable_reason, probed_at = excluded.probed_at
                WHERE excluded.probed_at > tools.probed_at OR (tools.probed_at IS NULL AND excluded.probed_at IS NOT NULL);
                """);
            var pipelines = Exec(conn, tx, """
                INSERT INTO main.pipelines(identifier, frame_tool_id, color_tool_id, lossy_tool_id)
                SELECT p.identifier,
                       (SELECT m.id FROM main.tools m JOIN src.tools s ON s.name = m.name WHERE s.id = p.frame_tool_id),
                       (SELECT m.id FROM main.tools m JOIN src.tools s ON s.name = m.name WHERE s.id = p.color_tool_id),
                       (SELECT m.id FROM main.tools m JOIN src.tools s ON s.name = m.name WHERE s.id = p.lossy_tool_id)
                FROM src.pipelines p WHERE true
                ON CONFLICT(identifier) DO NOTHING;
                """);
            var presets = Exec(conn, tx, """
                INSERT INTO main.param_presets(lossy_level, color_count, frame_ratio)
                SELECT lossy_level, color_count, frame_ratio FROM src.param_presets s
                WHERE NOT EXISTS (SELECT 1 FROM main.param_presets m
                                  WHERE m.lossy_level IS s.lossy_level AND m.color_count IS s.color_count AND m.frame_ratio IS s.frame_ratio);
                """);
            var gifs = Exec(conn, tx, GifsMerge);
            var runs = Exec(conn, tx, RunsMerge);
            // Failures with their keys mapped to the output's ids (gif, pipeline and preset may each be NULL).
            var failures = Exec(conn, tx, FailuresMerge);
            var stale = Exec(conn, tx, """
                DELETE FROM main.failures
                WHERE pipeline_id IS NOT NULL AND EXISTS (
                    SELECT 1 FROM main.compression_runs r
                    WHERE r.gif_id = failures.gif_id AND r.pipeline_id = failures.pipeline_id AND r.param_preset_id = failures.param_preset_id
                      AND r.created_at > failures.created_at);
                """);
            stale += Exec(conn, tx, """
                DELETE FROM main.failures
                WHERE pipeline_id IS NULL AND file_path IS NOT NULL AND EXISTS (
                    SELECT 1 FROM main.failures n
                    WHERE n.pipeline_id IS NULL AND n.file_path = failures.file_path
                      AND (n.created_at > failures.created_at OR (n.created_at = failures.created_at AND n.id > failures.id)));
                """);
            tx.Commit();
            return new ShardMergeCounts(input, tools, pipelines, presets, gifs, runs, failures, stale);
        }
        finally
        {
            Exec(conn, null, "DETACH DATABASE src;");
        }
    }

    private static void CheckInput(SqliteConnection conn, string input)
    {
        using (var has = Command(conn, null, "SELECT COUNT(*) FROM src.sqlite_master WHERE type = 'table' AND name IN ('schema_version', 'compression_runs', 'gifs');"))
        {
            long tables;
            try { tables = Convert.ToInt64(has.ExecuteScalar(), CultureInfo.InvariantCulture); }
            catch (SqliteException e) { throw new StorageUnavailableException(input, $"not a readable SQLite database: {e.Message}", e); }
            if (tables != 3) throw new StorageUnavailableException(input, "not a GifLab database (no schema_version/gifs/compression_runs tables)");
        }
        using var v = Command(conn, null, "SELECT COALESCE(MAX(version), 0) FROM src.schema_version;");
        var version = Convert.ToInt32(v.ExecuteScalar(), CultureInfo.InvariantCulture);
        if (version != SqliteResultStore.CurrentSchemaVersion)
            throw new StorageUnavailableException(input,
                $"schema version {version} differs from this GifLab's {SqliteResultStore.CurrentSchemaVersion}; merge with the GifLab version that wrote it");
    }

    private static SqliteCommand Command(SqliteConnection conn, SqliteTransaction? tx, string sql)
    {
        var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        return cmd;
    }

    private static int Exec(SqliteConnection conn, SqliteTransaction? tx, string sql)
    {
        using var cmd = Command(conn, tx, sql);
        return cmd.ExecuteNonQuery();
    }
}
