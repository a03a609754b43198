using GifLab.Core.Curves;
using GifLab.Core.Model;

namespace GifLab.Modeling;

/// <summary>A predicted curve point. <see cref="CompressionRatio"/> = original ÷ predicted size (as <c>compression_runs.compression_ratio</c>).</summary>
public sealed record PredictedPoint(int Position, double SizeBytes, double CompressionRatio, double? CompositeScore, double? Ssim)
{
    /// <summary>Prediction interval of the size in bytes (coverage in <see cref="CurvePrediction.IntervalCoverage"/>), null when the model has none.</summary>
    public (double Low, double High)? SizeInterval { get; init; }
    public (double Low, double High)? CompositeInterval { get; init; }
    public (double Low, double High)? SsimInterval { get; init; }
    /// <summary>Predicted <c>ssimulacra2</c> (null when the models have no such target).</summary>
    public double? Ssimulacra2 { get; init; }
    public (double Low, double High)? Ssimulacra2Interval { get; init; }
}

/// <summary>A model input of the GIF outside the range the models were trained on.</summary>
public sealed record OutOfRangeInput(string Name, double Value, double TrainingMin, double TrainingMax);

/// <summary>A predicted curve of one engine, with the held-out size MAPE of the model that made it (null if never evaluated).</summary>
public sealed record CurvePrediction(Engine Engine, CurveType Curve, IReadOnlyList<PredictedPoint> Points,
                                     IReadOnlyDictionary<PredictionTarget, ModelStructure> Structures, double? HeldOutSizeMape, string EvaluationSplit)
{
    /// <summary>Coverage of the intervals (e.g. 0.8), null when the models carry none.</summary>
    public double? IntervalCoverage { get; init; }

    /// <summary>How the held-out split of these models was drawn (<c>gif</c> or a grouping such as the source package).</summary>
    public string SplitGrouping { get; init; } = "gif";

    /// <summary>What the size model predicts relative to (<see cref="Modeling.SizeAnchor"/>): <c>file_size_bytes</c> or a ratio input.</summary>
    public string SizeAnchor { get; init; } = Modeling.SizeAnchor.FileSize;

    /// <summary>The bytes the size model's log ratio is relative to for this GIF (the file size, or file size × the anchor input).</summary>
    public double SizeBaseBytes { get; init; }

    /// <summary>
    /// True when the anchor input of this GIF lay above the training GIFs' range of it, so the sizes were taken relative
    /// to the file size instead (an estimate far beyond anything seen in training is more likely wrong than the file size;
    /// below the range the anchor is kept: e.g. a 160×160 still padded to 29.8 kB, estimate 0.037 × the file, measured
    /// 1,088 bytes at lossy 0).
    /// </summary>
    public bool SizeAnchorFellBack { get; init; }

    /// <summary>
    /// Positions whose outputs this GIF's palette makes byte-identical (<see cref="PaletteSaturation"/>: no composited
    /// frame has more colours than their palette size): predicted as one size, and all taking the measured size when
    /// calibration measures one of them. Empty when none.
    /// </summary>
    public IReadOnlyList<int> IdenticalPositions { get; init; } = [];

    /// <summary>Set when the sizes were calibrated by measured runs (<see cref="CurvePredictor.Calibrate(CurvePrediction, IReadOnlyList{MeasuredSize}, long)"/>), else null.</summary>
    public SizeCalibrationInfo? Calibration { get; init; }
}

/// <summary>
/// How a curve's sizes were calibrated: the engine's output at <paramref name="Position"/> was measured
/// (<paramref name="MeasuredBytes"/>) and every predicted size scaled by measured ÷ predicted there, so only the curve's
/// shape is predicted; with several measured points (<see cref="Points"/>) the scale is interpolated between them.
/// <paramref name="HeldOutSizeMape"/> and <paramref name="HeldOutWithin15Share"/> are the calibrated held-out figures of
/// the model (over the other positions), null when its metadata has none.
/// </summary>
public sealed record SizeCalibrationInfo(int Position, long MeasuredBytes, double UncalibratedBytes, double? HeldOutSizeMape, double? HeldOutWithin15Share)
{
    /// <summary>Every measured point in compression order (the first is <see cref="Position"/>).</summary>
    public IReadOnlyList<CalibrationPoint> Points { get; init; } = [];
}

