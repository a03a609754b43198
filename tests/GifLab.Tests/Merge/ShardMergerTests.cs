using System.Globalization;
using GifLab.Core.Model;
using GifLab.Storage;
using GifLab.Storage.Merge;
using GifLab.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace GifLab.Tests.Merge;

/// <summary>
/// <c>giflab merge</c>: shards written through the store API (with different insertion orders, so their row ids differ)
/// merge into a database equal — by natural keys and values, ignoring ids and timestamps — to one database written
/// with the same content directly. The expected database is built independently of the merger, through the store.
/// </summary>
public class ShardMergerTests
{
    private static readonly PipelineId Gifsicle = new("none-frame", "none-color", "gifsicle-lossy");
    private static readonly PipelineId Animately = new("none-frame", "none-color", "animately-lossy");
    private static readonly PipelineId Dither = new("none-frame", "ffmpeg-color", "gifsicle-lossy");
    private static readonly PipelineId[] Pipelines = [Gifsicle, Animately, Dither];
    private static readonly ParamPreset[] Presets = [new(0, 256, 1.0), new(40, 256, 1.0), new(80, 64, 0.5), new(100, 16, 1.0)];

    private static readonly ToolRow[] Tools =
    [
        new("none-frame", "frame_reduction", null, "", "none", true, null, "builtin", null),
        new("none-color", "color_reduction", null, "", "none", true, null, "builtin", null),
        new("ffmpeg-color", "color_reduction", "ffmpeg", "", "ffmpeg", true, "/usr/bin/ffmpeg", "6.1", null),
        new("gifsicle-lossy", "lossy_compression", "gifsicle", "", "gifsicle", true, "/usr/bin/gifsicle", "1.93", null),
        new("animately-lossy", "lossy_compression", "animately", "", "animately", false, null, null, "not installed"),
    ];

