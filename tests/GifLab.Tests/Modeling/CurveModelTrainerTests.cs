using System.Diagnostics;
using GifLab.Core.Curves;
using GifLab.Core.Features;
using GifLab.Core.Model;
using GifLab.Modeling;
using Xunit.Abstractions;

namespace GifLab.Tests.Modeling;

public class CurveModelTrainerTests(TrainedSyntheticModels trained, ITestOutputHelper output) : IClassFixture<TrainedSyntheticModels>
{
    [Fact]
    public void Train_SyntheticRelation_IsRecoveredOnTheTestSplit()
    {
        output.WriteLine($"trained in {trained.TrainSeconds:0.0} s");
        output.WriteLine(trained.Report.FormatTable());
        output.WriteLine(trained.Log);
        foreach (var curve in CurveTypes.All)
        {
            var r = trained.Result(curve);
            Assert.Equal("test", r.EvaluationSplit);
            Assert.True(r.EvalGifs >= 5, $"{curve}: {r.EvalGifs} test GIFs");
            var size = r.Targets.Single(t => t.Target == PredictionTarget.Size);
            var acc = size.ChosenAccuracy!;
            // Noise σ = 0.02 in log size gives a floor of ≈1.6 % MAPE; the features-free baseline is ≈15–25 %.
            Assert.True(acc.Overall < 6.0, $"{curve}: test MAPE {acc.Overall:0.00} %");
            Assert.True(acc.Overall < 0.4 * size.Baseline!.Overall, $"{curve}: MAPE {acc.Overall:0.00} vs baseline {size.Baseline.Overall:0.00}");
            Assert.True(acc.WithinShare >= 0.8, $"{curve}: within share {acc.WithinShare}");
            Assert.Equal(r.Dataset.Positions.Count, acc.PerPoint.Count);
            var composite = r.Targets.Single(t => t.Target == PredictionTarget.CompositeScore).ChosenAccuracy!;
            Assert.True(composite.Overall < 0.03, $"{curve}: composite MAE {composite.Overall}");
            // Both structures were trained and compared.
            Assert.NotNull(size.Shared);
            Assert.NotNull(size.PerPoint);
        }
    }

    [Fact]
    public void Report_Json_HasEveryCandidatePerTarget()
    {
        using var doc = System.Text.Json.JsonDocument.Parse(trained.Report.ToJson());
        var lossy = doc.RootElement.GetProperty("trained")[0];
        Assert.Equal("gifsicle", lossy.GetProperty("engine").GetString());
        var size = lossy.GetProperty("targets").GetProperty("size");
        Assert.Equal("shared", size.GetProperty("kept").GetString());
        Assert.Equal("mape_percent", size.GetProperty("shared").GetProperty("metric").GetString());
        Assert.True(size.GetProperty("per_point").GetProperty("overall").GetDouble() > 0);
        Assert.True(size.GetProperty("baseline").GetProperty("overall").GetDouble() > size.GetProperty("shared").GetProperty("overall").GetDouble());
        // The calibrated figures: the single point, then the sets of 2 and 3 points, as stored in the metadata.
        var r = trained.Result(CurveType.Lossy).Targets.Single(t => t.Target == PredictionTarget.Size);
        Assert.Equal(r.Calibrated!.Position, size.GetProperty("calibrated").GetProperty("position").GetInt32());
        Assert.Equal(r.CalibratedSets.Select(c => c.Positions.ToArray()),
                     size.GetProperty("calibrated_sets").EnumerateArray().Select(c => c.GetProperty("measured_positions").EnumerateArray().Select(v => v.GetInt32()).ToArray()));
        Assert.Equal([2, 3, 4, 5], r.CalibratedSets.Select(c => c.Positions.Count));
        // Plans exist only with palette saturation, which this gifsicle dataset does not show: none, and an empty JSON list.
        Assert.Null(trained.Result(CurveType.Lossy).Saturation);
        Assert.Empty(r.CalibratedPlans);
        Assert.Equal(0, size.GetProperty("calibrated_plans").GetArrayLength());
        // And the text report has one line per trained curve with each.
        var line = trained.Report.FormatTable().Split('\n').Single(l => l.Contains("calibrated size MAPE", StringComparison.Ordinal) && l.Contains("gifsicle lossy", StringComparison.Ordinal));
        Assert.Contains(string.Join("+", r.CalibratedSets[1].Positions) + ":", line);
    }

