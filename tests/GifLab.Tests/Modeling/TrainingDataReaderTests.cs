using GifLab.Core.Curves;
using GifLab.Core.Model;
using GifLab.Modeling;
using GifLab.Storage;
using GifLab.Storage.Sqlite;

namespace GifLab.Tests.Modeling;

public class TrainingDataReaderTests
{
    [Fact]
    public async Task Read_LeavesOutGifsWithoutUsableFeaturesOrOlderVersions_AndSaysSo()
    {
        using var dir = new TempDir();
        var db = dir.File("mixed.db");
        await using (var store = new SqliteResultStore(db))
        {
            await store.InitializeAsync(CancellationToken.None);
            var pipe = new PipelineId("none-frame", "none-color", "ffmpeg-lossy");
            var preset = new ParamPreset(20, 256, 1.0);
            var ids = await store.EnsurePipelinesAndPresetsAsync([pipe], [preset], CancellationToken.None);
            var features = SyntheticCurveDb.FeaturesJson("x", new Dictionary<string, double?> { ["entropy"] = 3.5, ["transparency_ratio"] = null });
            (string? Json, string? Version)[] gifs = [(features, "2.0.0"), (features, "1.0.0"), (null, null), ("not json", "2.0.0"), (features, "2.0.0")];
            for (var i = 0; i < gifs.Length; i++)
            {
                var gifId = await store.UpsertGifAsync(new GifRecord(SyntheticCurveDb.Sha(i), $"g{i}.gif", null, 1000, 10, 10, 1, 100, 0,
                    gifs[i].Json, gifs[i].Version, DateTimeOffset.UtcNow, "ok"), CancellationToken.None);
                // The last GIF's only run failed: it has no curve at all.
                var status = i == 4 ? "error" : "valid";
                await store.SaveRunsAsync([new RunRecord
                {
                    GifId = gifId, PipelineId = ids.Pipelines[pipe], PresetId = ids.Presets[preset], ValidationStatus = status,
                    DurationMs = 1, MetricSetVersion = 0, OutputSizeBytes = 500, CompressionRatio = 2.0, MetricsJson = "{\"ssim\":0.9}",
                }],
                    CancellationToken.None);
            }
        }

        var data = await TrainingDataReader.ReadAsync(db, ModelInputs.Names, null, null, CancellationToken.None);
        var ds = Assert.Single(data.Datasets);
        Assert.Equal((Engine.Ffmpeg, CurveType.Lossy), (ds.Engine, ds.Curve));
        var gif = Assert.Single(ds.Gifs);
        Assert.Equal(SyntheticCurveDb.Sha(0), gif.GifSha);
        Assert.Equal("2.0.0", ds.FeatureVersion);
        Assert.Equal(3.5f, gif.Features[ModelInputs.Names.ToList().IndexOf("entropy")]);
        Assert.True(float.IsNaN(gif.Features[ModelInputs.Names.ToList().IndexOf("edge_density")])); // absent key → missing
        Assert.True(float.IsNaN(gif.Features[ModelInputs.Names.ToList().IndexOf("transparency_ratio")])); // null → missing
        Assert.Equal(10f, gif.Features[ModelInputs.Names.ToList().IndexOf("width")]); // absent basic fact → gifs.width
        Assert.Equal(1000f, gif.Features[ModelInputs.Names.ToList().IndexOf("file_size_bytes")]);
        var point = Assert.Single(gif.Points);
        Assert.Equal(Math.Log(0.5), point.Target(PredictionTarget.Size, gif.OriginalSizeBytes)!.Value, 12);
        Assert.Equal(0.9, point.Ssim);
        Assert.Null(point.CompositeScore);
        Assert.Contains(data.Notes, n => n.StartsWith("1 GIF(s) with curve runs have no stored features", StringComparison.Ordinal));
        Assert.Contains(data.Notes, n => n.StartsWith("1 GIF(s) have features of another version than 2.0.0", StringComparison.Ordinal));
        Assert.Contains(data.Notes, n => n.StartsWith("1 GIF(s) have unreadable features_json", StringComparison.Ordinal));
        Assert.Contains(data.Notes, n => n.StartsWith("1 curve run(s) not valid", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Read_NotAGifLabDatabase_IsStorageUnavailable()
    {
        using var dir = new TempDir();
        var path = dir.File("junk.db");
        await File.WriteAllTextAsync(path, "this is not sqlite");
        await Assert.ThrowsAsync<StorageUnavailableException>(() =>
            TrainingDataReader.ReadAsync(path, ModelInputs.Names, null, null, CancellationToken.None));
    }
}
