using GifLab.Answers;
using GifLab.Core.Features;
using GifLab.Storage;
using GifLab.Storage.Sqlite;
using GifLab.Tests.Engines;
using Microsoft.Data.Sqlite;

namespace GifLab.Tests.Answers;

public sealed class SqliteAnswersReaderTests
{
    [Fact]
    public async Task ReadGifs_EveryGifWithItsRuns_MetricValue_AndStoredContentType()
    {
        using var dir = TestEnvironment.NewTempDir();
        var path = await AnswersTestDb.CreateAsync(Path.Combine(dir.Path, "a.db"), 10);
        using var reader = new SqliteAnswersReader(path);
        var gifs = reader.ReadGifs("composite_score", CancellationToken.None).ToList();
        Assert.Equal(10, gifs.Count);
        Assert.All(gifs, g => Assert.Equal(56, g.Runs.Count)); // 4 lossy curves × 11 levels + 3 colour curves × 4 counts
        Assert.Equal(ContentTypes.All.Concat(ContentTypes.All).Cast<ContentType?>(), gifs.Select(g => g.ContentType));
        Assert.All(gifs.SelectMany(g => g.Runs).Where(r => r.ValidationStatus == "valid"), r => Assert.InRange(r.Quality!.Value, 0, 1));
        Assert.Equal(4, gifs.SelectMany(g => g.Runs).Count(r => r.ValidationStatus == "corrupted")); // GIF 2, lossy 100 of the 4 lossy curves

        // The column is what the store wrote: the classifier over the features.
        await using var conn = new SqliteConnection($"Data Source={path};Pooling=False");
        await conn.OpenAsync();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT content_type FROM gifs ORDER BY id LIMIT 5;";
        var stored = new List<string>();
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync()) stored.Add(r.GetString(0));
        Assert.Equal(ContentTypes.All.Select(t => t.Name()), stored);

        // A metric that is absent reads as null, not as an error.
        Assert.All(reader.ReadGifs("ms_ssim", CancellationToken.None).SelectMany(g => g.Runs), r => Assert.Null(r.Quality));
    }

    [Fact]
    public async Task ReadGifs_RowsWithoutStoredType_AreClassifiedFromFeatures()
    {
        using var dir = TestEnvironment.NewTempDir();
        var path = await AnswersTestDb.CreateAsync(Path.Combine(dir.Path, "a.db"), 5);
        await using (var conn = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await conn.OpenAsync();
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = "UPDATE gifs SET content_type = NULL;"; // as written before schema v2
            await cmd.ExecuteNonQueryAsync();
        }
        using var reader = new SqliteAnswersReader(path);
        Assert.Equal(ContentTypes.All.Cast<ContentType?>(), reader.ReadGifs("composite_score", CancellationToken.None).Select(g => g.ContentType));
    }

    [Fact]
    public async Task Summary_AndFailureGroups()
    {
        using var dir = TestEnvironment.NewTempDir();
        var path = await AnswersTestDb.CreateAsync(Path.Combine(dir.Path, "a.db"), 3);
        using var reader = new SqliteAnswersReader(path);
        var s = reader.ReadSummary(CancellationToken.None);
        Assert.Equal(3, s.Gifs);
        Assert.Equal(3 * 56, s.Runs);
        Assert.Equal(3 * 56 - 4, s.ValidRuns);
        Assert.Equal(5, s.Failures);
        var groups = reader.ReadFailureGroups(CancellationToken.None);
        Assert.Contains(groups, g => g.Pipeline == "(file)" && g.ErrorType == "GifFormatException" && g.Count == 1);
        Assert.Equal(4, groups.Count(g => g.ErrorType == "output:corrupted" && g.Count == 1 && g.ExampleMessage.Contains("frame count", StringComparison.Ordinal))); // one per lossy pipeline
    }

    [Fact]
    public void Missing_File_IsStorageUnavailable()
    {
        Assert.Throws<StorageUnavailableException>(() => new SqliteAnswersReader("/nonexistent/x.db"));
    }

    [Fact]
    public async Task Analysis_OnTheTestDb_RanksGifskiFirstOnPhotos_AndGifsicleFamiliesElsewhere()
    {
        using var dir = TestEnvironment.NewTempDir();
        var path = await AnswersTestDb.CreateAsync(Path.Combine(dir.Path, "a.db"), 40);
        using var reader = new SqliteAnswersReader(path);
        var analysis = new AnswersAnalysis(new AnswersOptions(QualityMetric.Resolve("composite_score", out _)!, 0.9, BootstrapSamples: 200), collectCurves: true);
        analysis.Read(reader, CancellationToken.None);
        var result = analysis.Finish(CancellationToken.None);
        Assert.Equal(40, result.Gifs);
        Assert.Equal("gifski", result.Leaderboards.Single(b => b.Group == "photo").Rows[0].Family.Label);
        Assert.StartsWith("gifsicle", result.Leaderboards.Single(b => b.Group == "graphic").Rows[0].Family.Label, StringComparison.Ordinal);
        var bd = result.BdRates.Single(m => m.Group == "photo").Cell(GifLab.Core.Model.Engine.Gifsicle, GifLab.Core.Model.Engine.Gifski)!;
        Assert.True(bd.Median.Value < 0, "gifski needs fewer bytes than gifsicle on photos");
        Assert.Contains(result.Curves, c => c.Group == "photo");
        Assert.NotEmpty(result.Gallery);
    }
}
