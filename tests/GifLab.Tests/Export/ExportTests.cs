using System.Text;
using System.Text.Json;
using GifLab.Core.Curves;
using GifLab.Core.Metrics;
using GifLab.Core.Model;
using GifLab.Export;
using GifLab.Storage;
using GifLab.Storage.Sqlite;

namespace GifLab.Tests.Export;

public class ExportTests
{
    private static readonly DateTimeOffset At = new(2026, 5, 6, 7, 8, 9, TimeSpan.Zero);

    private static ExportOptions Options(ExportFormat format, IDatasetReader reader, DatasetSplit? split = null) =>
        new(format, new ExportColumns(reader.SampleMetricKeys(), reader.SampleFeatureNames()), "1.0.0", SplitRatios.Default, split, At);

    private static string Export(IDatasetReader reader, ExportOptions options, out ExportSummary summary)
    {
        using var ms = new MemoryStream();
        summary = DatasetExporter.Export(reader, options, ms, default);
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    [Fact]
    public async Task Reader_Curves_FromHandMadeDb_ReportFailedAndAbsentPoints()
    {
        using var dir = new TempDir();
        var sha = await DatasetFixture.CreateSmallAsync(dir.File("a.db"));
        using var reader = new SqliteDatasetReader(dir.File("a.db"), EngineCurves.LossyToolOrder);
        var gif = reader.ReadGifs(default).Single(g => g.Sha256 == sha);
        var failures = reader.ReadRunFailures(gif.Id);
        var runs = reader.ReadRuns(gif.Id).Select(r => new CurveRun(r.Pipeline, r.LossyLevel, r.ColorCount, r.FrameRatio,
            r.OutputSizeBytes, r.CompressionRatio, r.ValidationStatus, null, null)).ToList();
        var curves = CurveBuilder.BuildAll(sha, gif.FileSizeBytes, EngineCurves.Specs, runs, failures, At);

        var lossy = curves.Single(c => c.Engine == Engine.Gifsicle && c.CurveType == CurveType.Lossy);
        Assert.Equal([0, 10, 20, 30, 40, 60, 70, 80, 90], lossy.Points.Select(p => p.X));
        // Size 10,000 − 50·L bytes by construction: L=40 → 8,000 bytes = 7.8125 KiB; ratio 20,000 / 8,000 = 2.5.
        var p40 = lossy.Points.Single(p => p.X == 40);
        Assert.Equal(8000, p40.SizeBytes);
        Assert.Equal(7.8125, p40.SizeKiB);
        Assert.Equal(2.5, p40.CompressionRatio);
        Assert.Equal([new MissingPoint(50, "tool:timeout: gifsicle timed out after 120 s"), new MissingPoint(100, "not run")], lossy.Missing);

        var colors = curves.Single(c => c.Engine == Engine.Gifsicle && c.CurveType == CurveType.Colors);
        Assert.True(colors.IsComplete);
        Assert.Equal((10_000 - 10 * (256 - 16)) / 1024.0, colors.SizeKiBAt(16));

        var ffmpeg = curves.Single(c => c.Engine == Engine.Ffmpeg);
        Assert.Equal([0], ffmpeg.Points.Select(p => p.X));
        Assert.Equal(10, ffmpeg.Missing.Count);
        Assert.DoesNotContain(curves, c => c.Engine == Engine.Ffmpeg && c.CurveType == CurveType.Colors);

        Assert.Equal(new CurveCompleteness(1, 0), reader.CountCurveCompleteness(EngineCurves.Specs[0].LossyPipeline, CurveType.Lossy));
        Assert.Equal(new CurveCompleteness(1, 1), reader.CountCurveCompleteness(EngineCurves.Specs[0].ColorPipeline!, CurveType.Colors));
        Assert.Equal("1.94", reader.ReadTools().Single(t => t.Name == "gifsicle-lossy").Version);
    }

    [Fact]
    public void Reader_MissingDatabase_IsStorageUnavailable_AndNotCreated()
    {
        using var dir = new TempDir();
        Assert.Throws<StorageUnavailableException>(() => new SqliteDatasetReader(dir.File("none.db"), []));
        Assert.False(File.Exists(dir.File("none.db")));
    }

    [Fact]
    public async Task Csv_HeaderInSeedOrder_Rfc4180Quoting_OneRowPerRun()
    {
        using var dir = new TempDir();
        var sha = await DatasetFixture.CreateSmallAsync(dir.File("a.db"));
        using var reader = new SqliteDatasetReader(dir.File("a.db"), EngineCurves.LossyToolOrder);
        var csv = Export(reader, Options(ExportFormat.Csv, reader), out var summary);
        var rows = Rfc4180.Parse(csv);

        Assert.Equal(
            ["gif_sha", "gif_name", "original_size", "pipeline", "lossy_level", "color_count", "output_size", "compression_ratio",
             "ssim", "psnr", "ms_ssim", "composite_score",
             "feature_width", "feature_height", "feature_frame_count", "feature_entropy", "feature_edge_density",
             "frame_ratio", "engine", "validation_status", "metric_set_version", "duration_ms", "engine_cpu_ms", "command_lines"],
            rows[0]);
        Assert.Equal(17, summary.Runs);
        Assert.Equal(18, rows.Count);
        Assert.All(rows, r => Assert.Equal(rows[0].Length, r.Length));
        Assert.Contains("\"a, \"\"quoted\"\"\nname.gif\"", csv);
        Assert.EndsWith("\r\n", csv);

        var col = rows[0].Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i);
        var first = rows.Single(r => r[col["pipeline"]] == "none-frame|none-color|gifsicle-lossy" && r[col["lossy_level"]] == "0");
        Assert.Equal(sha, first[col["gif_sha"]]);
        Assert.Equal("a, \"quoted\"\nname.gif", first[col["gif_name"]]);
        Assert.Equal("none-frame|none-color|gifsicle-lossy", first[col["pipeline"]]);
        Assert.Equal("gifsicle", first[col["engine"]]);
        Assert.Equal("0", first[col["lossy_level"]]);
        Assert.Equal("10000", first[col["output_size"]]);
        Assert.Equal("2", first[col["compression_ratio"]]);
        Assert.Equal("1", first[col["ssim"]]);
        Assert.Equal("", first[col["ms_ssim"]]);
        Assert.Equal("4.25", first[col["feature_entropy"]]);
        Assert.Equal("1", first[col["frame_ratio"]]);
        var failed = rows.Single(r => r[col["validation_status"]] == "error");
        Assert.Equal("50", failed[col["lossy_level"]]);
        Assert.Equal("", failed[col["output_size"]]);
        var other = rows.Single(r => r[col["pipeline"]].EndsWith("gifsicle-lossy-O3", StringComparison.Ordinal));
        Assert.Equal("", other[col["engine"]]);
    }

