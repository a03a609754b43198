using GifLab.Core.Curves;
using GifLab.Core.Model;
using GifLab.Modeling;

namespace GifLab.Tests.Modeling;

/// <summary>
/// Package-grouped held-out split, empirical prediction intervals, per-content-type accuracy, training ranges and the
/// generated model card (issue #15).
/// </summary>
public sealed class PredictorTrustTests
{
    [Fact]
    public void Quantiles_AreTheInterpolatedOrderStatistics()
    {
        // Analytic: 101 values 0..100, 80 % central interval = 10th and 90th percentile = 10 and 90 exactly.
        var values = Enumerable.Range(0, 101).Select(i => (double)(100 - i)).ToList();
        var (lo, hi) = PredictionInterval.Quantiles(values, 0.8);
        Assert.Equal(10, lo, 12);
        Assert.Equal(90, hi, 12);
        // Between order statistics: 0,10 with coverage 0.5 → 2.5 and 7.5.
        var (lo2, hi2) = PredictionInterval.Quantiles([10, 0], 0.5);
        Assert.Equal(2.5, lo2, 12);
        Assert.Equal(7.5, hi2, 12);
    }

    [Fact]
    public void Interval_ThinPositionsFallBackToPooledQuantiles()
    {
        var residuals = new Dictionary<int, List<double>>
        {
            [0] = Enumerable.Range(0, 101).Select(i => i / 100.0).ToList(),
            [10] = [5.0],
        };
        var interval = PredictionInterval.FromResiduals(residuals, 0.8)!;
        Assert.Equal(0.1, interval.Lower[0], 12);
        Assert.Equal(0.9, interval.Upper[0], 12);
        var pooled = PredictionInterval.Quantiles(residuals.Values.SelectMany(v => v).ToList(), 0.8);
        Assert.Equal(pooled.Lo, interval.Lower[10], 12);
        Assert.Equal(pooled.Hi, interval.Upper[10], 12);
        Assert.Null(PredictionInterval.FromResiduals(new() { [0] = [1.0, 2.0] }, 0.8));
    }

    [Fact]
    public void SplitGroups_LoadsManifestAndKeepsEachGroupOnOneSide()
    {
        using var dir = new TempDir();
        var path = dir.File("groups.tsv");
        var lines = new List<string> { "file\torigin\tpackage\tsha256" };
        for (var i = 0; i < 300; i++) lines.Add($"f{i}.gif\t{(i % 2 == 0 ? "deb" : "npm")}\tpkg{i % 30}\t{SyntheticCurveDb.Sha(i)}");
        File.WriteAllLines(path, lines);
        var groups = SplitGroups.Load(path);
        Assert.Equal(300, groups.Count);
        Assert.Equal("deb/pkg0", groups.GroupOf(SyntheticCurveDb.Sha(0)));
        Assert.Equal("npm/pkg1", groups.GroupOf(SyntheticCurveDb.Sha(1).ToUpperInvariant()));
        Assert.Null(groups.GroupOf("00"));
        Assert.Contains("package", groups.Description);
        var splitOfGroup = new Dictionary<string, DatasetSplit>();
        var splits = new HashSet<DatasetSplit>();
        for (var i = 0; i < 300; i++)
        {
            var sha = SyntheticCurveDb.Sha(i);
            var split = SplitRatios.Default.Assign(groups.SplitKey(sha));
            splits.Add(split);
            var g = groups.GroupOf(sha)!;
            if (splitOfGroup.TryGetValue(g, out var seen)) Assert.Equal(seen, split);
            else splitOfGroup[g] = split;
        }
        Assert.True(splits.Count >= 2, "60 groups should land in more than one split");
        File.WriteAllText(dir.File("bad.tsv"), "file\tname\nx\ty\n");
        Assert.Throws<FormatException>(() => SplitGroups.Load(dir.File("bad.tsv")));
    }

