using System.Globalization;
using Microsoft.Data.Sqlite;
using static GifLab.Storage.Sqlite.SqliteSql;

namespace GifLab.Storage.Sqlite;

/// <summary>The counts of <c>giflab stats</c> from a SQLite GifLab database.</summary>
internal static class SqliteStoreStats
{
    public static StoreStats Read(SqliteConnection conn)
    {
        long Count(string sql) => Convert.ToInt64(Scalar(conn, sql), CultureInfo.InvariantCulture);
        List<NamedCount> Named(string sql)
        {
            var list = new List<NamedCount>();
            using var cmd = Command(conn, sql);
            using var r = cmd.ExecuteReader();
            while (r.Read()) list.Add(new NamedCount(r.IsDBNull(0) ? "(none)" : r.GetString(0), r.GetInt64(1)));
            return list;
        }
        List<GifRunCount> PerGif()
        {
            var list = new List<GifRunCount>();
            using var cmd = Command(conn, "SELECT g.sha256, g.file_name, COUNT(r.id) FROM gifs g LEFT JOIN compression_runs r ON r.gif_id = g.id GROUP BY g.id ORDER BY 3 DESC, 2, 1;");
            using var r = cmd.ExecuteReader();
            while (r.Read()) list.Add(new GifRunCount(r.GetString(0), r.GetString(1), r.GetInt64(2)));
            return list;
        }
        var perEngine = new List<EngineRunCounts>();
        using (var cmd = Command(conn, """
            SELECT COALESCE(t.engine, t.name) AS engine, COUNT(*),
                   SUM(r.validation_status = 'valid'), SUM(r.validation_status = 'corrupted'), SUM(r.validation_status = 'error')
            FROM compression_runs r JOIN pipelines p ON p.id = r.pipeline_id JOIN tools t ON t.id = p.lossy_tool_id
            GROUP BY 1 ORDER BY 2 DESC, 1;
            """))
        using (var r = cmd.ExecuteReader())
            while (r.Read())
                perEngine.Add(new EngineRunCounts(r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4)));

        return new StoreStats(
            Gifs: Count("SELECT COUNT(*) FROM gifs;"),
            GifsWithFeatures: Count("SELECT COUNT(*) FROM gifs WHERE features_json IS NOT NULL;"),
            Runs: Count("SELECT COUNT(*) FROM compression_runs;"),
            Failures: Count("SELECT COUNT(*) FROM failures;"),
            PermanentFailures: Count("SELECT COUNT(*) FROM failures WHERE permanent = 1;"),
            TransientFailures: Count("SELECT COUNT(*) FROM failures WHERE permanent = 0;"),
            Pipelines: Count("SELECT COUNT(*) FROM pipelines;"),
            Presets: Count("SELECT COUNT(*) FROM param_presets;"),
            Tools: Count("SELECT COUNT(*) FROM tools;"),
            RunsPerEngine: perEngine,
            RunsPerPipeline: Named("SELECT p.identifier, COUNT(*) FROM compression_runs r JOIN pipelines p ON p.id = r.pipeline_id GROUP BY p.id ORDER BY 2 DESC, 1;"),
            RunsPerGif: PerGif(),
            FailuresByType: Named("SELECT error_type, COUNT(*) FROM failures GROUP BY error_type ORDER BY 2 DESC, 1;"));
    }
}