    [Fact]
    public async Task Json_HierarchyPerGifAndEngine_WithCurvesParetoAndRuns()
    {
        using var dir = new TempDir();
        var sha = await DatasetFixture.CreateSmallAsync(dir.File("a.db"));
        using var reader = new SqliteDatasetReader(dir.File("a.db"), EngineCurves.LossyToolOrder);
        var json = Export(reader, Options(ExportFormat.Json, reader), out _);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal("1.0.0", root.GetProperty("dataset_version").GetString());
        var gifs = root.GetProperty("gifs").EnumerateArray().ToList();
        Assert.Equal(2, gifs.Count);
        var a = gifs.Single(g => g.GetProperty("gif_sha").GetString() == sha);
        Assert.Equal(JsonValueKind.Object, a.GetProperty("features").ValueKind);
        Assert.Equal(SplitRatios.Name(SplitRatios.Default.Assign(sha)), a.GetProperty("split").GetString());
        var engines = a.GetProperty("engines");
        Assert.Equal(["gifsicle", "ffmpeg"], engines.EnumerateObject().Select(p => p.Name));
        var g = engines.GetProperty("gifsicle");
        Assert.Equal(15, g.GetProperty("runs").GetArrayLength());
        var lossy = CompressionCurveJson.Read(g.GetProperty("lossy_curve"));
        Assert.Equal(9, lossy.Points.Count);
        Assert.Equal(0.8, lossy.Points.Single(p => p.X == 40).CompositeScore!.Value, 12); // L=40 → 1 − 40/200 = 0.8
        Assert.Equal(0.9, lossy.Points.Single(p => p.X == 40).Ssim!.Value, 12);           // L=40 → 1 − 40/400 = 0.9
        var colors = CompressionCurveJson.Read(g.GetProperty("color_curve"));
        Assert.True(colors.IsComplete);
        // Frontier over the 14 valid gifsicle runs, worked out by hand from the fixture's formulas
        // (size = 10000 − 50L − 10(256−C), quality = 1 − L/200 − (256−C)/10000): the colour runs (7600, .976) … (8720, .9872)
        // dominate lossy L=20…40 (9000/.9, 8500/.85, 8000/.8) and L=10 (9500/.95); L=0 and C=256 are the same point (kept once).
        var pareto = g.GetProperty("pareto").EnumerateArray().ToList();
        var sizes = pareto.Select(p => p.GetProperty("output_size").GetInt64()).ToList();
        Assert.Equal([5500L, 6000, 6500, 7000, 7600, 7760, 8080, 8720, 10000], sizes);
        Assert.Equal("none-frame|gifsicle-color|gifsicle-lossy", pareto[^1].GetProperty("pipeline").GetString()); // first of the two equal points in run order
        var qualities = pareto.Select(p => p.GetProperty("quality").GetDouble()).ToList();
        Assert.Equal(qualities.Order(), qualities);
        var failedRun = g.GetProperty("runs").EnumerateArray().Single(r => r.GetProperty("validation_status").GetString() == "error");
        Assert.Equal("tool:timeout: gifsicle timed out after 120 s", failedRun.GetProperty("failure").GetString());
        Assert.Equal(JsonValueKind.Null, failedRun.GetProperty("metrics").ValueKind);
        Assert.Equal(JsonValueKind.Null, engines.GetProperty("ffmpeg").GetProperty("color_curve").ValueKind);
        Assert.Equal(1, a.GetProperty("other_runs").GetArrayLength());
        var b = gifs.Single(x => x.GetProperty("gif_sha").GetString() != sha);
        Assert.Empty(b.GetProperty("engines").EnumerateObject());
        Assert.Equal(JsonValueKind.Null, b.GetProperty("features").ValueKind);
    }