    [Fact]
    public async Task Reader_UsesOnlyValidCurveRunsAndKeepsPartialGifs()
    {
        var data = await TrainingDataReader.ReadAsync(trained.DbPath, ModelInputs.Names, null, SplitRatios.Default, CancellationToken.None);
        var lossy = data.Datasets.Single(d => d.Engine == Engine.Gifsicle && d.Curve == CurveType.Lossy);
        Assert.Equal(TrainedSyntheticModels.Gifs, lossy.Gifs.Count);
        Assert.Equal(ParamPreset.DefaultLossyLevels, lossy.Positions);
        Assert.Equal(new[] { 256, 128, 64, 32, 16 }, data.Datasets.Single(d => d.Curve == CurveType.Colors).Positions);
        // Corrupted runs (size 3) and the frame-reduction pipeline (size 1) never become points.
        Assert.All(lossy.Gifs.SelectMany(g => g.Points), p => Assert.True(p.OutputSizeBytes > 3));
        Assert.Contains(lossy.Gifs, g => g.Points.Count < 11);
        // Null transparency_ratio → NaN input.
        var t = ModelInputs.Names.ToList().IndexOf("transparency_ratio");
        Assert.Contains(lossy.Gifs, g => float.IsNaN(g.Features[t]));
        Assert.Equal(FeatureExtractor.Version, lossy.FeatureVersion);
        Assert.StartsWith("1.0.0+", lossy.DatasetVersion);
        Assert.Contains(data.Notes, n => n.Contains("not valid", StringComparison.Ordinal));
        // Splits come from the stable hash.
        Assert.All(lossy.Gifs, g => Assert.Equal(SplitRatios.Default.Assign(g.GifSha), g.Split));
    }

    [Fact]
    public void Metadata_RoundTripsAndReloadedModelsPredictTheSame()
    {
        var path = ModelFiles.MetadataPath(trained.ModelsDir, Engine.Gifsicle, CurveType.Lossy);
        var json = File.ReadAllText(path);
        var m = PredictionModelMetadata.FromJson(json);
        Assert.Equal(json, m.ToJson());
        Assert.Equal("1.0.0", m.SchemaVersion);
        Assert.Equal("gifsicle", m.Engine);
        Assert.Equal("lossy", m.CurveType);
        Assert.Equal(ModelInputs.Names, m.FeatureNames);
        Assert.Equal(FeatureExtractor.Version, m.FeatureVersion);
        Assert.Equal(trained.Result(CurveType.Lossy).TrainGifs, m.TrainingSamples);
        Assert.NotNull(m.ValidationMape);
        Assert.Equal(new[] { "size", "composite_score", "ssim" }, m.Targets.Keys);
        Assert.Equal(1.0, m.FeatureImportances.Values.Sum(), 3);
        // Entropy and the position carry the signal.
        var top = m.FeatureImportances.OrderByDescending(kv => kv.Value).Take(2).Select(kv => kv.Key).ToHashSet();
        Assert.Equal(new HashSet<string> { "entropy", "lossy_level" }, top);
        Assert.Matches("^[0-9a-f]{7}$|^unknown$", m.CodeCommit);

        var predictor = CurvePredictor.Load(trained.ModelsDir, Engine.Gifsicle, ModelInputs.Names, FeatureExtractor.Version);
        var gif = trained.Result(CurveType.Lossy).Dataset.Gifs[0];
        var values = ModelInputs.Names.Select((n, i) => (n, v: float.IsNaN(gif.Features[i]) ? (double?)null : gif.Features[i]))
            .ToDictionary(x => x.n, x => x.v);
        var loaded = predictor.Predict(values, gif.OriginalSizeBytes).Single(c => c.Curve == CurveType.Lossy);
        var inMemory = trained.Result(CurveType.Lossy).Model!.Targets[PredictionTarget.Size].PredictCurve(gif.Features, m.Positions);
        for (var i = 0; i < inMemory.Length; i++)
            Assert.Equal(gif.OriginalSizeBytes * Math.Exp(inMemory[i]), loaded.Points[i].SizeBytes, 6);
    }

