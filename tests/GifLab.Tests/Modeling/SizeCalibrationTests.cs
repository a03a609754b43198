using GifLab.Core.Curves;
using GifLab.Core.Model;
using GifLab.Modeling;

namespace GifLab.Tests.Modeling;

/// <summary>
/// Calibration by one measured run (<see cref="SizeCalibration"/>, <see cref="CurvePredictor.Calibrate"/>). Synthetic data
/// with a known relation (no external source): output = original × h × e^(−k·level·(1 + entropy/8)), where h is a
/// per-GIF factor no input carries (as a GIF's packing is to the features): an uncalibrated model cannot know h, a
/// curve scaled to its measured first point removes it exactly, leaving the model's error in the curve's shape.
/// </summary>
public class SizeCalibrationTests
{
    internal static readonly string[] Names = ["entropy"];
    internal static readonly GbmSettings Fast = new(Iterations: 60);

    /// <param name="regimeFrom">When set, the hidden factor applies only from this lossy level on, and the levels below
    /// carry an independent one (an engine that changes regime after its first point, as ImageMagick starts dithering).</param>
    /// <param name="hiddenSlope">When set, each GIF's slope is also scaled by a hidden factor e^(σ·N(0,1)) with this σ: one
    /// measured point fixes the level, not the slope; two points fix both.</param>
    internal static CurveDataset Dataset(int gifs = 200, int seed = 5, int? regimeFrom = null, double hiddenSlope = 0)
    {
        var rng = new Random(seed);
        var list = new List<GifCurve>();
        for (var i = 0; i < gifs; i++)
        {
            var original = (long)(5_000 + rng.NextDouble() * 200_000);
            var entropy = (float)(rng.NextDouble() * 8);
            var hidden = Math.Exp(0.3 * Gauss(rng));
            var before = Math.Exp(0.3 * Gauss(rng));
            var slope = Math.Exp(hiddenSlope * Gauss(rng));
            var group = $"pkg{i / 2}";
            var points = ParamPreset.DefaultLossyLevels.Select(level =>
                new MeasuredPoint(level, (long)Math.Round(original * (level < regimeFrom ? before : hidden) * Math.Exp(-0.004 * slope * level * (1 + entropy / 8) + 0.005 * Gauss(rng))), null, null)).ToList();
            list.Add(new GifCurve($"{i:x64}", SplitRatios.Default.Assign(group), original, [entropy], points) { Group = group });
        }
        return new CurveDataset(Engine.Gifsicle, CurveType.Lossy, Names, "1.2.0", ParamPreset.DefaultLossyLevels, list, "1.0.0+test");
    }

