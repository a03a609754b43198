using GifLab.Core.Curves;
using GifLab.Core.Model;
using GifLab.Modeling;
using GifLab.Storage;

namespace GifLab.Tests.Modeling;

public class TinyDataTests
{
    [Fact]
    public async Task Train_FewGifs_TrainsHonestlyOrSkipsWithAReason()
    {
        using var dir = new TempDir();
        var db = await SyntheticCurveDb.CreateAsync(dir.File("tiny.db"), gifs: 4, seed: 11, colorCurve: false);
        var settings = new GbmSettings(Iterations: 20);
        var skipped = await ModelTraining.RunAsync(new TrainOptions(db, dir.File("m1"), Engine.Gifsicle, MinGifs: 10, Settings: settings), TextWriter.Null, CancellationToken.None);
        Assert.Empty(skipped.Trained);
        Assert.Contains(skipped.Skipped, s => s.Contains("minimum is 10", StringComparison.Ordinal));
        Assert.Contains(skipped.Skipped, s => s.Contains("no valid curve runs", StringComparison.Ordinal) && s.Contains("gifsicle colors", StringComparison.Ordinal));

        var report = await ModelTraining.RunAsync(new TrainOptions(db, dir.File("m2"), Engine.Gifsicle, MinGifs: 1, Settings: settings), TextWriter.Null, CancellationToken.None);
        // With 4 GIFs the splits decide: either a model with a flagged evaluation, or a clear skip.
        if (report.Trained.Count == 1)
        {
            var r = report.Trained[0];
            Assert.Contains(report.Warnings(), w => w.Contains("gifsicle lossy", StringComparison.Ordinal));
            Assert.True(File.Exists(ModelFiles.MetadataPath(dir.File("m2"), Engine.Gifsicle, CurveType.Lossy)));
            var m = PredictionModelMetadata.FromJson(File.ReadAllText(ModelFiles.MetadataPath(dir.File("m2"), Engine.Gifsicle, CurveType.Lossy)));
            Assert.Equal(r.EvaluationSplit, m.EvaluationSplit);
            if (r.EvaluationSplit == "none") Assert.Null(m.ValidationMape);
        }
        else
        {
            Assert.Contains(report.Skipped, s => s.StartsWith("gifsicle lossy", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Reader_MissingDatabase_IsStorageUnavailable()
    {
        using var dir = new TempDir();
        await Assert.ThrowsAsync<StorageUnavailableException>(() =>
            TrainingDataReader.ReadAsync(dir.File("none.db"), ModelInputs.Names, null, null, CancellationToken.None));
    }

    [Fact]
    public void Classify_KnowsCurvePipelinesOnly()
    {
        Assert.Equal((Engine.Gifsicle, false), TrainingDataReader.Classify("none-frame|none-color|gifsicle-lossy"));
        Assert.Equal((Engine.Gifsicle, true), TrainingDataReader.Classify("none-frame|gifsicle-color|gifsicle-lossy"));
        Assert.Equal((Engine.AnimatelyHard, true), TrainingDataReader.Classify("none-frame|animately-color|animately-hard"));
        Assert.Null(TrainingDataReader.Classify("none-frame|ffmpeg-color|gifsicle-lossy"));
        Assert.Null(TrainingDataReader.Classify("gifsicle-frame|none-color|gifsicle-lossy"));
        Assert.Null(TrainingDataReader.Classify("none-frame|none-color|gifsicle-lossy-O3"));
        Assert.Null(TrainingDataReader.Classify("garbage"));
    }
}