    [Fact]
    public async Task Jsonl_OneValidTrainingRecordPerGifWithFeatures_ParsesBack()
    {
        using var dir = new TempDir();
        var sha = await DatasetFixture.CreateSmallAsync(dir.File("a.db"));
        using var reader = new SqliteDatasetReader(dir.File("a.db"), EngineCurves.LossyToolOrder);
        var text = Export(reader, Options(ExportFormat.Jsonl, reader), out var summary);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        Assert.Single(summary.SkippedGifs); // gif-b has no features
        var record = TrainingRecordJson.Parse(line);
        Assert.Equal(sha, record.GifSha);
        Assert.Equal(RecordId.For(sha, "1.0.0"), record.RecordId);
        Assert.Equal([Engine.Gifsicle, Engine.Ffmpeg], record.LossyCurves.Keys.OrderBy(e => e));
        Assert.Equal([Engine.Gifsicle], record.ColorCurves.Keys);
        Assert.Equal(At, record.CreatedAt);
        Assert.Contains(record.LossyCurves[Engine.Gifsicle].Missing, m => m.X == 50);

        // Exporting again gives byte-identical output (deterministic order and ids).
        Assert.Equal(text, Export(reader, Options(ExportFormat.Jsonl, reader), out _));
    }

    [Fact]
    public async Task SplitFilter_ExportsOnlyThatSplit()
    {
        using var dir = new TempDir();
        var sha = await DatasetFixture.CreateSmallAsync(dir.File("a.db"));
        using var reader = new SqliteDatasetReader(dir.File("a.db"), EngineCurves.LossyToolOrder);
        var own = SplitRatios.Default.Assign(sha);
        var other = own == DatasetSplit.Train ? DatasetSplit.Test : DatasetSplit.Train;
        Export(reader, Options(ExportFormat.Csv, reader, own), out var mine);
        Assert.Equal(17, mine.Runs);
        var csv = Export(reader, Options(ExportFormat.Csv, reader, other), out var none);
        Assert.Equal(0, none.Runs);
        Assert.Single(Rfc4180.Parse(csv)); // header only
    }