    [Fact]
    public void Load_FeatureOrderOrVersionMismatch_IsRefusedWithTheDifferences()
    {
        using var dir = new TempDir();
        foreach (var f in Directory.GetFiles(trained.ModelsDir)) File.Copy(f, Path.Combine(dir.Path, Path.GetFileName(f)));
        var swapped = ModelInputs.Names.ToList();
        (swapped[6], swapped[7]) = (swapped[7], swapped[6]);
        var e = Assert.Throws<ModelUnavailableException>(() => CurvePredictor.Load(dir.Path, null, swapped, FeatureExtractor.Version));
        Assert.Contains(e.Differences, d => d.Contains("position 6", StringComparison.Ordinal) && d.Contains("entropy", StringComparison.Ordinal));

        var renamed = ModelInputs.Names.Select(n => n == "entropy" ? "entropy_v2" : n).ToList();
        e = Assert.Throws<ModelUnavailableException>(() => CurvePredictor.Load(dir.Path, null, renamed, FeatureExtractor.Version));
        Assert.Contains(e.Differences, d => d.Contains("entropy_v2", StringComparison.Ordinal));

        e = Assert.Throws<ModelUnavailableException>(() => CurvePredictor.Load(dir.Path, null, ModelInputs.Names, "99.0.0"));
        Assert.Contains(e.Differences, d => d.Contains("feature version", StringComparison.Ordinal) && d.Contains("99.0.0", StringComparison.Ordinal));

        Assert.Throws<ModelUnavailableException>(() => CurvePredictor.Load(dir.File("absent"), null, ModelInputs.Names, FeatureExtractor.Version));
        Assert.Throws<ModelUnavailableException>(() => CurvePredictor.Load(dir.Path, Engine.Ffmpeg, ModelInputs.Names, FeatureExtractor.Version));
    }

    [Fact]
    public void Predict_AnyFeatures_GivesMonotoneCurvesAndFastAnswers()
    {
        var sw = Stopwatch.StartNew();
        var predictor = CurvePredictor.Load(trained.ModelsDir, null, ModelInputs.Names, FeatureExtractor.Version);
        var loadMs = sw.Elapsed.TotalMilliseconds;
        var rng = new Random(3);
        var times = new List<double>();
        for (var i = 0; i < 200; i++)
        {
            var features = SyntheticCurveDb.Features(rng, out _, nullTransparency: i % 2 == 0);
            if (i % 7 == 0) features.Remove("entropy"); // absent input → missing
            if (i % 11 == 0) features["edge_density"] = double.NaN;
            sw.Restart();
            var curves = predictor.Predict(features, rng.Next(1000, 5_000_000));
            times.Add(sw.Elapsed.TotalMilliseconds);
            Assert.Equal(2, curves.Count);
            foreach (var c in curves)
            {
                Assert.True(MonotoneCurve.IsNonIncreasing(c.Points.Select(p => p.SizeBytes).ToArray()), $"{c.Curve} size");
                Assert.True(MonotoneCurve.IsNonIncreasing(c.Points.Select(p => p.CompositeScore ?? double.NaN).ToArray()), $"{c.Curve} composite");
                Assert.True(MonotoneCurve.IsNonIncreasing(c.Points.Select(p => p.Ssim ?? double.NaN).ToArray()), $"{c.Curve} ssim");
                Assert.All(c.Points, p => Assert.True(p.SizeBytes > 0 && double.IsFinite(p.SizeBytes)));
            }
        }
        times.Sort();
        sw.Restart();
        CurvePredictor.Load(trained.ModelsDir, null, ModelInputs.Names, FeatureExtractor.Version);
        var reloadMs = sw.Elapsed.TotalMilliseconds;
        var files = Directory.GetFiles(trained.ModelsDir, "*" + GbmRegressor.Extension).Length;
        Assert.Empty(Directory.GetFiles(trained.ModelsDir, "*" + GbmRegressor.LegacyExtension));
        output.WriteLine($"model load {loadMs:0} ms (first), reload {reloadMs:0} ms for {files} tree files; predict per GIF (2 curves × 3 targets): median {times[times.Count / 2]:0.00} ms, max {times[^1]:0.00} ms");
        Assert.True(times[times.Count / 2] < 100, $"median predict {times[times.Count / 2]} ms");
    }

