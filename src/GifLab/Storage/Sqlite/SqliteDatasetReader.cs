using System.Globalization;
using System.Text;
using System.Text.Json;
using GifLab.Core.Curves;
using Microsoft.Data.Sqlite;

namespace GifLab.Storage.Sqlite;

/// <summary>
/// <see cref="IDatasetReader"/> over a GifLab SQLite file, opened read-only (a missing file is an error, never created).
/// Reads use <see cref="SqliteDataReader"/> row by row; per-GIF queries hit the <c>UNIQUE(gif_id, …)</c> index.
/// </summary>
public sealed class SqliteDatasetReader : IDatasetReader
{
    /// <summary>Identity fields of GifFeaturesV1 that are not features.</summary>
    public static IReadOnlyList<string> FeatureIdentityFields { get; } = ["gif_sha", "gif_name", "extraction_version", "extracted_at"];

    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _runs;
    private readonly SqliteCommand _failures;

    /// <param name="path">The database file.</param>
    /// <param name="lossyToolOrder">Lossy tool names in the order their runs should come (engines' tools in enum order).</param>
    /// <exception cref="StorageUnavailableException">The file is missing, unreadable or not a GifLab database.</exception>
    public SqliteDatasetReader(string path, IReadOnlyList<string> lossyToolOrder)
    {
        ArgumentNullException.ThrowIfNull(lossyToolOrder);
        Location = path;
        if (!File.Exists(path))
            throw new StorageUnavailableException(path, "the database file does not exist (run `giflab run` first, or pass --db)");
        var cs = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false, DefaultTimeout = 30 };
        _connection = new SqliteConnection(cs.ToString());
        try
        {
            _connection.Open();
            using (var pragma = _connection.CreateCommand())
            {
                pragma.CommandText = "PRAGMA busy_timeout = 30000; PRAGMA query_only = ON;";
                pragma.ExecuteNonQuery();
            }
            using (var check = _connection.CreateCommand())
            {
                check.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('gifs','compression_runs','pipelines','param_presets','failures','tools');";
                if (Convert.ToInt64(check.ExecuteScalar(), CultureInfo.InvariantCulture) != 6)
                    throw new StorageUnavailableException(path, "not a GifLab database (the seed tables are missing)");
            }
        }
        catch (SqliteException e)
        {
            _connection.Dispose();
            throw new StorageUnavailableException(path, $"cannot read the database: {e.Message}", e);
        }

        var order = new StringBuilder("CASE t.name");
        _runs = _connection.CreateCommand();
        for (var i = 0; i < lossyToolOrder.Count; i++)
        {
            order.Append(CultureInfo.InvariantCulture, $" WHEN $t{i} THEN {i}");
            _runs.Parameters.AddWithValue($"$t{i}", lossyToolOrder[i]);
        }
        order.Append(CultureInfo.InvariantCulture, $" ELSE {lossyToolOrder.Count} END");
        _runs.CommandText = $"""
            SELECT p.identifier, COALESCE(t.name, ''), s.lossy_level, s.color_count, s.frame_ratio,
                   r.output_size_bytes, r.compression_ratio, r.metrics_json, COALESCE(r.validation_status, 'error'),
                   r.duration_ms, r.metric_set_version, r.engine_cpu_ms, r.command_lines
            FROM compression_runs r
            JOIN pipelines p ON p.id = r.pipeline_id
            JOIN param_presets s ON s.id = r.param_preset_id
            LEFT JOIN tools t ON t.id = p.lossy_tool_id
            WHERE r.gif_id = $g
            ORDER BY {order}, t.name, p.identifier, s.lossy_level, s.color_count DESC, s.frame_ratio DESC;
            """;
        _runs.Parameters.Add("$g", SqliteType.Integer);

