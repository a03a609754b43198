using System.Globalization;
using GifLab.Storage.Merge;
using GifLab.Tests.Storage;
using Npgsql;
using Xunit.Abstractions;

namespace GifLab.Tests.Merge;

/// <summary>Merging SQLite shards into PostgreSQL gives the same content as merging them into SQLite (and as one
/// database written directly), and merging again changes nothing. Skipped without a PostgreSQL server.</summary>
public sealed class PostgresShardMergerTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _schema = PostgresTestServer.NewSchemaName();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => PostgresTestServer.DropSchemaAsync(_schema);

    [Fact]
    public async Task ThreeShards_IntoPostgres_EqualTheSingleDatabase_AndMergingTwiceChangesNothing()
    {
        if (PostgresTestServer.SkipReason is { } reason)
        {
            output.WriteLine(reason);
            return;
        }
        using var dir = new TempDir();
        var all = Enumerable.Range(0, 15).ToList();
        await ShardMergerTests.Write(dir.File("single.db"), all, reversedRegistration: false);
        string[] shards = [dir.File("s1.db"), dir.File("s2.db"), dir.File("s3.db")];
        for (var k = 0; k < 3; k++)
            await ShardMergerTests.Write(shards[k], all.Where(g => g % 3 == k).Reverse(), reversedRegistration: k % 2 == 1);

        await using var store = new GifLab.Storage.Postgres.PostgresResultStore(PostgresTestServer.ConnectionString!, _schema);
        var first = await PostgresShardMerger.MergeAsync(store, shards, default);
        Assert.All(first, c => Assert.True(c.Runs > 0));
        var expected = ShardMergerTests.Dump(dir.File("single.db"));
        var actual = await Dump();
        foreach (var table in expected.Keys) Assert.Equal(expected[table], actual[table]);

        var before = await Dump(raw: true);
        var second = await PostgresShardMerger.MergeAsync(store, shards, default);
        Assert.All(second, c => Assert.Equal(0, c.Total));
        Assert.Equal(before, await Dump(raw: true));
    }

    /// <summary>The PostgreSQL tables in the SQLite dump's line format (booleans as 0/1, times as the SQLite text).</summary>
    private async Task<Dictionary<string, List<string>>> Dump(bool raw = false)
    {
        await using var conn = new NpgsqlConnection(PostgresTestServer.ConnectionString);
        await conn.OpenAsync();
        await using (var sp = new NpgsqlCommand($"SET search_path TO \"{_schema}\";", conn)) await sp.ExecuteNonQueryAsync();
        const string preset = "pr.lossy_level, pr.color_count, pr.frame_ratio";
        const string at = "to_char(processed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";
        if (raw)
        {
            var rows = new List<string>();
            foreach (var table in new[] { "tools", "pipelines", "param_presets", "gifs", "compression_runs", "failures" })
                rows.AddRange(await Lines(conn, $"SELECT '{table}', t.*::text FROM {table} t"));
            return new() { ["raw"] = rows };
        }
        return new Dictionary<string, List<string>>
        {
            ["tools"] = await Lines(conn, "SELECT name, category, engine, description, family, available::int, binary_path, version, unavailable_reason FROM tools"),
            ["pipelines"] = await Lines(conn, "SELECT p.identifier, f.name, c.name, l.name FROM pipelines p LEFT JOIN tools f ON f.id = p.frame_tool_id LEFT JOIN tools c ON c.id = p.color_tool_id LEFT JOIN tools l ON l.id = p.lossy_tool_id"),
            ["presets"] = await Lines(conn, "SELECT lossy_level, color_count, frame_ratio FROM param_presets"),
            ["gifs"] = await Lines(conn, $"SELECT sha256, file_name, file_path, file_size_bytes, width, height, frame_count, features_json, feature_version, {at}, duration_ms, loop_count, decode_status, content_type FROM gifs"),
            ["runs"] = await Lines(conn, $"""
                SELECT g.sha256, p.identifier, {preset}, r.output_size_bytes, r.compression_ratio, r.metrics_json, r.validation_status,
                       r.duration_ms, r.metric_set_version, r.validation_json, r.engine_cpu_ms, r.tool_versions, r.giflab_version
                FROM compression_runs r JOIN gifs g ON g.id = r.gif_id JOIN pipelines p ON p.id = r.pipeline_id JOIN param_presets pr ON pr.id = r.param_preset_id
                """),
            ["failures"] = await Lines(conn, $"""
                SELECT g.sha256, p.identifier, {preset}, f.error_type, f.error_message, f.file_path, f.permanent::int, f.command_line
                FROM failures f LEFT JOIN gifs g ON g.id = f.gif_id LEFT JOIN pipelines p ON p.id = f.pipeline_id LEFT JOIN param_presets pr ON pr.id = f.param_preset_id
                """),
        };
    }

    private static async Task<List<string>> Lines(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await using var r = await cmd.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await r.ReadAsync())
        {
            var cells = new string[r.FieldCount];
            for (var i = 0; i < r.FieldCount; i++)
                cells[i] = r.IsDBNull(i) ? "∅" : Convert.ToString(r.GetValue(i), CultureInfo.InvariantCulture)!;
            lines.Add(string.Join('|', cells));
        }
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }
}