    [Fact]
    public void Recommend_PicksTheSmallestPointMeetingTheFloor()
    {
        PredictedPoint P(int pos, double size, double q) => new(pos, size, 1000 / size, q, null);
        var curves = new[]
        {
            new CurvePrediction(Engine.Gifsicle, CurveType.Lossy, [P(0, 900, 0.99), P(10, 700, 0.95), P(20, 500, 0.85)], new Dictionary<PredictionTarget, ModelStructure>(), null, "none"),
            new CurvePrediction(Engine.Ffmpeg, CurveType.Lossy, [P(0, 800, 0.97), P(10, 650, 0.91), P(20, 400, 0.7)], new Dictionary<PredictionTarget, ModelStructure>(), null, "none"),
        };
        var best = CurvePredictor.Recommend(curves, 0.9)!;
        Assert.Equal((Engine.Ffmpeg, 10), (best.Engine, best.Point.Position));
        Assert.Null(CurvePredictor.Recommend(curves, 0.999));
    }

    // --- model files are trusted only inside the models folder and only with matching checksums ---

    private TempDir CopyOfModels()
    {
        var dir = new TempDir();
        foreach (var f in Directory.GetFiles(trained.ModelsDir)) File.Copy(f, Path.Combine(dir.Path, Path.GetFileName(f)));
        return dir;
    }

    private static void EditMetadata(string dir, Func<PredictionModelMetadata, PredictionModelMetadata> edit)
    {
        var path = ModelFiles.MetadataPath(dir, Engine.Gifsicle, CurveType.Lossy);
        File.WriteAllText(path, edit(PredictionModelMetadata.FromJson(File.ReadAllText(path))).ToJson());
    }

    private static PredictionModelMetadata WithFirstFile(PredictionModelMetadata m, Func<TargetMetadata, TargetMetadata> edit)
    {
        var (name, target) = m.Targets.First();
        var targets = new Dictionary<string, TargetMetadata>(m.Targets) { [name] = edit(target) };
        return m with { Targets = targets };
    }

    [Fact]
    public void Train_WritesASha256PerModelFile_ThatMatches()
    {
        var m = PredictionModelMetadata.FromJson(File.ReadAllText(ModelFiles.MetadataPath(trained.ModelsDir, Engine.Gifsicle, CurveType.Lossy)));
        foreach (var t in m.Targets.Values)
        {
            Assert.NotNull(t.Sha256);
            Assert.Equal(t.Files.Count, t.Sha256!.Count);
            for (var i = 0; i < t.Files.Count; i++) Assert.Equal(ModelFiles.Sha256Of(Path.Combine(trained.ModelsDir, t.Files[i])), t.Sha256[i]);
        }
        Assert.Empty(CurvePredictor.Load(trained.ModelsDir, Engine.Gifsicle, ModelInputs.Names, FeatureExtractor.Version).Warnings);
    }

