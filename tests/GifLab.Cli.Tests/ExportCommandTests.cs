using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GifLab.Cli;
using GifLab.Cli.Commands;
using GifLab.Core.Curves;
using GifLab.Core.Model;
using GifLab.Storage;
using GifLab.Storage.Sqlite;

namespace GifLab.Cli.Tests;

[Collection("Console")]
public class ExportCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "giflab-cli-" + Guid.NewGuid().ToString("N")[..12]);

    public ExportCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private string PathOf(string name) => Path.Combine(_dir, name);

    private static string Sha(string seed) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed)));

    /// <summary>Two GIFs, each with a complete gifsicle lossy curve (sizes 10,000 − 50·L bytes).</summary>
    private async Task<string> CreateDbAsync()
    {
        var path = PathOf("d.db");
        await using var store = new SqliteResultStore(path);
        await store.InitializeAsync(default);
        var pipeline = new PipelineId("none-frame", "none-color", "gifsicle-lossy");
        var presets = ParamPreset.DefaultLossyLevels.Select(l => new ParamPreset(l, 256, 1.0)).ToList();
        var ids = await store.EnsurePipelinesAndPresetsAsync([pipeline], presets, default);
        foreach (var seed in new[] { "x", "y" })
        {
            var sha = Sha(seed);
            var gifId = await store.UpsertGifAsync(new GifRecord(sha, seed + ".gif", null, 20_000, 8, 8, 2, 100, 0,
                $$"""{"gif_sha":"{{sha}}","gif_name":"{{seed}}.gif","extraction_version":"1.0.0","extracted_at":"2026-01-01T00:00:00Z","entropy":1.5}""",
                "1.0.0", DateTimeOffset.UtcNow, "ok"), default);
            await store.SaveRunsAsync(presets.Select(p => RunRecord.Valid(gifId, ids.Pipelines[pipeline], ids.Presets[p], durationMs: 1, metricSetVersion: 1, toolVersionsJson: null,
                outputSizeBytes: 10_000 - 50 * p.LossyLevel, compressionRatio: 20_000.0 / (10_000 - 50 * p.LossyLevel),
                metricsJson: $$"""{"ssim":0.9,"psnr":30,"composite_score":0.8,"metric_set_version":1}""", validationJson: null, engineCpuMs: null)).ToList(), default);
        }
        return path;
    }

    private static Task<int> Invoke(params string[] args) => Program.BuildRoot().Parse(args).InvokeAsync();

    [Theory]
    [InlineData("export", "--format", "csv")]                                    // --output is required
    [InlineData("export", "--format", "xml", "--output", "o")]
    [InlineData("export", "--split", "dev", "--output", "o")]
    public void Parse_BadCommandLines_AreParseErrors(params string[] args) =>
        Assert.NotEmpty(Program.BuildRoot().Parse(args).Errors);

    [Fact]
    public void Parse_BuildsRequest_WithDefaults()
    {
        var parse = Program.BuildRoot().Parse(["export", "--output", "out.csv"]);
        Assert.Empty(parse.Errors);
        var r = ExportCommand.Parse(parse);
        Assert.Equal(GifLab.Export.ExportFormat.Csv, r.Format);
        Assert.Equal("1.0.0", r.DatasetVersion);
        Assert.Equal(0.8, r.Ratios.Train, 12);
        Assert.Null(r.Split);
        Assert.Equal("data/giflab.db", r.Db);
    }

    [Theory]
    [InlineData("--split-ratios", "0.9,0.2")]
    [InlineData("--dataset-version", "v1")]
    [InlineData("--from-v1", "in.jsonl")] // with the default --format csv
    public async Task Invoke_InvalidValues_ExitUsage(string option, string value) =>
        Assert.Equal(ExitCodes.Usage, await Invoke("export", "--output", PathOf("o.csv"), option, value));

    [Fact]
    public async Task Invoke_OutputIsTheDatabase_ExitsUsage_AndKeepsTheDatabase()
    {
        var db = await CreateDbAsync();
        var before = new FileInfo(db).Length;
        Assert.Equal(ExitCodes.Usage, await Invoke("export", "--db", db, "--output", db));
        Assert.Equal(before, new FileInfo(db).Length);
    }

    [Fact]
    public async Task Invoke_UnwritableOutput_ExitsStorageUnavailable()
    {
        var db = await CreateDbAsync();
        File.WriteAllText(PathOf("file"), "x");
        // A path below a regular file cannot be created.
        Assert.Equal(ExitCodes.StorageUnavailable, await Invoke("export", "--db", db, "--output", Path.Combine(PathOf("file"), "o.csv")));
    }

    [Fact]
    public async Task Invoke_MissingDatabase_ExitsStorageUnavailable_WithoutCreatingIt()
    {
        Assert.Equal(ExitCodes.StorageUnavailable, await Invoke("export", "--db", PathOf("missing.db"), "--output", PathOf("o.csv")));
        Assert.False(File.Exists(PathOf("missing.db")));
        Assert.False(File.Exists(PathOf("o.csv")));
    }

    [Fact]
    public async Task Invoke_CsvJsonJsonl_WriteFilesAndSidecars()
    {
        var db = await CreateDbAsync();
        foreach (var format in new[] { "csv", "json", "jsonl" })
        {
            var output = PathOf("out." + format);
            Assert.Equal(ExitCodes.Ok, await Invoke("export", "--db", db, "--format", format, "--output", output, "--dataset-version", "2.1.0"));
            Assert.True(File.Exists(output));
            Assert.False(File.Exists(output + ".partial"));
            using var meta = JsonDocument.Parse(File.ReadAllText(output + ".meta.json"));
            Assert.Equal("2.1.0", meta.RootElement.GetProperty("dataset_version").GetString());
            Assert.Equal(format, meta.RootElement.GetProperty("format").GetString());
        }
        var csvLines = File.ReadAllText(PathOf("out.csv")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1 + 22, csvLines.Length);
        var featureColumns = string.Join(",", GifLab.Core.Features.FeatureRegistry.Names.Select(n => "feature_" + n));
        // Seed order: identity, pipeline and preset, sizes, ssim, psnr, every other metric key (registry order), features.
        // compression_ratio (a key of the efficiency metric too) is column 8 only: no CSV column appears twice.
        var otherMetrics = string.Join(",", GifLab.Core.Metrics.MetricRegistry.OutputKeys.Where(k => k is not "ssim" and not "psnr" and not "compression_ratio"));
        var header = csvLines[0].Split(',');
        Assert.Equal(header.Length, header.Distinct().Count());
        Assert.StartsWith("gif_sha,gif_name,original_size,pipeline,lossy_level,color_count,output_size,compression_ratio,ssim,psnr," + otherMetrics + "," + featureColumns + ",frame_ratio,engine,validation_status", csvLines[0]);
        var records = File.ReadAllLines(PathOf("out.jsonl")).Select(TrainingRecordJson.Parse).ToList();
        Assert.Equal(2, records.Count);
        Assert.All(records, r => Assert.True(r.LossyCurves[Engine.Gifsicle].IsComplete));
        Assert.All(records, r => Assert.Equal("2.1.0", r.DatasetVersion));
    }

    [Fact]
    public async Task Invoke_EmptySplit_ExitsOk_WithHeaderOnly()
    {
        var db = await CreateDbAsync();
        var splits = new[] { Sha("x"), Sha("y") }.Select(s => SplitRatios.Default.Assign(s)).ToHashSet();
        var empty = new[] { DatasetSplit.Train, DatasetSplit.Val, DatasetSplit.Test }.First(s => !splits.Contains(s));
        var output = PathOf("empty.csv");
        Assert.Equal(ExitCodes.Ok, await Invoke("export", "--db", db, "--output", output, "--split", SplitRatios.Name(empty)));
        Assert.Single(File.ReadAllText(output).Split("\r\n", StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Invoke_FromV1_ConvertsAndFailsWithInputErrorOnBadLines()
    {
        var sha = Sha("v1");
        var curve = (string type, string field) => $$"""{"gif_sha":"{{sha}}","engine":"gifsicle","curve_type":"{{type}}","is_predicted":false,"created_at":"2025-01-01T00:00:00Z","{{field}}":5.0}""";
        var v1 = $$"""{"schema_version":"1.0.0","record_id":"id-1","gif_sha":"{{sha}}","dataset_version":"1.0.0","split":"train","features":{"gif_sha":"{{sha}}"},"lossy_curve_gifsicle":{{curve("lossy", "size_at_lossy_0")}},"color_curve_gifsicle":{{curve("colors", "size_at_colors_256")}},"created_at":"2025-01-01T00:00:00Z"}""";
        File.WriteAllText(PathOf("v1.jsonl"), v1 + "\n");
        Assert.Equal(ExitCodes.Ok, await Invoke("export", "--from-v1", PathOf("v1.jsonl"), "--format", "jsonl", "--output", PathOf("v2.jsonl")));
        var v2 = TrainingRecordJson.Parse(File.ReadAllLines(PathOf("v2.jsonl")).Single());
        Assert.Equal("id-1", v2.RecordId);
        File.AppendAllText(PathOf("v1.jsonl"), "{\"schema_version\":\"1.0.0\"}\n");
        Assert.Equal(ExitCodes.InputError, await Invoke("export", "--from-v1", PathOf("v1.jsonl"), "--format", "jsonl", "--output", PathOf("v2.jsonl")));
    }

    [Fact]
    public async Task Stats_Json_HasCurveCompletenessAndSplits()
    {
        var db = await CreateDbAsync();
        var original = Console.Out;
        var sw = new StringWriter();
        Console.SetOut(sw);
        try
        {
            Assert.Equal(ExitCodes.Ok, await Invoke("stats", "--db", db, "--format", "json"));
        }
        finally
        {
            Console.SetOut(original);
        }
        using var doc = JsonDocument.Parse(sw.ToString());
        var gifsicle = doc.RootElement.GetProperty("curve_completeness").GetProperty("gifsicle");
        Assert.Equal(2, gifsicle.GetProperty("lossy").GetProperty("gifs_complete").GetInt64());
        Assert.Equal(0, gifsicle.GetProperty("colors").GetProperty("gifs_with_runs").GetInt64());
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("curve_completeness").GetProperty("gifski").GetProperty("colors").ValueKind);
        var splits = doc.RootElement.GetProperty("splits");
        Assert.Equal(2, splits.GetProperty("train").GetInt64() + splits.GetProperty("val").GetInt64() + splits.GetProperty("test").GetInt64());
        Assert.Equal(2, doc.RootElement.GetProperty("gifs").GetInt64()); // existing output kept
    }
}