    [Fact]
    public async Task GroupedTraining_HoldsOutWholeGroups_StoresIntervalsRangesAndContentTypes()
    {
        using var dir = new TempDir();
        var db = await SyntheticCurveDb.CreateAsync(dir.File("s.db"), 160);
        // 16 "packages" of 10 GIFs each.
        var groups = SplitGroups.FromPairs(Enumerable.Range(0, 160).Select(i => (SyntheticCurveDb.Sha(i), $"p{i / 10}")), "package (test, 16 groups)");
        var models = dir.File("models");
        var report = await ModelTraining.RunAsync(
            new TrainOptions(db, models, Engine.Gifsicle, MinGifs: 10, Settings: TrainedSyntheticModels.TestSettings) { Groups = groups },
            TextWriter.Null, CancellationToken.None);
        var lossy = report.Trained.Single(r => r.Dataset.Curve == CurveType.Lossy);
        Assert.Equal("package (test, 16 groups)", lossy.Dataset.SplitGrouping);
        var testGroups = lossy.Dataset.Gifs.Where(g => g.Split == DatasetSplit.Test).Select(g => g.Group).ToHashSet();
        var trainGroups = lossy.Dataset.Gifs.Where(g => g.Split != DatasetSplit.Test).Select(g => g.Group).ToHashSet();
        Assert.NotEmpty(testGroups);
        Assert.Empty(testGroups.Intersect(trainGroups));
        Assert.All(lossy.Dataset.Gifs.GroupBy(g => g.Group), grp => Assert.Single(grp.Select(g => g.Split).Distinct()));

        var size = lossy.Targets.Single(t => t.Target == PredictionTarget.Size);
        Assert.NotNull(size.Interval);
        Assert.All(size.Interval!.Lower, kv => Assert.True(kv.Value < size.Interval.Upper[kv.Key]));
        Assert.NotEmpty(size.ByContentType);
        Assert.Equal(size.ChosenAccuracy!.Gifs, size.ByContentType.Values.Sum(a => a.Gifs));
        Assert.NotNull(size.ChosenAccuracy.Within15Share);

        var metadata = PredictionModelMetadata.FromJson(File.ReadAllText(ModelFiles.MetadataPath(models, Engine.Gifsicle, CurveType.Lossy)));
        Assert.Equal("package (test, 16 groups)", metadata.SplitGrouping);
        Assert.NotNull(metadata.Targets["size"].Interval);
        Assert.NotNull(metadata.Targets["size"].EvaluationByContentType);
        Assert.Equal(lossy.FeatureRanges["entropy"], metadata.FeatureRanges!["entropy"]);

        // predict: an input far outside the training range is reported; one inside is not; points carry intervals.
        var predictor = CurvePredictor.Load(models, Engine.Gifsicle, ModelInputs.Names, SyntheticCurveDb.FeatureVersionForTests);
        // (The synthetic GIFs carry no structure features, so those inputs have no training range and stay missing.)
        var features = ModelInputs.Names.Where(metadata.FeatureRanges!.ContainsKey)
            .ToDictionary(n => n, n => (double?)((metadata.FeatureRanges![n][0] + metadata.FeatureRanges[n][1]) / 2));
        Assert.Empty(predictor.OutOfRange(features));
        features["entropy"] = metadata.FeatureRanges!["entropy"][1] * 10 + 5;
        var outside = Assert.Single(predictor.OutOfRange(features));
        Assert.Equal("entropy", outside.Name);
        var curve = predictor.Predict(features, 10_000).Single(c => c.Curve == CurveType.Lossy);
        Assert.Equal(0.8, curve.IntervalCoverage);
        Assert.All(curve.Points, p =>
        {
            // The interval is the point shifted by residual quantiles, so lo ≤ hi and both are positive byte counts.
            var (lo, hi) = p.SizeInterval!.Value;
            Assert.True(lo > 0 && lo <= hi && double.IsFinite(hi));
        });

        // The model card's generated section is exactly what the metadata generates.
        var card = dir.File("README.md");
        File.WriteAllText(card, "# card\n\nintro\n\n" + ModelCard.Begin + "\nold\n" + ModelCard.End + "\n\ntail\n");
        ModelCard.Update(card, ModelCard.ReadAll(models));
        var text = File.ReadAllText(card);
        Assert.StartsWith("# card\n\nintro\n\n", text);
        Assert.EndsWith("\n\ntail\n", text);
        Assert.Equal(ModelCard.Generate(ModelCard.ReadAll(models)), ModelCard.Extract(text));
        Assert.Contains("| gifsicle | lossy | size |", text);
    }
}