    [Theory]
    [InlineData("../../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("..")]
    [InlineData("sub/model.zip")]
    public void Load_FileNamesLeavingTheModelsFolder_AreRefused(string name)
    {
        using var dir = CopyOfModels();
        EditMetadata(dir.Path, m => WithFirstFile(m, t => t with { Files = [name, .. t.Files.Skip(1)] }));
        var e = Assert.Throws<ModelUnavailableException>(() => CurvePredictor.Load(dir.Path, Engine.Gifsicle, ModelInputs.Names, FeatureExtractor.Version));
        Assert.Contains("not a plain file name inside the models folder", e.Message);
    }

    [Fact]
    public void Load_ALinkOutOfTheModelsFolder_IsRefused()
    {
        using var dir = CopyOfModels();
        using var elsewhere = new TempDir();
        var m = PredictionModelMetadata.FromJson(File.ReadAllText(ModelFiles.MetadataPath(dir.Path, Engine.Gifsicle, CurveType.Lossy)));
        var file = Path.Combine(dir.Path, m.Targets.First().Value.Files[0]);
        File.Move(file, elsewhere.File("model.zip"));
        File.CreateSymbolicLink(file, elsewhere.File("model.zip"));
        var e = Assert.Throws<ModelUnavailableException>(() => CurvePredictor.Load(dir.Path, Engine.Gifsicle, ModelInputs.Names, FeatureExtractor.Version));
        Assert.Contains("outside the models folder", e.Message);
    }

    [Fact]
    public void Load_ASwappedModelFile_FailsItsChecksum()
    {
        using var dir = CopyOfModels();
        var m = PredictionModelMetadata.FromJson(File.ReadAllText(ModelFiles.MetadataPath(dir.Path, Engine.Gifsicle, CurveType.Lossy)));
        var files = m.Targets.Values.SelectMany(t => t.Files).ToList();
        // A valid ML.NET model, just the wrong one: it would load and predict nonsense silently.
        File.Copy(Path.Combine(dir.Path, files[^1]), Path.Combine(dir.Path, files[0]), overwrite: true);
        var e = Assert.Throws<ModelUnavailableException>(() => CurvePredictor.Load(dir.Path, Engine.Gifsicle, ModelInputs.Names, FeatureExtractor.Version));
        Assert.Contains("does not match its checksum", e.Message);
    }

    [Fact]
    public void Load_RandomBytesInAModelZip_IsAModelError_WithOrWithoutChecksums()
    {
        using var dir = CopyOfModels();
        var m = PredictionModelMetadata.FromJson(File.ReadAllText(ModelFiles.MetadataPath(dir.Path, Engine.Gifsicle, CurveType.Lossy)));
        var file = Path.Combine(dir.Path, m.Targets.First().Value.Files[0]);
        File.WriteAllBytes(file, [.. Enumerable.Range(0, 5000).Select(i => (byte)(i * 131 + 7))]);
        var e = Assert.Throws<ModelUnavailableException>(() => CurvePredictor.Load(dir.Path, Engine.Gifsicle, ModelInputs.Names, FeatureExtractor.Version));
        Assert.Contains("checksum", e.Message);
        // Old metadata (no checksums): the load itself fails, still as a model error (not whatever ML.NET throws).
        EditMetadata(dir.Path, old => old with { Targets = old.Targets.ToDictionary(kv => kv.Key, kv => kv.Value with { Sha256 = null }) });
        e = Assert.Throws<ModelUnavailableException>(() => CurvePredictor.Load(dir.Path, Engine.Gifsicle, ModelInputs.Names, FeatureExtractor.Version));
        Assert.Contains("cannot be loaded", e.Message);
    }

    [Fact]
    public void Load_OldMetadataWithoutChecksums_IsAcceptedWithAWarningToRetrain()
    {
        using var dir = CopyOfModels();
        EditMetadata(dir.Path, old => old with { Targets = old.Targets.ToDictionary(kv => kv.Key, kv => kv.Value with { Sha256 = null }) });
        var json = File.ReadAllText(ModelFiles.MetadataPath(dir.Path, Engine.Gifsicle, CurveType.Lossy));
        Assert.Contains("\"sha256\": null", json);
        var predictor = CurvePredictor.Load(dir.Path, Engine.Gifsicle, ModelInputs.Names, FeatureExtractor.Version);
        var warning = Assert.Single(predictor.Warnings);
        Assert.Contains("no sha256 checksums", warning);
        Assert.Contains("retrain", warning);
    }
}