    private static double Gauss(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    [Fact]
    public void Train_CalibratedEvaluation_RemovesTheHiddenFactor_AndExcludesTheMeasuredPoint()
    {
        var result = new CurveModelTrainer(Fast).Train(Dataset());
        var size = result.Targets.Single(t => t.Target == PredictionTarget.Size);
        var calibrated = size.Calibrated!;
        var at = calibrated.Position;
        AssertChosenByCrossValidation(calibrated);
        // σ = 0.3 hidden factor ≈ 24 % MAPE uncalibrated; calibrated, only the model's error in the curve's shape is left
        // (learnt from targets that carry the hidden factor as noise) and the σ = 0.005 noise.
        Assert.True(size.ChosenAccuracy!.Overall > 15, $"uncalibrated MAPE {size.ChosenAccuracy.Overall}");
        Assert.True(calibrated.Accuracy.Overall < size.ChosenAccuracy.Overall / 3, $"calibrated MAPE {calibrated.Accuracy.Overall}, uncalibrated {size.ChosenAccuracy.Overall}");
        Assert.True(calibrated.Accuracy.Within15Share > size.ChosenAccuracy.Within15Share + 0.3,
                    $"within 15 %: calibrated {calibrated.Accuracy.Within15Share}, uncalibrated {size.ChosenAccuracy.Within15Share}");
        // The measured point is not counted: 10 of 11 positions per held-out GIF.
        Assert.Equal(size.ChosenAccuracy.Gifs, calibrated.Accuracy.Gifs);
        Assert.Equal(10 * calibrated.Accuracy.Gifs, calibrated.Accuracy.Points);
        Assert.DoesNotContain(at, calibrated.Accuracy.PerPoint.Keys);
        // Zero-width interval at the measured point, narrower than the uncalibrated one elsewhere.
        Assert.Equal(0, calibrated.Interval!.Lower[at]);
        Assert.Equal(0, calibrated.Interval.Upper[at]);
        var other = at == 50 ? 60 : 50;
        Assert.True(calibrated.Interval.Upper[other] - calibrated.Interval.Lower[other] < 0.3 * (size.Interval!.Upper[other] - size.Interval.Lower[other]));
        // Quality targets have no calibration.
        Assert.All(result.Targets.Where(t => t.Target != PredictionTarget.Size), t => Assert.Null(t.Calibrated));
    }

    /// <summary>The kept position is the cross-validation's lowest MAPE, earlier positions winning ties within the tolerance.</summary>
    private static void AssertChosenByCrossValidation(SizeCalibration calibrated)
    {
        var cv = calibrated.CrossValidatedMape!;
        Assert.Equal(ParamPreset.DefaultLossyLevels.Count, cv.Count);
        Assert.Contains("cross-validation", calibrated.Choice, StringComparison.Ordinal);
        var best = cv.Values.Min();
        Assert.True(cv[calibrated.Position] <= best / (1 - CurveModelTrainer.TieTolerance) + 1e-9, $"position {calibrated.Position}: {cv[calibrated.Position]} vs best {best}");
    }

    [Fact]
    public void Train_EngineThatChangesRegimeAfterItsFirstPoint_CalibratesAtALaterPoint()
    {
        // Levels below 20 carry one hidden factor, levels from 20 on another: a run at lossy 0 or 10 tells nothing about
        // the rest of the curve, one at 20 or above tells nine of its eleven points.
        var result = new CurveModelTrainer(Fast).Train(Dataset(regimeFrom: 20));
        var size = result.Targets.Single(t => t.Target == PredictionTarget.Size);
        var calibrated = size.Calibrated!;
        AssertChosenByCrossValidation(calibrated);
        Assert.True(calibrated.Position >= 20, $"calibrated at {calibrated.Position}");
        Assert.True(calibrated.CrossValidatedMape![0] > 2 * calibrated.CrossValidatedMape[calibrated.Position],
                    $"CV at 0: {calibrated.CrossValidatedMape[0]}, at {calibrated.Position}: {calibrated.CrossValidatedMape[calibrated.Position]}");
        Assert.True(calibrated.Accuracy.Overall < size.ChosenAccuracy!.Overall, $"calibrated {calibrated.Accuracy.Overall}, uncalibrated {size.ChosenAccuracy.Overall}");

        // predict measures the chosen point and scales the curve there.
        using var dir = new TempDir();
        ModelFiles.Save(result, dir.Path, Fast);
        var predictor = CurvePredictor.Load(dir.Path, Engine.Gifsicle, Names, "1.2.0");
        Assert.Equal(calibrated.Position, predictor.CalibrationPosition(Engine.Gifsicle, CurveType.Lossy));
        var plain = predictor.Predict(new Dictionary<string, double?> { ["entropy"] = 3 }, 50_000).Single();
        var scaled = predictor.Calibrate(plain, 20_000, 50_000);
        Assert.Equal(20_000, scaled.Points.Single(p => p.Position == calibrated.Position).SizeBytes);
        Assert.Equal(calibrated.Position, scaled.Calibration!.Position);
    }

    [Fact]
    public void Calibrate_ScalesEveryPointByMeasuredOverPredicted_WithTheStoredCalibratedInterval()
    {
        using var dir = new TempDir();
        var result = new CurveModelTrainer(Fast).Train(Dataset());
        var metadata = ModelFiles.Save(result, dir.Path, Fast);
        var stored = metadata.Targets["size"].Calibrated!;
        var size = result.Targets.Single(t => t.Target == PredictionTarget.Size);
        var at = size.Calibrated!.Position;
        Assert.Equal(at, stored.Position);
        Assert.Equal(size.Calibrated.CrossValidatedMape!.Count, stored.PositionCrossValidation!.Count);
        Assert.Equal(size.Calibrated.Choice, stored.PositionChoice);
        Assert.Equal(size.Calibrated!.Accuracy.Overall, stored.Evaluation.Overall);
        var reread = PredictionModelMetadata.FromJson(File.ReadAllText(ModelFiles.MetadataPath(dir.Path, Engine.Gifsicle, CurveType.Lossy)));
        Assert.Equal(stored.Evaluation.Overall, reread.Targets["size"].Calibrated!.Evaluation.Overall);

        var predictor = CurvePredictor.Load(dir.Path, Engine.Gifsicle, Names, "1.2.0");
        Assert.Equal(at, predictor.CalibrationPosition(Engine.Gifsicle, CurveType.Lossy));
        Assert.Null(predictor.CalibrationPosition(Engine.Gifsicle, CurveType.Colors));
        const long original = 50_000, measured = 41_000;
        var plain = predictor.Predict(new Dictionary<string, double?> { ["entropy"] = 3 }, original).Single();
        var calibrated = predictor.Calibrate(plain, measured, original);
        Assert.Null(plain.Calibration);
        var k = plain.Points.ToList().FindIndex(p => p.Position == at);
        Assert.Equal(new SizeCalibrationInfo(at, measured, plain.Points[k].SizeBytes, stored.Evaluation.Overall, stored.Evaluation.Within15PercentShare),
                     calibrated.Calibration! with { Points = [] });
        Assert.Equal([new CalibrationPoint(at, measured, plain.Points[k].SizeBytes)], calibrated.Calibration.Points);
        var scale = measured / plain.Points[k].SizeBytes;
        Assert.Equal(measured, calibrated.Points[k].SizeBytes);
        Assert.Equal((measured, measured), calibrated.Points[k].SizeInterval!.Value);
        var lower = reread.Targets["size"].Calibrated!.Interval!.Lower;
        var upper = reread.Targets["size"].Calibrated!.Interval!.Upper;
        for (var i = 0; i < plain.Points.Count; i++)
        {
            if (i == k) continue;
            var (p, c) = (plain.Points[i], calibrated.Points[i]);
            Assert.Equal(p.SizeBytes * scale, c.SizeBytes, 6);
            Assert.Equal(original / c.SizeBytes, c.CompressionRatio, 9);
            Assert.Equal(p.CompositeScore, c.CompositeScore);
            var key = p.Position.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(c.SizeBytes * Math.Exp(lower[key]), c.SizeInterval!.Value.Low, 6);
            Assert.Equal(c.SizeBytes * Math.Exp(upper[key]), c.SizeInterval!.Value.High, 6);
        }
    }

    [Fact]
    public void Calibrate_MetadataWithoutCalibration_KeepsTheUncalibratedIntervalScaled()
    {
        using var dir = new TempDir();
        var result = new CurveModelTrainer(Fast).Train(Dataset());
        ModelFiles.Save(result, dir.Path, Fast);
        // Metadata written before calibration existed: drop the block.
        var path = ModelFiles.MetadataPath(dir.Path, Engine.Gifsicle, CurveType.Lossy);
        var old = PredictionModelMetadata.FromJson(File.ReadAllText(path));
        var targets = old.Targets.ToDictionary(kv => kv.Key, kv => kv.Value with { Calibrated = null });
        File.WriteAllText(path, (old with { Targets = targets }).ToJson());

        var predictor = CurvePredictor.Load(dir.Path, Engine.Gifsicle, Names, "1.2.0");
        var plain = predictor.Predict(new Dictionary<string, double?> { ["entropy"] = 3 }, 50_000).Single();
        var calibrated = predictor.Calibrate(plain, 30_000, 50_000);
        var scale = 30_000 / plain.Points[0].SizeBytes;
        Assert.Null(calibrated.Calibration!.HeldOutSizeMape);
        // The measured point (lossy 0) is exact: a zero-width interval; the others keep theirs, scaled.
        Assert.Equal((30_000d, 30_000d), calibrated.Points[0].SizeInterval!.Value);
        for (var i = 1; i < plain.Points.Count; i++)
        {
            Assert.Equal(plain.Points[i].SizeInterval!.Value.Low * scale, calibrated.Points[i].SizeInterval!.Value.Low, 6);
            Assert.Equal(plain.Points[i].SizeInterval!.Value.High * scale, calibrated.Points[i].SizeInterval!.Value.High, 6);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => predictor.Calibrate(plain, 0, 50_000));
    }

    [Fact]
    public void Train_HiddenSlope_SetsOfTwoAndThreePointsChosenByCrossValidation_MeasureIt()
    {
        // Each GIF's level and slope carry hidden factors: one measured point leaves the slope's error, two remove it.
        var result = new CurveModelTrainer(Fast).Train(Dataset(hiddenSlope: 0.5));
        var size = result.Targets.Single(t => t.Target == PredictionTarget.Size);
        var one = size.Calibrated!;
        Assert.Equal([2, 3, 4, 5], size.CalibratedSets.Select(c => c.Positions.Count));
        var levels = ParamPreset.DefaultLossyLevels.ToList();
        foreach (var (set, combinations) in size.CalibratedSets.Zip(new[] { 55, 165, 330, 462 }))
        {
            Assert.Equal(set.Position, set.Positions[0]);
            Assert.Equal(set.Positions.OrderBy(p => levels.IndexOf(p)), set.Positions);
            // Chosen by the cross-validation on the training GIFs: the lowest MAPE of all C(11, k) sets, within the tie tolerance.
            var cv = set.CrossValidatedSetMape!;
            Assert.Equal(combinations, cv.Count);
            Assert.Null(set.CrossValidatedMape);
            Assert.Contains("cross-validation", set.Choice, StringComparison.Ordinal);
            Assert.True(cv[SizeCalibration.SetKey(set.Positions)] <= cv.Values.Min() / (1 - CurveModelTrainer.TieTolerance) + 1e-9);
            // A slope is measured only by points apart: the set spans most of the curve.
            Assert.True(set.Positions[^1] - set.Positions[0] >= 50, $"set {SizeCalibration.SetKey(set.Positions)}");
            // Held out: the measured points excluded, well below the one-point error.
            Assert.Equal((11 - set.Positions.Count) * set.Accuracy.Gifs, set.Accuracy.Points);
            Assert.All(set.Positions, m => Assert.DoesNotContain(m, set.Accuracy.PerPoint.Keys));
            Assert.True(set.Accuracy.Overall < one.Accuracy.Overall / 2, $"{set.Positions.Count} points {set.Accuracy.Overall} %, one point {one.Accuracy.Overall} %");
            Assert.True(set.Accuracy.Within15Share >= one.Accuracy.Within15Share, $"within 15 %: {set.Accuracy.Within15Share} vs {one.Accuracy.Within15Share}");
            foreach (var m in set.Positions) { Assert.Equal(0, set.Interval!.Lower[m]); Assert.Equal(0, set.Interval.Upper[m]); }
        }
        Assert.All(result.Targets.Where(t => t.Target != PredictionTarget.Size), t => Assert.Empty(t.CalibratedSets));
    }

    [Fact]
    public void Shift_IsPiecewiseLinearByPositionIndex_BetweenMeasuredPoints_AndConstantBeyond()
    {
        // Analytic: positions 0, 10, …, 100 (indices 0–10); measured at 10, 40 and 90 (indices 1, 4, 9) with shifts 0.3, −0.3, 0.2.
        var order = ParamPreset.DefaultLossyLevels;
        int[] measured = [10, 40, 90];
        double[] shifts = [0.3, -0.3, 0.2];
        double[] expected = [0.3, 0.3, 0.1, -0.1, -0.3, -0.2, -0.1, 0.0, 0.1, 0.2, 0.2];
        for (var i = 0; i < order.Count; i++)
            Assert.Equal(expected[i], SizeCalibration.Shift(order, measured, shifts, order[i]), 12);
        Assert.Equal(0.3, SizeCalibration.Shift(order, [50], [0.3], 0));
    }

    [Fact]
    public void Calibrate_SeveralPoints_InterpolatesTheLogShiftByPositionIndex_WithTheStoredInterval()
    {
        using var dir = new TempDir();
        var result = new CurveModelTrainer(Fast).Train(Dataset(hiddenSlope: 0.5));
        var metadata = ModelFiles.Save(result, dir.Path, Fast);
        var sets = result.Targets.Single(t => t.Target == PredictionTarget.Size).CalibratedSets;
        var stored = metadata.Targets["size"].CalibratedSets!;
        Assert.Equal(sets.Select(c => c.Positions), stored.Select(c => c.Positions));
        Assert.Equal(sets.Select(c => c.Accuracy.Overall), stored.Select(c => c.Evaluation.Overall));
        Assert.Equal([55, 165, 330, 462], stored.Select(c => c.PositionCrossValidation!.Count));
        Assert.Contains(SizeCalibration.SetKey(sets[0].Positions), stored[0].PositionCrossValidation!.Keys);
        var reread = PredictionModelMetadata.FromJson(File.ReadAllText(ModelFiles.MetadataPath(dir.Path, Engine.Gifsicle, CurveType.Lossy)));
        Assert.Equal(stored.Select(c => c.MeasuredPositions), reread.Targets["size"].CalibratedSets!.Select(c => c.MeasuredPositions));
        Assert.Null(reread.Targets["size"].Calibrated!.MeasuredPositions);

        var predictor = CurvePredictor.Load(dir.Path, Engine.Gifsicle, Names, "1.2.0");
        Assert.Equal(sets[0].Positions, predictor.CalibrationPositions(Engine.Gifsicle, CurveType.Lossy, 2));
        Assert.Equal(sets[1].Positions, predictor.CalibrationPositions(Engine.Gifsicle, CurveType.Lossy, 3));
        Assert.Equal(sets[^1].Positions, predictor.CalibrationPositions(Engine.Gifsicle, CurveType.Lossy, 9));
        Assert.Equal(5, sets[^1].Positions.Count);
        Assert.Equal([predictor.CalibrationPosition(Engine.Gifsicle, CurveType.Lossy)!.Value], predictor.CalibrationPositions(Engine.Gifsicle, CurveType.Lossy, 1));
        Assert.Null(predictor.CalibrationPositions(Engine.Gifsicle, CurveType.Colors, 2));

        const long original = 50_000;
        var plain = predictor.Predict(new Dictionary<string, double?> { ["entropy"] = 3 }, original).Single();
        var order = plain.Points.Select(p => p.Position).ToList();
        for (var s = 0; s < sets.Count; s++)
        {
            var at = sets[s].Positions.Select(p => order.IndexOf(p)).ToArray();
            // Measured: alternately 10 % above and 20 % below the prediction; given in reverse order.
            var bytes = at.Select((i, n) => (long)Math.Round(plain.Points[i].SizeBytes * (n % 2 == 0 ? 1.1 : 0.8))).ToArray();
            var calibrated = predictor.Calibrate(plain, at.Select((i, n) => new MeasuredSize(order[i], bytes[n])).Reverse().ToList(), original);
            var shifts = at.Select((i, n) => Math.Log(bytes[n] / plain.Points[i].SizeBytes)).ToArray();
            var interval = reread.Targets["size"].CalibratedSets![s].Interval!;
            var previous = double.PositiveInfinity;
            for (var i = 0; i < order.Count; i++)
            {
                var c = calibrated.Points[i];
                var m = Array.IndexOf(at, i);
                // Piecewise linear in the index between neighbouring measured points, constant beyond (written out here);
                // a predicted point is then lowered to the one before it when the shift lifted it above (running minimum).
                var shift = i <= at[0] ? shifts[0] : i >= at[^1] ? shifts[^1] : Enumerable.Range(1, at.Length - 1).Where(j => i <= at[j])
                    .Select(j => shifts[j - 1] + (shifts[j] - shifts[j - 1]) * (i - at[j - 1]) / (at[j] - at[j - 1])).First();
                var expected = m >= 0 ? bytes[m] : Math.Min(plain.Points[i].SizeBytes * Math.Exp(shift), previous);
                previous = expected;
                Assert.Equal(expected, c.SizeBytes, 6);
                Assert.Equal(original / c.SizeBytes, c.CompressionRatio, 9);
                Assert.Equal(plain.Points[i].CompositeScore, c.CompositeScore);
                var key = order[i].ToString(System.Globalization.CultureInfo.InvariantCulture);
                Assert.Equal(c.SizeBytes * Math.Exp(interval.Lower[key]), c.SizeInterval!.Value.Low, 6);
                Assert.Equal(c.SizeBytes * Math.Exp(interval.Upper[key]), c.SizeInterval!.Value.High, 6);
            }
            var info = calibrated.Calibration!;
            Assert.Equal((order[at[0]], bytes[0], stored[s].Evaluation.Overall, stored[s].Evaluation.Within15PercentShare),
                         (info.Position, info.MeasuredBytes, info.HeldOutSizeMape, info.HeldOutWithin15Share));
            Assert.Equal(at.Select((i, n) => new CalibrationPoint(order[i], bytes[n], plain.Points[i].SizeBytes)), info.Points);
        }

        // One point still works (its own figures); positions that are neither the point nor a stored set are refused.
        var single = predictor.Calibrate(plain, 41_000, original);
        Assert.Single(single.Calibration!.Points);
        Assert.Equal(metadata.Targets["size"].Calibrated!.Evaluation.Overall, single.Calibration.HeldOutSizeMape);
        var other = order.First(p => !sets[0].Positions.Contains(p) && p != single.Calibration.Position);
        Assert.Throws<ArgumentException>(() => predictor.Calibrate(plain, [new MeasuredSize(other, 1000)], original));
        Assert.Throws<ArgumentException>(() => predictor.Calibrate(plain, [new MeasuredSize(sets[0].Position, 1000), new MeasuredSize(other, 900)], original));
    }

    [Fact]
    public void CalibrationPositions_MetadataWithoutSets_FallsBackToOnePoint()
    {
        using var dir = new TempDir();
        ModelFiles.Save(new CurveModelTrainer(Fast).Train(Dataset(hiddenSlope: 0.5)), dir.Path, Fast);
        // Metadata written before calibration by several points existed: drop the block; its JSON has no such key.
        var path = ModelFiles.MetadataPath(dir.Path, Engine.Gifsicle, CurveType.Lossy);
        var old = PredictionModelMetadata.FromJson(File.ReadAllText(path));
        var json = (old with { Targets = old.Targets.ToDictionary(kv => kv.Key, kv => kv.Value with { CalibratedSets = null }) }).ToJson();
        Assert.DoesNotContain("calibrated_sets", json, StringComparison.Ordinal);
        Assert.DoesNotContain("measured_positions", json, StringComparison.Ordinal);
        File.WriteAllText(path, json);
        var predictor = CurvePredictor.Load(dir.Path, Engine.Gifsicle, Names, "1.2.0");
        Assert.Equal([old.Targets["size"].Calibrated!.Position], predictor.CalibrationPositions(Engine.Gifsicle, CurveType.Lossy, 3));
    }
}