    /// <summary>What a shard (or the single database) contains: GIF indices it processed.</summary>
    internal static async Task Write(string path, IEnumerable<int> gifs, bool reversedRegistration)
    {
        await using var store = new SqliteResultStore(path);
        await store.InitializeAsync(default);
        await store.SyncToolsAsync(reversedRegistration ? Tools.Reverse() : Tools, default);
        var ids = await store.EnsurePipelinesAndPresetsAsync(
            reversedRegistration ? Pipelines.Reverse() : Pipelines, reversedRegistration ? Presets.Reverse() : Presets, default);
        // Rejected files are recorded by every shard (discovery runs everywhere); the merge must keep one row.
        await store.RecordFileFailureAsync(new FailureRecord(null, null, null, "file:not-a-gif", "/in/notes.gif: missing signature", true, FilePath: "/in/notes.gif"), default);
        foreach (var g in gifs)
        {
            var sha = g.ToString("x64", CultureInfo.InvariantCulture);
            if (g % 7 == 6)
            {
                // An undecodable GIF: a gifs row with decode_status error and a file-level failure tied to it.
                var bad = await store.UpsertGifAsync(new GifRecord(sha, $"g{g}.gif", $"/in/g{g}.gif", 10, null, null, null, null, null, null, null,
                    new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), "error"), default);
                await store.RecordFileFailureAsync(new FailureRecord(bad, null, null, "decode:truncated", $"/in/g{g}.gif: truncated", true, FilePath: $"/in/g{g}.gif"), default);
                continue;
            }
            var gifId = await store.UpsertGifAsync(new GifRecord(sha, $"g{g}.gif", $"/in/g{g}.gif", 1000 + g, 10 + g, 20, 3, 300, 0,
                $"{{\"entropy\":{g}}}", "1.0.0", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), "ok"), default);
            var runs = new List<RunRecord>();
            foreach (var p in Pipelines)
                foreach (var r in Presets)
                {
                    var (pid, rid) = (ids.Pipelines[p], ids.Presets[r]);
                    var k = g * 31 + r.LossyLevel + p.Identifier.Length;
                    var failure = k % 5 == 0 ? new FailureRecord(gifId, pid, rid, "tool:exit", $"{p} {r}: exit 1", Permanent: k % 2 == 0, CommandLine: "gifsicle -O3") : null;
                    runs.Add(new RunRecord
                    {
                        GifId = gifId, PipelineId = pid, PresetId = rid, ValidationStatus = failure is null ? "valid" : "error",
                        OutputSizeBytes = failure is null ? 500 + k : null, CompressionRatio = failure is null ? 2.0 + k / 100.0 : null,
                        MetricsJson = failure is null ? $"{{\"ssim\":{k}}}" : null, DurationMs = k, MetricSetVersion = 1,
                        ValidationJson = "{\"frames\":true}", EngineCpuMs = k / 3.0, ToolVersionsJson = "{\"gifsicle\":\"1.93\"}", Failure = failure,
                    });
                }
            await store.SaveRunsAsync(runs, default);
        }
    }

    [Fact]
    public async Task ThreeShards_MergeToTheSameContentAsOneDatabase_AndMergingTwiceChangesNothing()
    {
        using var dir = new TempDir();
        var all = Enumerable.Range(0, 15).ToList();
        await Write(dir.File("single.db"), all, reversedRegistration: false);
        string[] shards = [dir.File("s1.db"), dir.File("s2.db"), dir.File("s3.db")];
        for (var k = 0; k < 3; k++)
            await Write(shards[k], all.Where(g => g % 3 == k).Reverse(), reversedRegistration: k % 2 == 1);

        var merged = dir.File("merged.db");
        var first = await ShardMerger.MergeAsync(merged, shards, default);
        Assert.All(first, c => Assert.True(c.Runs > 0));
        var expected = Dump(dir.File("single.db"));
        var actual = Dump(merged);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var table in expected.Keys) Assert.Equal(expected[table], actual[table]);
        Assert.Equal(13 * 12, expected["runs"].Count); // 15 GIFs, 2 undecodable (6, 13); 3 pipelines × 4 presets each
        Assert.Equal(3, expected["failures"].Count(l => l.Contains("decode:", StringComparison.Ordinal) || l.Contains("not-a-gif", StringComparison.Ordinal)));
        var snapshot = RawRows(merged);

        var second = await ShardMerger.MergeAsync(merged, shards, default);
        Assert.All(second, c => Assert.Equal(0, c.Total));
        Assert.Equal(snapshot, RawRows(merged)); // ids, timestamps, everything unchanged
    }

    [Fact]
    public async Task SameRunKeyInTwoShards_TheNewerRunWins_AndItsStaleFailureIsDropped()
    {
        using var dir = new TempDir();
        // Shard a: the key failed (transient). Shard b, later: the same key succeeded.
        await Write(dir.File("a.db"), [1], false);
        await Task.Delay(20);
        await Write(dir.File("b.db"), [1], true);
        await using (var b = new SqliteResultStore(dir.File("b.db")))
        {
            await b.InitializeAsync(default);
            var ids = await b.EnsurePipelinesAndPresetsAsync(Pipelines, Presets, default);
            var gif = (await b.GetGifAsync(1.ToString("x64"), default))!.Value.Id;
            await b.SaveRunsAsync([RunRecord.Valid(gif, ids.Pipelines[Gifsicle], ids.Presets[Presets[0]], 1, 1, null, outputSizeBytes: 123, compressionRatio: 9.0, metricsJson: "{\"ssim\":1}", null, null)], default);
        }
        foreach (var order in new[] { new[] { "a.db", "b.db" }, ["b.db", "a.db"] })
        {
            var outPath = dir.File($"out-{order[0]}");
            await ShardMerger.MergeAsync(outPath, order.Select(dir.File).ToList(), default);
            var runs = Dump(outPath)["runs"];
            Assert.Contains(runs, l => l.StartsWith($"{1.ToString("x64")}|{Gifsicle.Identifier}|0|256|1|123|9|", StringComparison.Ordinal));
            Assert.Equal(Dump(dir.File("b.db"))["runs"], runs);
            Assert.Equal(Dump(dir.File("b.db"))["failures"], Dump(outPath)["failures"]);
        }
    }

    [Fact]
    public async Task NotAGifLabDatabase_IsRejected_AndTheOutputIsUntouched()
    {
        using var dir = new TempDir();
        await Write(dir.File("ok.db"), [1, 2], false);
        await using (var other = new SqliteConnection($"Data Source={dir.File("other.db")};Pooling=False"))
        {
            await other.OpenAsync();
            await using var cmd = other.CreateCommand();
            cmd.CommandText = "CREATE TABLE x(a);";
            await cmd.ExecuteNonQueryAsync();
        }
        await Assert.ThrowsAsync<StorageUnavailableException>(() => ShardMerger.MergeAsync(dir.File("out.db"), [dir.File("other.db")], default));
        await Assert.ThrowsAsync<ArgumentException>(() => ShardMerger.MergeAsync(dir.File("ok.db"), [dir.File("ok.db")], default));
        await Assert.ThrowsAsync<StorageUnavailableException>(() => ShardMerger.MergeAsync(dir.File("out.db"), [dir.File("missing.db")], default));
    }

    /// <summary>Every table as sorted lines of natural keys and values (no ids, no timestamps).</summary>
    internal static Dictionary<string, List<string>> Dump(string path)
    {
        using var conn = new SqliteConnection($"Data Source={path};Pooling=False;Mode=ReadOnly");
        conn.Open();
        const string preset = "pr.lossy_level, pr.color_count, pr.frame_ratio";
        return new Dictionary<string, List<string>>
        {
            ["tools"] = Lines(conn, "SELECT name, category, engine, description, family, available, binary_path, version, unavailable_reason FROM tools"),
            ["pipelines"] = Lines(conn, "SELECT p.identifier, f.name, c.name, l.name FROM pipelines p LEFT JOIN tools f ON f.id = p.frame_tool_id LEFT JOIN tools c ON c.id = p.color_tool_id LEFT JOIN tools l ON l.id = p.lossy_tool_id"),
            ["presets"] = Lines(conn, "SELECT lossy_level, color_count, frame_ratio FROM param_presets"),
            ["gifs"] = Lines(conn, "SELECT sha256, file_name, file_path, file_size_bytes, width, height, frame_count, features_json, feature_version, processed_at, duration_ms, loop_count, decode_status, content_type FROM gifs"),
            ["runs"] = Lines(conn, $"""
                SELECT g.sha256, p.identifier, {preset}, r.output_size_bytes, r.compression_ratio, r.metrics_json, r.validation_status,
                       r.duration_ms, r.metric_set_version, r.validation_json, r.engine_cpu_ms, r.tool_versions, r.giflab_version
                FROM compression_runs r JOIN gifs g ON g.id = r.gif_id JOIN pipelines p ON p.id = r.pipeline_id JOIN param_presets pr ON pr.id = r.param_preset_id
                """),
            ["failures"] = Lines(conn, $"""
                SELECT g.sha256, p.identifier, {preset}, f.error_type, f.error_message, f.file_path, f.permanent, f.command_line
                FROM failures f LEFT JOIN gifs g ON g.id = f.gif_id LEFT JOIN pipelines p ON p.id = f.pipeline_id LEFT JOIN param_presets pr ON pr.id = f.param_preset_id
                """),
        };
    }

    /// <summary>Every row of every table, ids and timestamps included.</summary>
    private static List<string> RawRows(string path)
    {
        using var conn = new SqliteConnection($"Data Source={path};Pooling=False;Mode=ReadOnly");
        conn.Open();
        var rows = new List<string>();
        foreach (var table in new[] { "tools", "pipelines", "param_presets", "gifs", "compression_runs", "failures", "schema_version" })
            rows.AddRange(Lines(conn, $"SELECT '{table}', * FROM {table}"));
        return rows;
    }

    private static List<string> Lines(SqliteConnection conn, string sql)
    {
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var lines = new List<string>();
        while (r.Read())
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
