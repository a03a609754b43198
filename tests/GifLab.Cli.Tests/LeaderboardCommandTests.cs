using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GifLab.Cli.Commands;
using GifLab.Core.Model;
using GifLab.Storage;
using GifLab.Storage.Sqlite;

namespace GifLab.Cli.Tests;

public sealed class LeaderboardCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "giflab-cli-lb-" + Guid.NewGuid().ToString("N")[..12]);

    public LeaderboardCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    /// <summary>Six GIFs, two engines' lossy curves: imagemagick's sizes are 80 % of gifsicle's at every quality.</summary>
    private async Task<string> CreateDbAsync()
    {
        var path = Path.Combine(_dir, "d.db");
        await using var store = new SqliteResultStore(path);
        await store.InitializeAsync(default);
        var pipes = new[] { new PipelineId("none-frame", "none-color", "gifsicle-lossy"), new PipelineId("none-frame", "none-color", "imagemagick-lossy") };
        var presets = ParamPreset.DefaultLossyLevels.Select(l => new ParamPreset(l, 256, 1.0)).ToList();
        var ids = await store.EnsurePipelinesAndPresetsAsync(pipes, presets, default);
        for (var g = 0; g < 6; g++)
        {
            var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("lb" + g)));
            var gifId = await store.UpsertGifAsync(new GifRecord(sha, $"g{g}.gif", null, 20_000, 8, 8, 2, 100, 0,
                """{"color_histogram_entropy":5,"dominant_color_ratio":0.2,"unique_colors":256}""", "1.1.0", DateTimeOffset.UtcNow, "ok"), default);
            var runs = new List<RunRecord>();
            foreach (var (pipe, factor) in new[] { (pipes[0], 1.0), (pipes[1], 0.8) })
                foreach (var p in presets)
                {
                    var size = (long)Math.Round(factor * (10_000 - 60 * p.LossyLevel + 100 * g));
                    var q = 1 - 0.002 * p.LossyLevel;
                    runs.Add(RunRecord.Valid(gifId, ids.Pipelines[pipe], ids.Presets[p], 1, 1, null, size, 20_000.0 / size,
                        string.Create(CultureInfo.InvariantCulture, $$"""{"composite_score":{{q:R}},"ssim":{{q:R}}}"""), null, null));
                }
            await store.SaveRunsAsync(runs, default);
        }
        return path;
    }

    [Fact]
    public async Task Leaderboard_Json_RanksTheSmallerEngineFirst_BdRateMinus20Percent()
    {
        var db = await CreateDbAsync();
        var (code, stdout, stderr) = CliRunner.Run(_dir, TimeSpan.FromMinutes(2), "leaderboard", "--db", db, "--format", "json", "--bootstrap", "200");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal("composite_score", doc.RootElement.GetProperty("metric").GetString());
        Assert.Equal(0.9, doc.RootElement.GetProperty("floor").GetDouble());
        var boards = doc.RootElement.GetProperty("leaderboards");
        Assert.Equal(["all", "photo"], boards.EnumerateArray().Select(b => b.GetProperty("group").GetString()));
        var rows = boards[0].GetProperty("rows");
        Assert.Equal("imagemagick", rows[0].GetProperty("family").GetString());
        Assert.Equal(1.0, rows[0].GetProperty("win_rate").GetProperty("value").GetDouble());
        Assert.Equal(1.25, rows[1].GetProperty("median_relative_size").GetProperty("value").GetDouble(), 2);
        var cell = doc.RootElement.GetProperty("bd_rate").GetProperty("matrices")[0].GetProperty("cells").EnumerateArray()
            .Single(c => c.GetProperty("anchor").GetString() == "gifsicle" && c.GetProperty("test").GetString() == "imagemagick");
        // Sizes 0.8× at every quality (rounding aside): BD-rate −20 %.
        Assert.Equal(-0.2, cell.GetProperty("median").GetProperty("value").GetDouble(), 3);
    }

    [Fact]
    public async Task Leaderboard_TableAndCsv_Print()
    {
        var db = await CreateDbAsync();
        var (code, stdout, stderr) = CliRunner.Run(_dir, TimeSpan.FromMinutes(2), "leaderboard", "--db", db, "--bootstrap", "200");
        Assert.True(code == 0, stderr);
        Assert.Contains("== photo (6 GIFs) ==", stdout);
        Assert.Contains("BD-rate", stdout);
        (code, stdout, stderr) = CliRunner.Run(_dir, TimeSpan.FromMinutes(2), "leaderboard", "--db", db, "--format", "csv", "--by", "none", "--metric", "ssim", "--bootstrap", "200");
        Assert.True(code == 0, stderr);
        var lines = stdout.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("group,rank,family,pipeline,engine,gifs", lines[0], StringComparison.Ordinal);
        Assert.Equal(3, lines.Length);
        Assert.All(lines.Skip(1), l => Assert.StartsWith("all,", l, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--metric", "ssimulacra")]        // unknown: suggests ssimulacra2
    [InlineData("--metric", "frame_count")]       // informational
    [InlineData("--metric", "gmsd")]              // no default floor and none given
    [InlineData("--engines", "gifsicle,nope")]
    [InlineData("--by", "engine")]
    public async Task Leaderboard_BadOptions_ExitUsage(params string[] args)
    {
        var db = await CreateDbAsync();
        var (code, _, stderr) = CliRunner.Run(_dir, TimeSpan.FromMinutes(1), ["leaderboard", "--db", db, .. args]);
        Assert.Equal(ExitCodes.Usage, code);
        if (args[1] == "ssimulacra") Assert.Contains("did you mean 'ssimulacra2'", stderr);
    }

    [Fact]
    public void Leaderboard_MissingDatabase_ExitsStorageUnavailable()
    {
        var (code, _, stderr) = CliRunner.Run(_dir, TimeSpan.FromMinutes(1), "leaderboard", "--db", Path.Combine(_dir, "none.db"));
        Assert.Equal(ExitCodes.StorageUnavailable, code);
        Assert.Contains("does not exist", stderr);
    }

    [Fact]
    public async Task Report_WritesIndexAndPrintsItsPath()
    {
        var db = await CreateDbAsync();
        var outDir = Path.Combine(_dir, "report");
        var (code, stdout, stderr) = CliRunner.Run(_dir, TimeSpan.FromMinutes(2), "report", "--db", db, "--out", outDir, "--no-outputs", "--bootstrap", "200");
        Assert.True(code == 0, stderr);
        Assert.Equal(Path.Combine(outDir, "index.html"), stdout.Trim());
        var html = File.ReadAllText(stdout.Trim());
        Assert.Contains("<table class=\"leaderboard\">", html, StringComparison.Ordinal);
        Assert.Equal(6, Directory.GetFiles(Path.Combine(outDir, "gifs"), "*.html").Length);
    }

    [Fact]
    public async Task Report_FormatJson_PrintsTheIndexPathAndCounts()
    {
        var db = await CreateDbAsync();
        var outDir = Path.Combine(_dir, "report-json");
        var (code, stdout, stderr) = CliRunner.Run(_dir, TimeSpan.FromMinutes(2), "report", "--db", db, "--output", outDir, "--no-outputs", "--bootstrap", "200", "--format", "json");
        Assert.True(code == 0, stderr);
        using var doc = System.Text.Json.JsonDocument.Parse(stdout);
        Assert.Equal(Path.Combine(outDir, "index.html"), doc.RootElement.GetProperty("index").GetString());
        Assert.Equal(6, doc.RootElement.GetProperty("gif_pages").GetInt32());
    }

    [Fact]
    public async Task Stats_PrintsGifsPerContentType()
    {
        var db = await CreateDbAsync();
        var (code, stdout, stderr) = CliRunner.Run(_dir, TimeSpan.FromMinutes(1), "stats", "--db", db);
        Assert.True(code == 0, stderr);
        Assert.Contains("Content types: photo 6", stdout);
        (code, stdout, _) = CliRunner.Run(_dir, TimeSpan.FromMinutes(1), "stats", "--db", db, "--format", "json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(6, doc.RootElement.GetProperty("content_types").GetProperty("photo").GetInt64());
    }

    [Fact]
    public void Parse_Defaults()
    {
        var parse = Program.BuildRoot().Parse(["leaderboard"]);
        Assert.Empty(parse.Errors);
        var request = LeaderboardCommand.Parse(parse);
        Assert.Equal(CommonOptions.DefaultDb, request.Db);
        Assert.Equal("table", request.Format);
        Assert.Equal("composite_score", request.Options.Metric.Name);
        Assert.Equal(0.9, request.Options.Floor);
        Assert.Equal(GifLab.Answers.GroupBy.ContentType, request.Options.By);
        Assert.Equal(Engine.Gifsicle, request.Options.Anchor);
        Assert.Null(request.Options.Engines);
    }
}