/// <summary>One measured calibration point: the engine's output there and the uncalibrated prediction it replaced.</summary>
public sealed record CalibrationPoint(int Position, long MeasuredBytes, double UncalibratedBytes);

/// <summary>A measured engine output size at a curve position (the input of <see cref="CurvePredictor.Calibrate(CurvePrediction, IReadOnlyList{MeasuredSize}, long)"/>).</summary>
public sealed record MeasuredSize(int Position, long Bytes);

/// <summary>The cheapest predicted point meeting a quality floor.</summary>
public sealed record Recommendation(Engine Engine, CurveType Curve, PredictedPoint Point, string QualityMetric, double MinQuality);

/// <summary>
/// Loaded prediction models (load once, predict many; not thread-safe). Loading checks every metadata file against the
/// inputs of the running code and refuses a different feature version or feature list.
/// </summary>
public sealed class CurvePredictor
{
    private readonly List<(CurveModel Model, PredictionModelMetadata Metadata)> _models;

    private CurvePredictor(List<(CurveModel, PredictionModelMetadata)> models, IReadOnlyList<string> featureNames, IReadOnlyList<string> warnings)
    {
        _models = models;
        FeatureNames = featureNames;
        Warnings = warnings;
        // Read once at load, not per prediction: the stored intervals and the union of the models' training ranges.
        _intervals = models.Select(m => Intervals(m.Item2)).ToList();
        _calibrations = Enumerable.Range(0, models.Count).Select(Calibrations).ToList();
        _anchors = models.Select(m => SizeAnchor.IndexIn(m.Item2.SizeAnchorOrDefault, featureNames)).ToList();
        _anchorRanges = models.Select(m => m.Item2.FeatureRanges?.GetValueOrDefault(m.Item2.SizeAnchorOrDefault) is { Length: 2 } r ? (r[0], r[1]) : ((double, double)?)null).ToList();
        _ranges = TrainingRanges(models.Select(m => m.Item2), featureNames);
    }

    private readonly List<Dictionary<PredictionTarget, PredictionInterval>> _intervals;
    /// <summary>
    /// Per model set, the calibrations <see cref="Calibrate(CurvePrediction, IReadOnlyList{MeasuredSize}, long)"/> accepts:
    /// first the single point (<see cref="CalibrationPosition"/>), then the stored sets of several points whose positions
    /// lie on its curve; each with its stored held-out figures and size interval (null when the metadata have none).
    /// </summary>
    private readonly List<IReadOnlyList<StoredCalibration>> _calibrations;

    /// <summary>A stored calibration: fixed positions, or a per-GIF plan of at most <see cref="PlanPoints"/> runs (<see cref="Plan"/> non-null, no positions).</summary>
    private sealed record StoredCalibration(IReadOnlyList<int> Positions, CalibrationMetadata? Metadata, PredictionInterval? Interval)
    {
        public string? Plan { get; init; }
        public int PlanPoints { get; init; }
    }

    private IReadOnlyList<StoredCalibration> Calibrations(int k)
    {
        var (model, metadata) = _models[k];
        var size = metadata.Targets.GetValueOrDefault(PredictionTarget.Size.Name());
        var list = new List<StoredCalibration> { new([CalibrationPositionOf(k)], size?.Calibrated, size?.Calibrated?.Interval?.ToInterval()) };
        foreach (var c in size?.CalibratedSets ?? [])
            if (c.Positions.Count > 1 && c.Positions.All(model.Positions.Contains) && c.Positions.Distinct().Count() == c.Positions.Count)
                list.Add(new StoredCalibration(c.Positions, c, c.Interval?.ToInterval()));
        // Plans need the palette saturation to place their runs; the one plan there is (palette_block).
        if (model.Targets[PredictionTarget.Size].Saturation is not null)
            foreach (var c in size?.CalibratedPlans ?? [])
                if (c.Plan == SizeCalibration.PaletteBlockPlan && c.PlanPoints is { } n && n > 0)
                    list.Add(new StoredCalibration([], c, c.Interval?.ToInterval()) { Plan = c.Plan, PlanPoints = n });
        return list;
    }
    /// <summary>Per model set, the index of its size anchor among the inputs (-1 = file size).</summary>
    private readonly List<int> _anchors;
    /// <summary>Per model set, the training range of its anchor input (null = file size or no range stored).</summary>
    private readonly List<(double Min, double Max)?> _anchorRanges;
    private readonly Dictionary<string, (double Min, double Max)> _ranges;