        _failures = _connection.CreateCommand();
        _failures.CommandText = """
            SELECT p.identifier, s.lossy_level, s.color_count, s.frame_ratio, f.error_type, f.error_message
            FROM failures f
            JOIN pipelines p ON p.id = f.pipeline_id
            JOIN param_presets s ON s.id = f.param_preset_id
            WHERE f.gif_id = $g
            ORDER BY f.id;
            """;
        _failures.Parameters.Add("$g", SqliteType.Integer);
    }

    public string Location { get; }

    public IEnumerable<DatasetGif> ReadGifs(CancellationToken ct)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = """
            SELECT id, sha256, file_name, file_size_bytes, width, height, frame_count, features_json, feature_version,
                   COALESCE(decode_status, 'ok'), duration_ms
            FROM gifs ORDER BY sha256;
            """;
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            ct.ThrowIfCancellationRequested();
            yield return new DatasetGif(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt64(3),
                NullInt(r, 4), NullInt(r, 5), NullInt(r, 6), NullString(r, 7), NullString(r, 8), r.GetString(9)) { DurationMs = NullInt(r, 10) };
        }
    }

    public IEnumerable<string> ReadGifShas(CancellationToken ct)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "SELECT sha256 FROM gifs ORDER BY sha256;";
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            ct.ThrowIfCancellationRequested();
            yield return r.GetString(0);
        }
    }

    public IEnumerable<DatasetRun> ReadRuns(long gifId)
    {
        _runs.Parameters["$g"].Value = gifId;
        using var r = _runs.ExecuteReader();
        while (r.Read())
        {
            yield return new DatasetRun(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetInt32(3), r.GetDouble(4),
                NullLong(r, 5), r.IsDBNull(6) ? null : r.GetDouble(6), NullString(r, 7), r.GetString(8),
                NullLong(r, 9), NullInt(r, 10))
            {
                EngineCpuMs = r.IsDBNull(11) ? null : r.GetDouble(11),
                CommandLinesJson = NullString(r, 12),
            };
        }
    }

    public IReadOnlyDictionary<PresetKey, string> ReadRunFailures(long gifId)
    {
        _failures.Parameters["$g"].Value = gifId;
        var map = new Dictionary<PresetKey, string>();
        using var r = _failures.ExecuteReader();
        while (r.Read())
        {
            var key = new PresetKey(r.GetString(0), r.GetInt32(1), r.GetInt32(2), r.GetDouble(3));
            map[key] = $"{NullString(r, 4) ?? "error"}: {NullString(r, 5) ?? ""}".TrimEnd(' ', ':');
        }
        return map;
    }

    public IReadOnlyList<ToolVersionRow> ReadTools()
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "SELECT name, engine, version, available FROM tools ORDER BY name;";
        using var r = cmd.ExecuteReader();
        var list = new List<ToolVersionRow>();
        while (r.Read())
            list.Add(new ToolVersionRow(r.GetString(0), NullString(r, 1), NullString(r, 2), r.IsDBNull(3) ? null : r.GetInt64(3) != 0));
        return list;
    }

    public IReadOnlyList<string> SampleMetricKeys() => SampleKeys(
        "SELECT metrics_json FROM compression_runs WHERE id IN (SELECT MIN(id) FROM compression_runs WHERE metrics_json IS NOT NULL GROUP BY metric_set_version) ORDER BY metric_set_version, id;",
        ["metric_set_version", "null_reasons"]);

    public IReadOnlyList<string> SampleFeatureNames() => SampleKeys(
        "SELECT features_json FROM gifs WHERE id IN (SELECT MIN(id) FROM gifs WHERE features_json IS NOT NULL GROUP BY feature_version) ORDER BY feature_version, id;",
        FeatureIdentityFields);

    private List<string> SampleKeys(string sql, IReadOnlyList<string> excluded)
    {
        var keys = new List<string>();
        var seen = new HashSet<string>(excluded, StringComparer.Ordinal);
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            if (r.IsDBNull(0)) continue;
            try
            {
                using var doc = JsonDocument.Parse(r.GetString(0));
                if (doc.RootElement.ValueKind != JsonValueKind.Object) continue;
                foreach (var p in doc.RootElement.EnumerateObject())
                    if (seen.Add(p.Name)) keys.Add(p.Name);
            }
            catch (JsonException) { }
        }
        return keys;
    }

    public CurveCompleteness CountCurveCompleteness(string pipeline, CurveType type)
    {
        var grid = type.Grid();
        var xColumn = type == CurveType.Lossy ? "s.lossy_level" : "s.color_count";
        var fixedColumns = type == CurveType.Lossy ? "s.color_count = 256" : "s.lossy_level = 0";
        var inList = string.Join(",", grid.Select(x => x.ToString(CultureInfo.InvariantCulture)));
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = $"""
            SELECT COUNT(*), COALESCE(SUM(measured = {grid.Count}), 0) FROM (
                SELECT r.gif_id,
                       COUNT(DISTINCT CASE WHEN r.validation_status = 'valid' AND r.output_size_bytes > 0 AND {xColumn} IN ({inList}) THEN {xColumn} END) AS measured
                FROM compression_runs r
                JOIN pipelines p ON p.id = r.pipeline_id
                JOIN param_presets s ON s.id = r.param_preset_id
                WHERE p.identifier = $p AND {fixedColumns} AND s.frame_ratio = 1.0
                GROUP BY r.gif_id);
            """;
        cmd.Parameters.AddWithValue("$p", pipeline);
        using var r = cmd.ExecuteReader();
        r.Read();
        return new CurveCompleteness(r.GetInt64(0), r.GetInt64(1));
    }

    private static string? NullString(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
    private static int? NullInt(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt32(i);
    private static long? NullLong(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i);

    public void Dispose()
    {
        _runs.Dispose();
        _failures.Dispose();
        _connection.Dispose();
    }
}