    [Fact]
    public async Task Metadata_HasVersionsToolsAndColumns()
    {
        using var dir = new TempDir();
        await DatasetFixture.CreateSmallAsync(dir.File("a.db"));
        using var reader = new SqliteDatasetReader(dir.File("a.db"), EngineCurves.LossyToolOrder);
        var options = Options(ExportFormat.Csv, reader);
        using var ms = new MemoryStream();
        ExportMetadata.Write(ms, options, new ExportSummary(1, 17, 17, []), reader.Location, reader.ReadTools());
        using var doc = JsonDocument.Parse(ms.ToArray());
        var r = doc.RootElement;
        Assert.Equal("1.0.0", r.GetProperty("dataset_version").GetString());
        Assert.Equal(GifLabInfo.Version, r.GetProperty("giflab_version").GetString());
        Assert.False(string.IsNullOrEmpty(r.GetProperty("git_commit").GetString()));
        Assert.Equal("1.94", r.GetProperty("tools").GetProperty("gifsicle-lossy").GetString());
        Assert.Equal(options.Columns.CsvHeader(), r.GetProperty("columns").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(0.8, r.GetProperty("split").GetProperty("train").GetDouble());
        var current = r.GetProperty("metric_versions").GetProperty(MetricSuite.SetVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(MetricRegistry.All.Select(m => (m.Info.Name, m.Info.Version)),
            current.EnumerateObject().Select(p => (p.Name, p.Value.GetInt32())));
    }

    [Fact]
    public void V1Import_ConvertsGoodLines_ReportsBadOnes()
    {
        const string sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        var good = $$"""{"schema_version":"1.0.0","record_id":"r1","gif_sha":"{{sha}}","dataset_version":"1.0.0","split":"test","features":{"gif_sha":"{{sha}}","width":5},"lossy_curve_gifsicle":{"gif_sha":"{{sha}}","engine":"gifsicle","curve_type":"lossy","is_predicted":false,"created_at":"2025-01-01T00:00:00Z","size_at_lossy_0":10.0},"lossy_curve_animately":{"gif_sha":"{{sha}}","engine":"animately","curve_type":"lossy","is_predicted":false,"created_at":"2025-01-01T00:00:00Z","size_at_lossy_0":9.0},"color_curve_gifsicle":{"gif_sha":"{{sha}}","engine":"gifsicle","curve_type":"colors","is_predicted":false,"created_at":"2025-01-01T00:00:00Z","size_at_colors_256":10.0},"color_curve_animately":null,"created_at":"2025-01-01T00:00:00Z"}""";
        var bad = good.Replace("\"size_at_lossy_0\":10.0", "\"size_at_lossy_0\":-1", StringComparison.Ordinal);
        using var output = new MemoryStream();
        var summary = V1Importer.Convert(new StringReader(good + "\n\n" + bad + "\n{oops\n"), output, 10, default);
        Assert.Equal(1, summary.Converted);
        Assert.Equal(2, summary.Failed);
        Assert.StartsWith("line 3:", summary.Errors[0]);
        Assert.StartsWith("line 4:", summary.Errors[1]);
        var line = Assert.Single(Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var v2 = TrainingRecordJson.Parse(line);
        Assert.True(v2.LossyCurves.ContainsKey(Engine.AnimatelyStandard));
    }
}

/// <summary>A minimal RFC 4180 reader written for the tests (independent of the exporter's writer).</summary>
internal static class Rfc4180
{
    public static List<string[]> Parse(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { row.Add(field.ToString()); field.Clear(); }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(field.ToString()); field.Clear();
                rows.Add([.. row]); row.Clear();
                i++;
            }
            else field.Append(c);
        }
        if (field.Length > 0 || row.Count > 0) { row.Add(field.ToString()); rows.Add([.. row]); }
        return rows;
    }
}