    /// <summary>What loading accepted with reservations (metadata without checksums), for the user to see.</summary>
    public IReadOnlyList<string> Warnings { get; }

    public IReadOnlyList<string> FeatureNames { get; }

    public IReadOnlyList<PredictionModelMetadata> Metadata => _models.Select(m => m.Metadata).ToList();

    /// <summary>Loads every (engine, curve) model set in <paramref name="dir"/> (or only <paramref name="engine"/>'s).</summary>
    /// <exception cref="ModelUnavailableException">No models, unreadable files, or models trained on other inputs.</exception>
    public static CurvePredictor Load(string dir, Engine? engine, IReadOnlyList<string> featureNames, string featureVersion)
    {
        if (!Directory.Exists(dir))
            throw new ModelUnavailableException($"models folder '{dir}' does not exist; train models with `giflab train --out {dir}`.");
        var models = new List<(CurveModel, PredictionModelMetadata)>();
        var warnings = new List<string>();
        foreach (var e in engine is { } one ? [one] : EngineNames.All)
        foreach (var curve in CurveTypes.All)
        {
            var path = ModelFiles.MetadataPath(dir, e, curve);
            if (!File.Exists(path)) continue;
            var metadata = ModelFiles.ReadCompatible(path, featureNames, featureVersion);
            models.Add((LoadModel(dir, path, e, curve, metadata, featureNames.Count, warnings), metadata));
        }
        if (models.Count == 0)
            throw new ModelUnavailableException(engine is { } only
                ? $"no models for engine {only.Name()} in '{dir}' (expected {ModelFiles.Stem(only, CurveType.Lossy)}.json or {ModelFiles.Stem(only, CurveType.Colors)}.json); train with `giflab train --engine {only.Name()}`."
                : $"no models in '{dir}' (expected files like {ModelFiles.Stem(Engine.Gifsicle, CurveType.Lossy)}.json); train with `giflab train --out {dir}`.");
        return new CurvePredictor(models, featureNames, warnings);
    }

