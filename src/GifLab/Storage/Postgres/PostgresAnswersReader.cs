using System.Globalization;
using GifLab.Core.Features;
using Npgsql;

namespace GifLab.Storage.Postgres;

/// <summary>
/// <see cref="IAnswersReader"/> over a GifLab PostgreSQL store (read only). The metric value is taken out of
/// <c>metrics_json</c> by the server (<c>jsonb</c>, numbers only); GIFs and runs stream from two connections in GIF
/// order and are merged, like the SQLite reader.
/// </summary>
public sealed class PostgresAnswersReader : IAnswersReader
{
    private readonly NpgsqlDataSource _dataSource;

    /// <exception cref="StorageUnavailableException">The server cannot be reached or the schema is not a GifLab store.</exception>
    public PostgresAnswersReader(string connectionString, string? schema)
    {
        var csb = new NpgsqlConnectionStringBuilder(connectionString);
        if (schema is not null) csb.SearchPath = schema;
        csb.ApplicationName ??= "giflab";
        Location = PostgresResultStore.DescribeLocation(csb, schema);
        _dataSource = new NpgsqlDataSourceBuilder(csb.ConnectionString).Build();
        try
        {
            using var conn = _dataSource.OpenConnection();
            using var check = new NpgsqlCommand("SELECT to_regclass('gifs') IS NOT NULL AND to_regclass('compression_runs') IS NOT NULL;", conn);
            if (check.ExecuteScalar() is not true)
                throw new StorageUnavailableException(Location, "not a GifLab database (the seed tables are missing)");
        }
        catch (NpgsqlException e)
        {
            _dataSource.Dispose();
            throw new StorageUnavailableException(Location, $"cannot read the database: {e.Message}", e);
        }
    }

    public string Location { get; }

    public IEnumerable<AnswersGif> ReadGifs(string metric, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(metric);
        using var gifConn = _dataSource.OpenConnection();
        using var runConn = _dataSource.OpenConnection();
        using var hasType = new NpgsqlCommand("SELECT COUNT(*) FROM information_schema.columns WHERE table_name = 'gifs' AND column_name = 'content_type' AND table_schema = current_schema();", gifConn);
        var typed = Convert.ToInt64(hasType.ExecuteScalar(), CultureInfo.InvariantCulture) > 0;
        using var gifs = new NpgsqlCommand(typed
            ? "SELECT id, sha256, file_name, file_path, file_size_bytes, width, height, frame_count, content_type, CASE WHEN content_type IS NULL THEN features_json END FROM gifs ORDER BY id;"
            : "SELECT id, sha256, file_name, file_path, file_size_bytes, width, height, frame_count, NULL::text, features_json FROM gifs ORDER BY id;", gifConn);
        using var runs = new NpgsqlCommand("""
            SELECT r.gif_id, p.identifier, s.lossy_level, s.color_count, s.frame_ratio, r.output_size_bytes,
                   COALESCE(r.validation_status, 'error'),
                   CASE WHEN jsonb_typeof(r.metrics_json::jsonb -> @m) = 'number' THEN (r.metrics_json::jsonb ->> @m)::double precision END
            FROM compression_runs r
            JOIN pipelines p ON p.id = r.pipeline_id
            JOIN param_presets s ON s.id = r.param_preset_id
            ORDER BY r.gif_id;
            """, runConn);
        runs.Parameters.AddWithValue("m", metric);
        using var g = gifs.ExecuteReader();
        using var r = runs.ExecuteReader();
        var pending = r.Read();
        while (g.Read())
        {
            ct.ThrowIfCancellationRequested();
            var id = g.GetInt64(0);
            var list = new List<AnswersRun>();
            while (pending && r.GetInt64(0) < id) pending = r.Read();
            while (pending && r.GetInt64(0) == id)
            {
                list.Add(new AnswersRun(r.GetString(1), r.GetInt32(2), r.GetInt32(3), r.GetDouble(4),
                    r.IsDBNull(5) ? null : r.GetInt64(5), r.GetString(6), r.IsDBNull(7) ? null : r.GetDouble(7)));
                pending = r.Read();
            }
            ContentType? type = null;
            if (!g.IsDBNull(8) && ContentTypes.TryParse(g.GetString(8), out var stored)) type = stored;
            else if (!g.IsDBNull(9)) type = ContentTypeClassifier.FromJson(g.GetString(9));
            yield return new AnswersGif(id, g.GetString(1), g.GetString(2), g.IsDBNull(3) ? null : g.GetString(3), g.GetInt64(4),
                g.IsDBNull(5) ? null : g.GetInt32(5), g.IsDBNull(6) ? null : g.GetInt32(6), g.IsDBNull(7) ? null : g.GetInt32(7), type, list);
        }
    }

    public AnswersSummary ReadSummary(CancellationToken ct)
    {
        using var conn = _dataSource.OpenConnection();
        long Scalar(string sql)
        {
            using var cmd = new NpgsqlCommand(sql, conn);
            return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
        var tools = new List<(string, string?)>();
        using (var cmd = new NpgsqlCommand("SELECT name, version FROM tools WHERE available AND name NOT LIKE 'none-%' ORDER BY name;", conn))
        using (var r = cmd.ExecuteReader())
            while (r.Read()) tools.Add((r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1)));
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
        using var conn = _dataSource.OpenConnection();
        using var hasType = new NpgsqlCommand("SELECT COUNT(*) FROM information_schema.columns WHERE table_name = 'gifs' AND column_name = 'content_type' AND table_schema = current_schema();", conn);
        var typed = Convert.ToInt64(hasType.ExecuteScalar(), CultureInfo.InvariantCulture) > 0;
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        using var cmd = new NpgsqlCommand(typed
            ? "SELECT content_type, CASE WHEN content_type IS NULL THEN features_json END FROM gifs;"
            : "SELECT NULL::text, features_json FROM gifs;", conn);
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
        using var conn = _dataSource.OpenConnection();
        using var cmd = new NpgsqlCommand("""
            SELECT COALESCE(p.identifier, '(file)'), COALESCE(f.error_type, 'error'), COUNT(*), MAX(COALESCE(f.error_message, ''))
            FROM failures f LEFT JOIN pipelines p ON p.id = f.pipeline_id
            GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2;
            """, conn);
        using var r = cmd.ExecuteReader();
        var list = new List<FailureGroup>();
        while (r.Read()) list.Add(new FailureGroup(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetString(3)));
        return list;
    }

    public void Dispose() => _dataSource.Dispose();
}
