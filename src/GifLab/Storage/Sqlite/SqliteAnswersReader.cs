using System.Globalization;
using GifLab.Core.Features;
using Microsoft.Data.Sqlite;

namespace GifLab.Storage.Sqlite;

/// <summary>
/// <see cref="IAnswersReader"/> over a GifLab SQLite file, opened read-only. The metric value is taken out of
/// <c>metrics_json</c> by SQLite's <c>json_extract</c>, so the JSON text never crosses into .NET; runs come from the
/// <c>UNIQUE(gif_id, …)</c> index in GIF order and are merged with the GIF cursor.
/// </summary>
public sealed class SqliteAnswersReader : IAnswersReader
{
    private readonly SqliteConnection _connection;
    private readonly bool _hasContentType;

    /// <exception cref="StorageUnavailableException">The file is missing, unreadable or not a GifLab database.</exception>
    public SqliteAnswersReader(string path)
    {
        Location = path;
        if (!File.Exists(path))
            throw new StorageUnavailableException(path, "the database file does not exist (run `giflab run` first, or pass --db)");
        var cs = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false, DefaultTimeout = 30 };
        _connection = new SqliteConnection(cs.ToString());
        try
        {
            _connection.Open();
            Exec("PRAGMA busy_timeout = 30000; PRAGMA query_only = ON;");
            if (Scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('gifs','compression_runs','pipelines','param_presets','failures','tools');") != 6)
                throw new StorageUnavailableException(path, "not a GifLab database (the seed tables are missing)");
            _hasContentType = Scalar("SELECT COUNT(*) FROM pragma_table_info('gifs') WHERE name = 'content_type';") == 1;
        }
        catch (SqliteException e)
        {
            _connection.Dispose();
            throw new StorageUnavailableException(path, $"cannot read the database: {e.Message}", e);
        }
    }

    public string Location { get; }

    public IEnumerable<AnswersGif> ReadGifs(string metric, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(metric);
        using var gifs = _connection.CreateCommand();
        // The stored type when there is one; features_json only for rows that need classifying here.
        gifs.CommandText = _hasContentType
            ? "SELECT id, sha256, file_name, file_path, file_size_bytes, width, height, frame_count, content_type, CASE WHEN content_type IS NULL THEN features_json END FROM gifs ORDER BY id;"
            : "SELECT id, sha256, file_name, file_path, file_size_bytes, width, height, frame_count, NULL, features_json FROM gifs ORDER BY id;";
        using var runs = _connection.CreateCommand();
        runs.CommandText = """
            SELECT r.gif_id, p.identifier, s.lossy_level, s.color_count, s.frame_ratio, r.output_size_bytes,
                   COALESCE(r.validation_status, 'error'), json_extract(r.metrics_json, $path)
            FROM compression_runs r
            JOIN pipelines p ON p.id = r.pipeline_id
            JOIN param_presets s ON s.id = r.param_preset_id
            ORDER BY r.gif_id;
            """;
        runs.Parameters.AddWithValue("$path", "$." + JsonPathKey(metric));
        using var g = gifs.ExecuteReader();
        using var r = runs.ExecuteReader();
        var pending = r.Read();
        var pipelines = new Dictionary<string, string>(StringComparer.Ordinal); // one string per identifier
        while (g.Read())
        {
            ct.ThrowIfCancellationRequested();
            var id = g.GetInt64(0);
            var list = new List<AnswersRun>();
            while (pending && r.GetInt64(0) < id) pending = r.Read(); // runs of a GIF row that no longer exists
            while (pending && r.GetInt64(0) == id)
            {
                var name = r.GetString(1);
                if (!pipelines.TryGetValue(name, out var pipeline)) pipelines[name] = pipeline = name;
                double? quality = r.IsDBNull(7) ? null : r.GetFieldType(7) == typeof(string) ? null : r.GetDouble(7);
                list.Add(new AnswersRun(pipeline, r.GetInt32(2), r.GetInt32(3), r.GetDouble(4),
                    r.IsDBNull(5) ? null : r.GetInt64(5), r.GetString(6), quality));
                pending = r.Read();
            }
            ContentType? type = null;
            if (!g.IsDBNull(8) && ContentTypes.TryParse(g.GetString(8), out var stored)) type = stored;
            else if (!g.IsDBNull(9)) type = ContentTypeClassifier.FromJson(g.GetString(9));
            yield return new AnswersGif(id, g.GetString(1), g.GetString(2), g.IsDBNull(3) ? null : g.GetString(3), g.GetInt64(4),
                g.IsDBNull(5) ? null : g.GetInt32(5), g.IsDBNull(6) ? null : g.GetInt32(6), g.IsDBNull(7) ? null : g.GetInt32(7), type, list);
        }
    }

    /// <summary>Quotes a metric key for a JSON path (keys are snake_case identifiers; anything else is quoted).</summary>
    private static string JsonPathKey(string key) =>
        key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? key : "\"" + key.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    public AnswersSummary ReadSummary(CancellationToken ct)
    {
        var tools = new List<(string, string?)>();
        using (var cmd = _connection.CreateCommand())
        {
            cmd.CommandText = "SELECT name, version FROM tools WHERE available = 1 AND name NOT LIKE 'none-%' ORDER BY name;";
            using var r = cmd.ExecuteReader();
            while (r.Read()) tools.Add((r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1)));
        }
        return new AnswersSummary(
            Scalar("SELECT COUNT(*) FROM gifs;"),
            Scalar("SELECT COUNT(*) FROM gifs WHERE features_json IS NOT NULL;"),
            Scalar("SELECT COUNT(*) FROM compression_runs;"),
            Scalar("SELECT COUNT(*) FROM compression_runs WHERE validation_status = 'valid';"),
            Scalar("SELECT COUNT(*) FROM failures;"),
            Scalar("SELECT COUNT(DISTINCT pipeline_id) FROM compression_runs;"),
            Scalar("SELECT COALESCE(SUM(file_size_bytes), 0) FROM gifs;"),
            tools);
    }

    public IReadOnlyList<NamedCount> CountContentTypes(CancellationToken ct)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = (_hasContentType
            ? "SELECT content_type, CASE WHEN content_type IS NULL THEN features_json END FROM gifs;"
            : "SELECT NULL, features_json FROM gifs;");
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            ct.ThrowIfCancellationRequested();
            var name = !r.IsDBNull(0) ? r.GetString(0)
                : !r.IsDBNull(1) && ContentTypeClassifier.FromJson(r.GetString(1)) is { } t ? t.Name() : "unknown";
            counts[name] = counts.GetValueOrDefault(name) + 1;
        }
        return ContentTypes.All.Select(t => t.Name()).Append("unknown").Where(counts.ContainsKey).Select(n => new NamedCount(n, counts[n])).ToList();
    }

    public IReadOnlyList<FailureGroup> ReadFailureGroups(CancellationToken ct)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = """
            SELECT COALESCE(p.identifier, '(file)'), COALESCE(f.error_type, 'error'), COUNT(*), MAX(COALESCE(f.error_message, ''))
            FROM failures f LEFT JOIN pipelines p ON p.id = f.pipeline_id
            GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2;
            """;
        using var r = cmd.ExecuteReader();
        var list = new List<FailureGroup>();
        while (r.Read()) list.Add(new FailureGroup(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetString(3)));
        return list;
    }

    private void Exec(string sql)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private long Scalar(string sql)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    public void Dispose() => _connection.Dispose();
}