    private static CurveModel LoadModel(string dir, string path, Engine engine, CurveType curve, PredictionModelMetadata m, int featureCount,
                                        List<string> warnings)
    {
        if (m.Engine != engine.Name() || m.CurveType != curve.Name())
            throw new ModelUnavailableException($"{path} describes {m.Engine} {m.CurveType}, not {engine.Name()} {curve.Name()}.");
        if (m.Positions is not { Count: > 0 })
            throw new ModelUnavailableException($"{path} lists no curve positions.");
        if (m.SizeAnchorOrDefault != SizeAnchor.FileSize && !m.FeatureNames.Contains(m.SizeAnchorOrDefault))
            throw new ModelUnavailableException($"{path}: size anchor '{m.SizeAnchor}' is not one of the model's inputs; retrain with `giflab train`.");
        var targets = new Dictionary<PredictionTarget, TargetModel>();
        foreach (var (name, t) in m.Targets ?? [])
        {
            if (!PredictionTargets.TryParse(name, out var target) || !ModelStructures.TryParse(t.Structure, out var structure))
                throw new ModelUnavailableException($"{path}: unknown target '{name}' or structure '{t.Structure}'.");
            var expectedFiles = structure == ModelStructure.Shared ? 1 : m.Positions.Count;
            if (t.Files is null || t.Files.Count != expectedFiles)
                throw new ModelUnavailableException($"{path}: target {name} lists {t.Files?.Count ?? 0} model file(s), expected {expectedFiles}.");
            var files = t.Files.Select(f => ModelFiles.ResolveModelFile(dir, path, f)).ToList();
            if (t.Sha256 is null)
            {
                if (!warnings.Any(w => w.StartsWith(path, StringComparison.Ordinal)))
                    warnings.Add($"{path} carries no sha256 checksums (written before GifLab checked them), so its model files cannot be verified; retrain with `giflab train` to add them.");
            }
            else
            {
                if (t.Sha256.Count != files.Count)
                    throw new ModelUnavailableException($"{path}: target {name} lists {files.Count} model file(s) but {t.Sha256.Count} checksum(s); retrain with `giflab train`.");
                for (var i = 0; i < files.Count; i++)
                {
                    string actual;
                    try { actual = ModelFiles.Sha256Of(files[i]); }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        throw new ModelUnavailableException($"{path}: model file {t.Files[i]} cannot be read: {e.Message}", null, e);
                    }
                    if (!string.Equals(actual, t.Sha256[i], StringComparison.OrdinalIgnoreCase))
                        throw new ModelUnavailableException(
                            $"{path}: model file {t.Files[i]} does not match its checksum (sha256 {actual}, metadata says {t.Sha256[i]}): it was changed, swapped or damaged since training; restore the models or retrain with `giflab train`.");
                }
            }
            try
            {
                if (structure == ModelStructure.Shared)
                {
                    targets[target] = TargetModel.CreateShared(target, GbmRegressor.Load(files[0], featureCount + 1), featureCount, t.ClampMin, t.ClampMax);
                }
                else
                {
                    var regs = new Dictionary<int, GbmRegressor>();
                    for (var i = 0; i < m.Positions.Count; i++)
                        regs[m.Positions[i]] = GbmRegressor.Load(files[i], featureCount);
                    targets[target] = TargetModel.CreatePerPoint(target, regs, featureCount, t.ClampMin, t.ClampMax);
                }
            }
            catch (Exception e) when (e is not (OperationCanceledException or OutOfMemoryException or ModelUnavailableException))
            {
                // A damaged tree file (InvalidDataException), or whatever ML.NET throws on a legacy zip that is not one of its models: not a bug of GifLab.
                throw new ModelUnavailableException($"{path}: model file of target {name} cannot be loaded: {e.Message}", null, e);
            }
        }
        if (!targets.ContainsKey(PredictionTarget.Size))
            throw new ModelUnavailableException($"{path} has no size model.");
        targets[PredictionTarget.Size] = targets[PredictionTarget.Size].WithSaturation(PaletteSaturation.From(m.PaletteSaturation, m.FeatureNames, m.Positions));
        return new CurveModel(engine, curve, m.Positions, targets);
    }

    /// <summary>Predicts every loaded curve for one GIF from its feature values (by name; absent or null = missing).</summary>
    public IReadOnlyList<CurvePrediction> Predict(IReadOnlyDictionary<string, double?> features, long originalSizeBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(originalSizeBytes);
        var row = ModelInputs.Row(FeatureNames, features);
        var result = new List<CurvePrediction>(_models.Count);
        for (var k = 0; k < _models.Count; k++)
        {
            var (model, metadata) = _models[k];
            var size = model.Targets[PredictionTarget.Size].PredictCurve(row, model.Positions);
            var composite = model.Targets.TryGetValue(PredictionTarget.CompositeScore, out var c) ? c.PredictCurve(row, model.Positions) : null;
            var ssim = model.Targets.TryGetValue(PredictionTarget.Ssim, out var s) ? s.PredictCurve(row, model.Positions) : null;
            var ssimulacra2 = model.Targets.TryGetValue(PredictionTarget.Ssimulacra2, out var s2m) ? s2m.PredictCurve(row, model.Positions) : null;
            var intervals = _intervals[k];
            var anchorIndex = _anchors[k];
            // Only above the range: the estimator's known failure over-estimates (composited frames of more than 256
            // colours); a ratio below the range is a file padded far beyond its pixels, which the estimate gets right.
            var fellBack = anchorIndex >= 0 && _anchorRanges[k] is { } ar && float.IsFinite(row[anchorIndex])
                && Outside(row[anchorIndex], double.NegativeInfinity, ar.Max);
            var baseBytes = SizeAnchor.BaseBytes(originalSizeBytes, row, fellBack ? -1 : anchorIndex);
            var points = new List<PredictedPoint>(model.Positions.Count);
            for (var i = 0; i < model.Positions.Count; i++)
            {
                var pos = model.Positions[i];
                var bytes = baseBytes * Math.Exp(size[i]);
                double? cs = composite is null || double.IsNaN(composite[i]) ? null : composite[i];
                double? ss = ssim is null || double.IsNaN(ssim[i]) ? null : ssim[i];
                points.Add(new PredictedPoint(pos, bytes, originalSizeBytes / bytes, cs, ss)
                {
                    SizeInterval = Around(intervals, PredictionTarget.Size, pos, size[i]) is { } si
                        ? (baseBytes * Math.Exp(si.Low), baseBytes * Math.Exp(si.High)) : null,
                    CompositeInterval = cs is { } c0 ? Clamp01(Around(intervals, PredictionTarget.CompositeScore, pos, c0)) : null,
                    SsimInterval = ss is { } s0 ? Clamp01(Around(intervals, PredictionTarget.Ssim, pos, s0)) : null,
                    Ssimulacra2 = ssimulacra2 is null || double.IsNaN(ssimulacra2[i]) ? null : ssimulacra2[i],
                    Ssimulacra2Interval = ssimulacra2 is null || double.IsNaN(ssimulacra2[i]) ? null
                        : Around(intervals, PredictionTarget.Ssimulacra2, pos, ssimulacra2[i]) is { } r2 ? (r2.Low, Math.Min(100, r2.High)) : null,
                });
            }
            result.Add(new CurvePrediction(model.Engine, model.Curve, points,
                model.Targets.ToDictionary(kv => kv.Key, kv => kv.Value.Structure), metadata.ValidationMape, metadata.EvaluationSplit)
            {
                IntervalCoverage = intervals.TryGetValue(PredictionTarget.Size, out var sizeInterval) ? sizeInterval.Coverage : null,
                SplitGrouping = metadata.SplitGrouping,
                SizeAnchor = metadata.SizeAnchorOrDefault,
                SizeBaseBytes = baseBytes,
                SizeAnchorFellBack = fellBack,
                IdenticalPositions = model.Targets[PredictionTarget.Size].Saturation?.Saturated(row) ?? [],
            });
        }
        return result;
    }

    /// <summary>
    /// The position whose run <see cref="Calibrate(CurvePrediction, IReadOnlyList{MeasuredSize}, long)"/> needs measured: the one the trainer chose by cross-validation
    /// (<see cref="CalibrationMetadata.Position"/>), or the curve's first position (lossy 0, 256 colours) for models
    /// without it. Null when no loaded model covers the curve.
    /// </summary>
    public int? CalibrationPosition(Engine engine, CurveType curve)
    {
        var k = _models.FindIndex(m => m.Model.Engine == engine && m.Model.Curve == curve);
        return k < 0 ? null : CalibrationPositionOf(k);
    }

    private int CalibrationPositionOf(int k) =>
        _models[k].Metadata.Targets?.GetValueOrDefault(PredictionTarget.Size.Name())?.Calibrated?.Position is { } p && _models[k].Model.Positions.Contains(p)
            ? p : _models[k].Model.Positions[0];

    /// <summary>
    /// The positions whose runs <see cref="Calibrate(CurvePrediction, IReadOnlyList{MeasuredSize}, long)"/> needs
    /// measured, at most <paramref name="maxPoints"/> of them: the largest set the trainer chose by cross-validation
    /// (<see cref="TargetMetadata.CalibratedSets"/>) within that count, else <see cref="CalibrationPosition"/> alone
    /// (metadata without sets, or <paramref name="maxPoints"/> 1). Null when no loaded model covers the curve.
    /// </summary>
    public IReadOnlyList<int>? CalibrationPositions(Engine engine, CurveType curve, int maxPoints)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPoints);
        var k = _models.FindIndex(m => m.Model.Engine == engine && m.Model.Curve == curve);
        if (k < 0) return null;
        var best = _calibrations[k][0].Positions;
        foreach (var c in _calibrations[k])
            if (c.Plan is null && c.Positions.Count <= maxPoints && c.Positions.Count > best.Count) best = c.Positions;
        return best;
    }

    /// <summary>
    /// The positions to measure for this GIF's curve, at most <paramref name="maxPoints"/>: as
    /// <see cref="CalibrationPositions(Engine, CurveType, int)"/>, except that where training stored a per-GIF plan
    /// (<see cref="SizeCalibration.PaletteBlockPlan"/>) for that many runs, because it beat the fixed set in
    /// cross-validation, the plan's positions for this GIF (<see cref="CurvePrediction.IdenticalPositions"/>; often fewer
    /// runs). Null when no loaded model made the prediction.
    /// </summary>
    public IReadOnlyList<int>? CalibrationPositions(CurvePrediction prediction, int maxPoints)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        if (CalibrationPositions(prediction.Engine, prediction.Curve, maxPoints) is not { } fixedSet) return null;
        var k = ModelOf(prediction);
        var plan = _calibrations[k].FirstOrDefault(c => c.Plan is not null && c.PlanPoints == fixedSet.Count);
        return plan is null ? fixedSet
            : SizeCalibration.BlockPlan(prediction.Points.Select(p => p.Position).ToList(), prediction.IdenticalPositions, plan.PlanPoints);
    }

    /// <summary>
    /// Scales a predicted curve so that its point at <see cref="CalibrationPosition"/> equals <paramref name="measuredBytes"/>,
    /// the measured output of the engine at that point (same pipeline and setting as the training runs): sizes become
    /// measured × predicted ÷ predicted-there, and size intervals come from the model's calibrated held-out residuals
    /// (<see cref="SizeCalibration"/>) when its metadata has them, else the uncalibrated ones are kept. Quality is unchanged.
    /// </summary>
    /// <exception cref="ArgumentException">No loaded model made this prediction, or it has no point at the calibration position.</exception>
    public CurvePrediction Calibrate(CurvePrediction prediction, long measuredBytes, long originalSizeBytes)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        var k = ModelOf(prediction);
        return Calibrate(prediction, [new MeasuredSize(CalibrationPositionOf(k), measuredBytes)], originalSizeBytes);
    }

    /// <summary>
    /// Calibrates a predicted curve by the engine's measured sizes at the positions of
    /// <see cref="CalibrationPositions(CurvePrediction, int)"/>: one point (the curve is scaled by measured ÷ predicted there), or a stored set
    /// of several (the log-size shift measured − predicted is interpolated by position index between neighbouring measured
    /// points and held beyond the outer ones, <see cref="SizeCalibration"/>). The measured points take their measured sizes; size intervals come from the
    /// model's held-out residuals of that calibration when its metadata has them, else the uncalibrated ones are scaled.
    /// Quality is unchanged.
    /// </summary>
    /// <exception cref="ArgumentException">No loaded model made this prediction, or <paramref name="measured"/> is not its calibration point or one of its stored sets.</exception>
    public CurvePrediction Calibrate(CurvePrediction prediction, IReadOnlyList<MeasuredSize> measured, long originalSizeBytes)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(measured);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(originalSizeBytes);
        foreach (var m in measured) ArgumentOutOfRangeException.ThrowIfNegativeOrZero(m.Bytes, nameof(measured));
        var k = ModelOf(prediction);
        var sorted = measured.OrderBy(m => IndexIn(prediction.Points, m.Position)).ToList();
        var positions = sorted.Select(m => m.Position).ToList();
        var order = prediction.Points.Select(p => p.Position).ToList();
        // This GIF's plan first (CalibrationPositions gives it precedence over the fixed set of as many runs), then the
        // fixed sets. Plans of different budgets can give a GIF the same positions; the figures are the largest's (the default).
        var (_, stored, interval) = _calibrations[k].Where(c => c.Plan is not null).OrderByDescending(c => c.PlanPoints)
                .FirstOrDefault(c => SizeCalibration.BlockPlan(order, prediction.IdenticalPositions, c.PlanPoints).SequenceEqual(positions))
            ?? _calibrations[k].FirstOrDefault(c => c.Plan is null && c.Positions.SequenceEqual(positions))
            ?? throw new ArgumentException($"{prediction.Engine.Name()} {prediction.Curve.Name()} is calibrated at {prediction.Curve.PositionName()} " +
                                           $"{string.Join(" or ", _calibrations[k].Select(c => c.Plan is null ? SizeCalibration.SetKey(c.Positions) : SizeCalibration.SetKey(SizeCalibration.BlockPlan(order, prediction.IdenticalPositions, c.PlanPoints))))}, not {SizeCalibration.SetKey(positions)}",
                                           nameof(measured));
        var predictedThere = new double[sorted.Count];
        var shifts = new double[sorted.Count];
        for (var i = 0; i < sorted.Count; i++)
        {
            var point = prediction.Points[IndexIn(prediction.Points, positions[i])];
            predictedThere[i] = point.SizeBytes;
            shifts[i] = Math.Log(sorted[i].Bytes / point.SizeBytes);
        }
        var logPredicted = prediction.Points.ToDictionary(p => p.Position, p => Math.Log(p.SizeBytes));
        var (anchors, anchorShifts) = SizeCalibration.Expand(order, positions, shifts, prediction.IdenticalPositions, logPredicted);
        var sizes = prediction.Points.Select(p => positions.IndexOf(p.Position) is var at && at >= 0
            ? sorted[at].Bytes : p.SizeBytes * Math.Exp(SizeCalibration.Shift(order, anchors, anchorShifts, p.Position))).ToList();
        SizeCalibration.MakeNonIncreasing(sizes, i => anchors.Contains(order[i]));
        var points = prediction.Points.Select((p, i) =>
        {
            var at = positions.IndexOf(p.Position);
            var bytes = sizes[i];
            var scale = bytes / p.SizeBytes;
            // A position identical to a measured one is known exactly: a zero-width interval, like the measured ones.
            var si = at >= 0 || anchors.Contains(p.Position) ? (bytes, bytes)
                : interval is not null && interval.Lower.TryGetValue(p.Position, out var lo) && interval.Upper.TryGetValue(p.Position, out var hi)
                ? (bytes * Math.Exp(lo), bytes * Math.Exp(hi))
                : p.SizeInterval is { } old ? (old.Low * scale, old.High * scale) : ((double, double)?)null;
            return p with { SizeBytes = bytes, CompressionRatio = originalSizeBytes / bytes, SizeInterval = si };
        }).ToList();
        return prediction with
        {
            Points = points,
            Calibration = new SizeCalibrationInfo(positions[0], sorted[0].Bytes, predictedThere[0], stored?.Evaluation.Overall, stored?.Evaluation.Within15PercentShare)
            {
                Points = sorted.Select((m, i) => new CalibrationPoint(m.Position, m.Bytes, predictedThere[i])).ToList(),
            },
        };

        static int IndexIn(IReadOnlyList<PredictedPoint> points, int position)
        {
            for (var i = 0; i < points.Count; i++) if (points[i].Position == position) return i;
            throw new ArgumentException($"the prediction has no point at position {position}", nameof(measured));
        }
    }

    private int ModelOf(CurvePrediction prediction)
    {
        var k = _models.FindIndex(m => m.Model.Engine == prediction.Engine && m.Model.Curve == prediction.Curve);
        return k >= 0 ? k : throw new ArgumentException($"no loaded model for {prediction.Engine.Name()} {prediction.Curve.Name()}", nameof(prediction));
    }

    private static Dictionary<PredictionTarget, PredictionInterval> Intervals(PredictionModelMetadata metadata)
    {
        var map = new Dictionary<PredictionTarget, PredictionInterval>();
        foreach (var (name, t) in metadata.Targets ?? [])
            if (t.Interval is { } i && PredictionTargets.TryParse(name, out var target)) map[target] = i.ToInterval();
        return map;
    }

    private static (double Low, double High)? Around(Dictionary<PredictionTarget, PredictionInterval> intervals, PredictionTarget target, int position, double value) =>
        intervals.TryGetValue(target, out var i) && i.Lower.TryGetValue(position, out var lo) && i.Upper.TryGetValue(position, out var hi)
            ? (value + lo, value + hi) : null;

    private static (double Low, double High)? Clamp01((double Low, double High)? i) =>
        i is { } v ? (Math.Clamp(v.Low, 0, 1), Math.Clamp(v.High, 0, 1)) : null;

    /// <summary>
    /// The GIF's model inputs that lie outside the range of every loaded model's training GIFs (a missing input is not
    /// reported): predictions for such a GIF are extrapolations and deserve less trust than the held-out figures suggest.
    /// </summary>
    public IReadOnlyList<OutOfRangeInput> OutOfRange(IReadOnlyDictionary<string, double?> features)
    {
        var result = new List<OutOfRangeInput>();
        foreach (var name in FeatureNames)
        {
            if (!features.TryGetValue(name, out var v) || v is not { } value || !double.IsFinite(value)) continue;
            if (!_ranges.TryGetValue(name, out var r)) continue;
            if (Outside(value, r.Min, r.Max)) result.Add(new OutOfRangeInput(name, value, r.Min, r.Max));
        }
        return result;
    }

    /// <summary>
    /// Whether <paramref name="value"/> lies outside a stored training range. The ranges are stored from float model rows,
    /// so float rounding (1e-6 relative) is allowed. One test for the out-of-range warning and the size-anchor fallback.
    /// </summary>
    private static bool Outside(double value, double min, double max)
    {
        var slack = 1e-6 * Math.Max(1, Math.Abs(value));
        return value < min - slack || value > max + slack;
    }

    /// <summary>Per input, the widest [min, max] over the models' stored training ranges (inputs without one are absent).</summary>
    private static Dictionary<string, (double Min, double Max)> TrainingRanges(IEnumerable<PredictionModelMetadata> models, IReadOnlyList<string> names)
    {
        var ranges = new Dictionary<string, (double Min, double Max)>(StringComparer.Ordinal);
        foreach (var m in models)
        foreach (var name in names)
        {
            if (m.FeatureRanges?.TryGetValue(name, out var r) != true || r!.Length != 2) continue;
            ranges[name] = ranges.TryGetValue(name, out var had) ? (Math.Min(had.Min, r[0]), Math.Max(had.Max, r[1])) : (r[0], r[1]);
        }
        return ranges;
    }

    /// <summary>
    /// The point with the smallest predicted size whose predicted quality is at least <paramref name="minQuality"/>, judged by
    /// composite_score, or by ssim for curves without a composite model; null when no point qualifies.
    /// </summary>
    public static Recommendation? Recommend(IEnumerable<CurvePrediction> predictions, double minQuality) => Recommend(predictions, minQuality, null);

    /// <summary>Metrics a recommendation can use as its quality floor: the predicted quality targets.</summary>
    public static IReadOnlyList<string> QualityMetrics { get; } = ["composite_score", "ssim", "ssimulacra2"];

    /// <summary>
    /// The smallest predicted point whose <paramref name="metric"/> (<c>composite_score</c> or <c>ssim</c>) reaches
    /// <paramref name="minQuality"/>; with a null metric, composite_score where predicted, else ssim.
    /// </summary>
    public static Recommendation? Recommend(IEnumerable<CurvePrediction> predictions, double minQuality, string? metric)
    {
        if (metric is not null && !QualityMetrics.Contains(metric))
            throw new ArgumentOutOfRangeException(nameof(metric), metric, $"predicted quality metrics: {string.Join(", ", QualityMetrics)}");
        Recommendation? best = null;
        foreach (var curve in predictions)
        foreach (var p in curve.Points)
        {
            var (quality, metricName) = metric switch
            {
                "composite_score" => (p.CompositeScore ?? double.NaN, metric),
                "ssim" => (p.Ssim ?? double.NaN, metric),
                "ssimulacra2" => (p.Ssimulacra2 ?? double.NaN, metric),
                _ => p.CompositeScore is { } cs ? (cs, "composite_score") : p.Ssim is { } ss ? (ss, "ssim") : (double.NaN, ""),
            };
            if (double.IsNaN(quality) || quality < minQuality) continue;
            if (best is null || p.SizeBytes < best.Point.SizeBytes)
                best = new Recommendation(curve.Engine, curve.Curve, p, metricName, minQuality);
        }
        return best;
    }
}
