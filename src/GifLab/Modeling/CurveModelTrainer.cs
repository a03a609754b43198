using GifLab.Core.Curves;
using Microsoft.ML;

namespace GifLab.Modeling;

/// <summary>Held-out comparison of the candidates for one target and the structure kept.</summary>
/// <param name="Baseline">Predicting, at each position, the mean training target of that position (no features).</param>
public sealed record TargetResult(
    PredictionTarget Target, ModelStructure Chosen, string Choice, int TrainingGifs, int TrainingPoints,
    CurveAccuracy? Shared, CurveAccuracy? PerPoint, CurveAccuracy? Baseline)
{
    public CurveAccuracy? ChosenAccuracy => Chosen == ModelStructure.Shared ? Shared : PerPoint;

    /// <summary>Held-out accuracy of the kept structure per content type of the held-out GIFs.</summary>
    public IReadOnlyDictionary<string, CurveAccuracy> ByContentType { get; init; } = new Dictionary<string, CurveAccuracy>();

    /// <summary>Empirical prediction interval of the kept structure from its held-out residuals (null without held-out points).</summary>
    public PredictionInterval? Interval { get; init; }

    /// <summary>
    /// Size only: held-out accuracy and interval of the kept model's curves once each is <em>calibrated</em>, i.e. scaled so
    /// that its calibration point equals the measured size of that run (<see cref="SizeCalibration"/>; the point is chosen
    /// by cross-validation on the training GIFs). Null for quality targets or without held-out GIFs measured there.
    /// </summary>
    public SizeCalibration? Calibrated { get; init; }

    /// <summary>
    /// Size only: as <see cref="Calibrated"/> with several measured runs (<see cref="SizeCalibration.Positions"/>): the
    /// best set of 2, then of 3, 4 and 5, points (up to <see cref="CurveModelTrainer.MaxCalibrationPoints"/>, fewer than the curve's
    /// positions), each chosen by the same cross-validation. Empty for quality targets or without held-out GIFs measured there.
    /// </summary>
    public IReadOnlyList<SizeCalibration> CalibratedSets { get; init; } = [];

    /// <summary>
    /// Size only, where the curve has palette saturation (<see cref="PaletteSaturation"/>): the per-GIF plans of k runs
    /// (<see cref="SizeCalibration.BlockPlan"/>) that beat the fixed set of k in the training cross-validation, with their
    /// held-out figures; <c>predict</c> uses a plan instead of the set of that size. Empty otherwise.
    /// </summary>
    public IReadOnlyList<SizeCalibration> CalibratedPlans { get; init; } = [];
}

/// <summary>
/// How accurate a size curve is once one engine run at one position (<see cref="Position"/>, chosen by cross-validation
/// on the training GIFs; often the first), or runs at several (<see cref="Positions"/>), have been measured. One point:
/// every predicted size is multiplied by measured ÷ predicted at that position, so only the curve's shape is predicted.
/// Several: the log-size shift measured − predicted at each is interpolated linearly by position index between
/// neighbouring measured points and held constant beyond the outer ones, so the curve's slope is measured too. <see cref="Accuracy"/> is over the other
/// positions (a measured one has no error and is not counted, so the MAPE is not diluted by it); the within-15 % share
/// is over whole curves. <see cref="Interval"/> holds the residual quantiles of the calibrated predictions (zero width
/// at the measured positions).
/// </summary>
public sealed record SizeCalibration(int Position, CurveAccuracy Accuracy, PredictionInterval? Interval)
{
    private readonly IReadOnlyList<int>? _positions;

    /// <summary>The measured positions in compression order, <see cref="Position"/> first: one, or a set of several.</summary>
    public IReadOnlyList<int> Positions { get => _positions ?? [Position]; init => _positions = value; }

    /// <summary>One point: calibrated size MAPE % per candidate position in the training cross-validation (null when not run).</summary>
    public IReadOnlyDictionary<int, double>? CrossValidatedMape { get; init; }

    /// <summary>Several points: calibrated size MAPE % per candidate set (key: positions joined by commas) in the training cross-validation.</summary>
    public IReadOnlyDictionary<string, double>? CrossValidatedSetMape { get; init; }

    /// <summary>The key of a set of positions in <see cref="CrossValidatedSetMape"/> and the metadata: <c>10,70</c>.</summary>
    public static string SetKey(IEnumerable<int> positions) => string.Join(",", positions.Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Why the measured position(s) were chosen.</summary>
    public string? Choice { get; init; }

    /// <summary>
    /// A per-GIF plan instead of fixed positions (<see cref="PaletteBlockPlan"/>): at most <see cref="PlanPoints"/> runs
    /// whose positions depend on the GIF's palette (<see cref="BlockPlan"/>); <see cref="Positions"/> is then empty and
    /// <see cref="MeanMeasuredPoints"/> says how many runs the held-out GIFs needed. Null for a fixed set.
    /// </summary>
    public string? Plan { get; init; }

    /// <summary>Most runs of a <see cref="Plan"/>.</summary>
    public int PlanPoints { get; init; }

    /// <summary>Mean runs a <see cref="Plan"/> measured per held-out GIF (fewer than <see cref="PlanPoints"/> where the curve has fewer free positions).</summary>
    public double? MeanMeasuredPoints { get; init; }

    /// <summary>The per-GIF plan: one run in the palette-saturated block, the rest spread over the other positions.</summary>
    public const string PaletteBlockPlan = "palette_block";

    /// <summary>
    /// The runs of the <see cref="PaletteBlockPlan"/> for a GIF whose palette makes <paramref name="identical"/> give one
    /// output: its first position (one run tells the whole block), then <c>m</c> of the other positions evenly spread by
    /// index over them, the first and the last included (m = <paramref name="points"/> − 1 with a block, else
    /// <paramref name="points"/>; all of them when m covers them). In compression order. Measuring two block positions
    /// tells nothing the first did not, so a fixed set wastes runs on such a GIF; this spends them where the curve moves.
    /// </summary>
    public static IReadOnlyList<int> BlockPlan(IReadOnlyList<int> order, IReadOnlyList<int> identical, int points)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(points);
        var chosen = new HashSet<int>();
        if (identical.Count > 0) chosen.Add(identical[0]);
        var free = order.Where(p => !identical.Contains(p)).ToList();
        var m = points - chosen.Count;
        if (m >= free.Count) chosen.UnionWith(free);
        else if (m == 1) chosen.Add(free[0]);
        else if (m > 1)
            for (var i = 0; i < m; i++)
                chosen.Add(free[(int)Math.Round((double)i * (free.Count - 1) / (m - 1), MidpointRounding.AwayFromZero)]);
        return order.Where(chosen.Contains).ToList();
    }

    /// <summary>
    /// A predicted curve (log(bytes ÷ base) per position, <paramref name="order"/> = the curve's positions in compression
    /// order) calibrated at <paramref name="measured"/> (one or more positions, in compression order) with the GIF's
    /// measured sizes there, without those positions; null when the GIF lacks a measured size or prediction at one of them.
    /// </summary>
    internal static Dictionary<int, double>? Shifted(GifCurve g, IReadOnlyDictionary<int, double> predicted, IReadOnlyList<int> order, IReadOnlyList<int> measured,
                                                     PaletteSaturation? saturation = null)
    {
        var shifts = new double[measured.Count];
        for (var m = 0; m < measured.Count; m++)
        {
            var point = g.Points.FirstOrDefault(p => p.Position == measured[m]);
            if (point is null || point.OutputSizeBytes <= 0 || !predicted.TryGetValue(measured[m], out var at)) return null;
            // In log(bytes ÷ base) units: shifting a point by the measured residual scales it.
            shifts[m] = Math.Log(point.OutputSizeBytes / g.SizeBaseBytes) - at;
        }
        var (anchors, anchorShifts) = Expand(order, measured, shifts, saturation?.Saturated(g.Features) ?? [], predicted);
        var calibrated = new Dictionary<int, double>(predicted.Count);
        foreach (var (pos, v) in predicted)
            if (!measured.Contains(pos)) calibrated[pos] = v + Shift(order, anchors, anchorShifts, pos);
        // The same running minimum as CurvePredictor.Calibrate, over the curve's points in order (log sizes).
        var curve = new List<(int Position, double Value, bool Fixed)>(order.Count);
        foreach (var pos in order)
        {
            if (calibrated.TryGetValue(pos, out var v)) curve.Add((pos, v, anchors.Contains(pos)));
            else if (predicted.TryGetValue(pos, out var at) && Find(anchors, pos) is var m and >= 0) curve.Add((pos, at + anchorShifts[m], true));
        }
        var values = curve.Select(c => c.Value).ToArray();
        MakeNonIncreasing(values, i => curve[i].Fixed);
        for (var i = 0; i < curve.Count; i++) if (calibrated.ContainsKey(curve[i].Position)) calibrated[curve[i].Position] = values[i];
        return calibrated;

    }

    /// <summary>
    /// Calibrated sizes in compression order, each unfixed one lowered to at most the size before it (the running
    /// minimum): interpolating the shift between measured points can lift a predicted point above its neighbour, which a
    /// predicted curve never does; <paramref name="fixedAt"/> (measured, or identical to a measured one) stay as they are.
    /// </summary>
    internal static void MakeNonIncreasing(IList<double> values, Func<int, bool> fixedAt)
    {
        var previous = double.PositiveInfinity;
        for (var i = 0; i < values.Count; i++)
        {
            if (!fixedAt(i)) values[i] = Math.Min(values[i], previous);
            previous = values[i];
        }
    }

    /// <summary>Index of <paramref name="p"/> in <paramref name="list"/>, or −1.</summary>
    private static int Find(IReadOnlyList<int> list, int p)
    {
        for (var i = 0; i < list.Count; i++) if (list[i] == p) return i;
        return -1;
    }

    /// <summary>
    /// The measured positions and shifts, plus every palette-saturated position (<see cref="PaletteSaturation"/>) when one
    /// of them was measured: those give the same output, so each takes the measured size (shift = measured − its own
    /// prediction). In compression order. Unchanged when nothing saturated was measured.
    /// </summary>
    internal static (IReadOnlyList<int> Positions, IReadOnlyList<double> Shifts) Expand(IReadOnlyList<int> order, IReadOnlyList<int> measured, IReadOnlyList<double> shifts,
                                                                                      IReadOnlyList<int> saturated, IReadOnlyDictionary<int, double> predicted)
    {
        var at = -1;
        for (var m = 0; m < measured.Count && at < 0; m++) if (saturated.Contains(measured[m])) at = m;
        if (at < 0) return (measured, shifts);
        var level = predicted[measured[at]] + shifts[at];               // the measured log size of the saturated block
        var list = new List<(int Position, double Shift)>();
        foreach (var p in order)
        {
            var m = Find(measured, p);
            if (m >= 0) list.Add((p, shifts[m]));
            else if (saturated.Contains(p) && predicted.TryGetValue(p, out var v)) list.Add((p, level - v));
        }
        return (list.Select(t => t.Position).ToList(), list.Select(t => t.Shift).ToList());

    }

    /// <summary>
    /// The log-size shift at <paramref name="position"/> from the shifts measured at <paramref name="measured"/> (in
    /// compression order): the one shift for one point; for several, linear in the position's index in
    /// <paramref name="order"/> between the two measured points around it, the nearest one's beyond the outer ones. One
    /// definition for training's evaluation and <see cref="CurvePredictor.Calibrate(CurvePrediction, IReadOnlyList{MeasuredSize}, long)"/>.
    /// </summary>
    internal static double Shift(IReadOnlyList<int> order, IReadOnlyList<int> measured, IReadOnlyList<double> shifts, int position)
    {
        if (measured.Count == 1) return shifts[0];
        var i = IndexOf(order, position);
        if (i <= IndexOf(order, measured[0])) return shifts[0];
        for (var m = 1; m < measured.Count; m++)
        {
            int a = IndexOf(order, measured[m - 1]), b = IndexOf(order, measured[m]);
            if (i <= b) return shifts[m - 1] + (shifts[m] - shifts[m - 1]) * (i - a) / (b - a);
        }
        return shifts[^1];

        static int IndexOf(IReadOnlyList<int> order, int p)
        {
            for (var k = 0; k < order.Count; k++) if (order[k] == p) return k;
            throw new ArgumentException($"position {p} is not on the curve", nameof(position));
        }
    }

    /// <summary>Calibrated held-out accuracy and residual interval of a size model over <paramref name="eval"/>, measured at <paramref name="measured"/>.</summary>
    internal static SizeCalibration? Evaluate(TargetModel model, IReadOnlyList<GifCurve> eval, CurveDataset data, IReadOnlyList<int> measured) =>
        Evaluate(model, eval, data, _ => measured, measured) is { } c ? c with { Positions = measured.ToList() } : null;

    /// <summary>The same for a per-GIF plan of at most <paramref name="points"/> runs (<see cref="BlockPlan"/>).</summary>
    internal static SizeCalibration? EvaluatePlan(TargetModel model, IReadOnlyList<GifCurve> eval, CurveDataset data, int points)
    {
        if (model.Saturation is not { } saturation) return null;
        var runs = new List<int>();
        var result = Evaluate(model, eval, data, g =>
        {
            var plan = BlockPlan(data.Positions, saturation.Saturated(g.Features), points);
            runs.Add(plan.Count);
            return plan;
        }, []);
        return result is null ? null : result with
        {
            Positions = [], Plan = PaletteBlockPlan, PlanPoints = points, MeanMeasuredPoints = runs.Count > 0 ? runs.Average() : null,
        };
    }

    private static SizeCalibration? Evaluate(TargetModel model, IReadOnlyList<GifCurve> eval, CurveDataset data,
                                             Func<GifCurve, IReadOnlyList<int>> measuredFor, IReadOnlyList<int> alwaysMeasured)
    {
        var acc = new CurveAccuracy.Builder(PredictionTarget.Size, data.Curve);
        var residuals = new Dictionary<int, List<double>>();
        foreach (var g in eval)
        {
            var measured = measuredFor(g);
            if (Shifted(g, model.PredictByPosition(g.Features, data.Positions), data.Positions, measured, model.Saturation) is not { } calibrated) continue;
            acc.Add(g, calibrated);
            foreach (var p in g.Points)
            {
                if (p.OutputSizeBytes <= 0 || !calibrated.TryGetValue(p.Position, out var c)) continue;
                if (!residuals.TryGetValue(p.Position, out var list)) residuals[p.Position] = list = [];
                list.Add(Math.Log(p.OutputSizeBytes / g.SizeBaseBytes) - c);
            }
        }
        if (acc.Build() is not { } a) return null;
        // A measured position has no error: a zero-width interval there, whatever the pooling of thin positions.
        PredictionInterval? interval = null;
        if (PredictionInterval.FromResiduals(residuals, PredictionInterval.DefaultCoverage) is { } i)
        {
            var lower = new Dictionary<int, double>(i.Lower);
            var upper = new Dictionary<int, double>(i.Upper);
            foreach (var m in alwaysMeasured) lower[m] = upper[m] = 0;
            interval = i with { Lower = lower, Upper = upper };
        }
        return new SizeCalibration(alwaysMeasured.Count > 0 ? alwaysMeasured[0] : -1, a, interval);
    }
}

/// <summary>
/// An empirical (split-conformal style) prediction interval: the <see cref="Coverage"/> central quantiles of the held-out
/// residuals <c>actual − predicted</c> (log size ratio for size, the value for quality), per curve position. A prediction
/// <c>p</c> at a position has the interval <c>[p + Lower, p + Upper]</c> (for size: bytes × e^Lower … bytes × e^Upper).
/// Positions with fewer than <see cref="MinResidualsPerPosition"/> residuals use the quantiles pooled over all positions.
/// </summary>
public sealed record PredictionInterval(double Coverage, IReadOnlyDictionary<int, double> Lower, IReadOnlyDictionary<int, double> Upper, int Residuals)
{
    public const double DefaultCoverage = 0.8;
    public const int MinResidualsPerPosition = 20;

    internal static PredictionInterval? FromResiduals(Dictionary<int, List<double>> byPosition, double coverage)
    {
        var all = byPosition.Values.SelectMany(v => v).ToList();
        if (all.Count < MinResidualsPerPosition) return null;
        var (pooledLo, pooledHi) = Quantiles(all, coverage);
        var lower = new Dictionary<int, double>();
        var upper = new Dictionary<int, double>();
        foreach (var (pos, r) in byPosition)
        {
            var (lo, hi) = r.Count >= MinResidualsPerPosition ? Quantiles(r, coverage) : (pooledLo, pooledHi);
            lower[pos] = lo;
            upper[pos] = hi;
        }
        return new PredictionInterval(coverage, lower, upper, all.Count);
    }

    /// <summary>Lower and upper quantile at (1 ∓ coverage) / 2, linear interpolation between order statistics.</summary>
    internal static (double Lo, double Hi) Quantiles(List<double> values, double coverage)
    {
        var sorted = values.Order().ToArray();
        return (At((1 - coverage) / 2), At((1 + coverage) / 2));

        double At(double q)
        {
            var h = (sorted.Length - 1) * q;
            var i = (int)Math.Floor(h);
            return i + 1 < sorted.Length ? sorted[i] + (h - i) * (sorted[i + 1] - sorted[i]) : sorted[i];
        }
    }
}

/// <summary>Outcome of training one (engine, curve type): the models (null when skipped) and what to report.</summary>
public sealed record CurveTrainingResult(
    CurveDataset Dataset, string EvaluationSplit, int TrainGifs, int EvalGifs, IReadOnlyList<TargetResult> Targets,
    IReadOnlyList<string> Notes, IReadOnlyDictionary<string, double> FeatureImportances)
{
    /// <summary>Per model input, the [min, max] of the training GIFs' values (missing values ignored): prediction warns outside it.</summary>
    public IReadOnlyDictionary<string, double[]> FeatureRanges { get; init; } = new Dictionary<string, double[]>();

    /// <summary>What the size target is relative to, chosen by grouped cross-validation on the training GIFs.</summary>
    public SizeAnchor Anchor { get; init; } = SizeAnchor.Default;

    /// <summary>Positions whose sizes a saturated palette makes equal, learnt from the training GIFs (null: none take part).</summary>
    public PaletteSaturation? Saturation { get; init; }

    /// <summary>The LightGBM settings every target of this curve was trained with (null: the trainer's, not recorded here).</summary>
    public GbmSettings? Settings { get; init; }

    /// <summary>With <c>--tune</c>: the candidates' cross-validated size MAPE and why <see cref="Settings"/> won; else null.</summary>
    public HyperparameterChoice? Tuning { get; init; }

    internal CurveModel? Model { get; init; }
    public bool Trained => Model is not null;
}

/// <summary>A <c>--tune</c> choice: the kept settings, each candidate's cross-validated size MAPE %, and why.</summary>
public sealed record HyperparameterChoice(GbmSettings Settings, IReadOnlyList<(GbmSettings Settings, double Mape)> Candidates, string Choice);

/// <summary>
/// Trains the models of one (engine, curve type) from a <see cref="CurveDataset"/>:
/// <list type="number">
/// <item>splits: when the test split has GIFs, train on train + val and evaluate on test; when it is empty, train on train
/// and evaluate on val; when both are empty nothing is held out (reported as such, the shared structure is kept);</item>
/// <item>per target (size, composite_score, ssim): a shared model over (features, position) and, when every position has
/// enough training rows, one model per position; both predict full curves for the held-out GIFs, curves are made monotone,
/// and the structure with the lower held-out error (size MAPE, quality MAE) is kept — ties (within
/// <see cref="TieTolerance"/>) go to shared.</item>
/// </list>
/// Before that, the size target's <see cref="SizeAnchor"/> is chosen by <see cref="AnchorFolds"/>-fold cross-validation
/// on the training GIFs alone, folds drawn by split group (source package) when the data has groups: the held-out split
/// plays no part in that choice. Each candidate anchor trains a shared size model per fold; the lower cross-validated
/// size MAPE wins, ties (within <see cref="TieTolerance"/>) go to the file size.
/// Choosing on the split that is also reported makes the kept figure slightly optimistic; both candidates' figures are
/// recorded so the difference is visible.
/// </summary>
public sealed class CurveModelTrainer(GbmSettings? settings = null, int minTrainGifsPerTarget = 2, int minRowsPerPointModel = 3, bool tune = false)
{
    /// <summary>Per-point must beat shared by more than this relative margin to be kept (ties go to the single shared model).</summary>
    public const double TieTolerance = 0.01;

    private readonly GbmSettings _settings = settings ?? GbmSettings.Default;

    public GbmSettings Settings => _settings;

    public CurveTrainingResult Train(CurveDataset data, CancellationToken ct = default)
    {
        var notes = new List<string>();
        var test = data.Gifs.Where(g => g.Split == DatasetSplit.Test).ToList();
        var val = data.Gifs.Where(g => g.Split == DatasetSplit.Val).ToList();
        List<GifCurve> train, eval;
        string evalSplit;
        if (test.Count > 0) { train = data.Gifs.Where(g => g.Split != DatasetSplit.Test).ToList(); eval = test; evalSplit = "test"; }
        else if (val.Count > 0) { train = data.Gifs.Where(g => g.Split == DatasetSplit.Train).ToList(); eval = val; evalSplit = "val"; notes.Add("test split is empty: evaluated on the val split"); }
        else { train = data.Gifs.ToList(); eval = []; evalSplit = "none"; notes.Add("no held-out GIF (test and val splits empty): accuracy cannot be measured"); }

        var saturation = PaletteSaturation.Learn(data, train);
        var (anchor, outOfFold) = ChooseAnchor(train, data, saturation, ct);
        var anchorIndex = SizeAnchor.IndexIn(anchor.Name, data.FeatureNames);
        train = Anchored(train, anchorIndex);
        eval = Anchored(eval, anchorIndex);
        var calibration = ChooseCalibrationPosition(train, outOfFold, data, saturation);
        var sets = Enumerable.Range(2, MaxCalibrationPoints - 1).Select(k => ChooseCalibrationSet(train, outOfFold, data, k, saturation)).OfType<CalibrationSetChoice>().ToList();
        var plans = ChooseCalibrationPlans(train, outOfFold, data, saturation, calibration, sets);
        var tuning = tune ? ChooseSettings(train, anchor, data, saturation, ct) : null;
        var settings = tuning?.Settings ?? _settings;

        var ml = new MLContext(seed: settings.Seed);
        var featureCount = data.FeatureNames.Count;
        var results = new List<TargetResult>();
        var models = new Dictionary<PredictionTarget, TargetModel>();
        var importances = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var target in PredictionTargets.All)
        {
            ct.ThrowIfCancellationRequested();
            var shared = new List<(float[] X, float Y)>();
            var perPoint = data.Positions.ToDictionary(p => p, _ => new List<(float[] X, float Y)>());
            var gifsWithTarget = 0;
            foreach (var g in train)
            {
                var any = false;
                foreach (var p in g.Points)
                {
                    if (p.Target(target, g.SizeBaseBytes) is not { } y || !double.IsFinite(y)) continue;
                    any = true;
                    shared.Add((SharedRow(g.Features, p.Position), (float)y));
                    perPoint[p.Position].Add((g.Features, (float)y));
                }
                if (any) gifsWithTarget++;
            }
            if (gifsWithTarget < minTrainGifsPerTarget)
            {
                notes.Add(gifsWithTarget == 0
                    ? $"{target.Name()}: no training GIF has this value; not trained"
                    : $"{target.Name()}: only {gifsWithTarget} training GIF(s) have this value (minimum {minTrainGifsPerTarget}); not trained");
                continue;
            }
            double? lo = null, hi = null;
            if (target != PredictionTarget.Size) { lo = shared.Min(r => r.Y); hi = shared.Max(r => r.Y); }

            var sharedModel = TargetModel.CreateShared(target,
                GbmTraining.Train(ml, shared.Select(r => r.X).ToList(), shared.Select(r => r.Y).ToList(), settings), featureCount, lo, hi).WithSaturation(saturation);
            TargetModel? pointModel = null;
            var thin = perPoint.Where(kv => kv.Value.Count < minRowsPerPointModel).Select(kv => kv.Key).ToList();
            if (thin.Count == 0)
            {
                var regs = new Dictionary<int, GbmRegressor>();
                foreach (var (pos, rows) in perPoint)
                    regs[pos] = GbmTraining.Train(ml, rows.Select(r => r.X).ToList(), rows.Select(r => r.Y).ToList(), settings);
                pointModel = TargetModel.CreatePerPoint(target, regs, featureCount, lo, hi).WithSaturation(saturation);
            }
            else
            {
                notes.Add($"{target.Name()}: per-point models not trained (fewer than {minRowsPerPointModel} training rows at {data.Curve.PositionName()} {string.Join(", ", thin)})");
            }

            var sharedAcc = Evaluate(sharedModel, eval, data, target);
            var pointAcc = pointModel is null ? null : Evaluate(pointModel, eval, data, target);
            var baseline = EvaluateBaseline(perPoint, shared, eval, data, target);
            ModelStructure chosen;
            string why;
            if (pointModel is null) { chosen = ModelStructure.Shared; why = "per-point models could not be trained"; }
            else if (sharedAcc is null || pointAcc is null) { chosen = ModelStructure.Shared; why = "no held-out points: default (shared)"; }
            else if (pointAcc.Overall < sharedAcc.Overall * (1 - TieTolerance)) { chosen = ModelStructure.PerPoint; why = $"lower held-out {sharedAcc.Metric} on {evalSplit}"; }
            else { chosen = ModelStructure.Shared; why = $"held-out {sharedAcc.Metric} on {evalSplit} lower or within {TieTolerance:P0} (tie → shared, one model)"; }
            models[target] = chosen == ModelStructure.Shared ? sharedModel : pointModel!;
            var (byType, interval) = Calibrate(models[target], eval, data, target);
            results.Add(new TargetResult(target, chosen, why, gifsWithTarget, shared.Count, sharedAcc, pointAcc, baseline)
            {
                ByContentType = byType,
                Interval = interval,
                Calibrated = target == PredictionTarget.Size
                    ? SizeCalibration.Evaluate(models[target], eval, data, [calibration.Position]) is { } sc
                        ? sc with { CrossValidatedMape = calibration.Mape, Choice = calibration.Choice }
                        : null
                    : null,
                CalibratedSets = target != PredictionTarget.Size ? [] : sets
                    .Select(set => SizeCalibration.Evaluate(models[target], eval, data, set.Positions) is { } sc
                        ? sc with { CrossValidatedSetMape = set.Mape, Choice = set.Choice } : null)
                    .OfType<SizeCalibration>().ToList(),
                CalibratedPlans = target != PredictionTarget.Size ? [] : plans
                    .Select(plan => SizeCalibration.EvaluatePlan(models[target], eval, data, plan.Points) is { } sc
                        ? sc with { CrossValidatedSetMape = plan.Mape, Choice = plan.Choice } : null)
                    .OfType<SizeCalibration>().ToList(),
            });

            if (target == PredictionTarget.Size)
                Importances(models[target], data, importances);
        }

        return new CurveTrainingResult(data, evalSplit, train.Count, eval.Count, results, notes, importances)
        {
            FeatureRanges = Ranges(train, data.FeatureNames),
            Anchor = anchor,
            Saturation = saturation,
            Settings = settings,
            Tuning = tuning,
            Model = models.ContainsKey(PredictionTarget.Size) ? new CurveModel(data.Engine, data.Curve, data.Positions, models) : null,
        };
    }

    /// <summary>An input row of a shared model: the GIF's features followed by the curve position.</summary>
    private static float[] SharedRow(float[] features, int position)
    {
        var row = new float[features.Length + 1];
        features.CopyTo(row, 0);
        row[features.Length] = position;
        return row;
    }

    /// <summary>Folds of the anchor cross-validation.</summary>
    public const int AnchorFolds = 4;

    /// <summary>Below this many training GIFs in any fold the anchor is not cross-validated (file size kept).</summary>
    public const int MinGifsPerAnchorFold = 3;

    private static List<GifCurve> Anchored(List<GifCurve> gifs, int anchorIndex) =>
        anchorIndex < 0 ? gifs : gifs.Select(g => g with { SizeBaseBytes = SizeAnchor.BaseBytes(g.OriginalSizeBytes, g.Features, anchorIndex) }).ToList();

    /// <summary>The fold of a GIF: a stable hash (FNV-1a) of its split group, or of its SHA when ungrouped.</summary>
    internal static int AnchorFold(string key)
    {
        var h = 2166136261u;
        foreach (var c in key) h = (h ^ c) * 16777619u;
        return (int)(h % AnchorFolds);
    }

    /// <summary>
    /// Grouped K-fold cross-validation of a shared size model on <paramref name="anchored"/> (training GIFs whose
    /// <see cref="GifCurve.SizeBaseBytes"/> is set): size MAPE over the out-of-fold curves (monotone), and those curves.
    /// </summary>
    private static (double? Mape, Dictionary<int, double>?[] OutOfFold) CrossValidate(List<GifCurve> anchored, int[] folds, CurveDataset data,
                                                                                      GbmSettings settings, PaletteSaturation? saturation, CancellationToken ct)
    {
        var ml = new MLContext(seed: settings.Seed);
        var acc = new CurveAccuracy.Builder(PredictionTarget.Size, data.Curve);
        var predicted = new Dictionary<int, double>?[anchored.Count];
        for (var k = 0; k < AnchorFolds; k++)
        {
            ct.ThrowIfCancellationRequested();
            var x = new List<float[]>();
            var y = new List<float>();
            for (var i = 0; i < anchored.Count; i++)
            {
                if (folds[i] == k) continue;
                var g = anchored[i];
                foreach (var p in g.Points)
                {
                    if (p.Target(PredictionTarget.Size, g.SizeBaseBytes) is not { } v || !double.IsFinite(v)) continue;
                    x.Add(SharedRow(g.Features, p.Position));
                    y.Add((float)v);
                }
            }
            if (x.Count == 0) continue;
            var model = TargetModel.CreateShared(PredictionTarget.Size, GbmTraining.Train(ml, x, y, settings), data.FeatureNames.Count, null, null).WithSaturation(saturation);
            for (var i = 0; i < anchored.Count; i++)
                if (folds[i] == k) acc.Add(anchored[i], predicted[i] = model.PredictByPosition(anchored[i].Features, data.Positions));
        }
        return (acc.Build()?.Overall, predicted);
    }

    /// <summary>
    /// The LightGBM settings candidates <c>giflab train --tune</c> compares, derived from the trainer's settings: as given;
    /// smaller leaves (5 GIF-points) with 1.5× the iterations; twice the leaves; 0.4× the learning rate with 3× the
    /// iterations. A small grid on purpose: each candidate costs <see cref="AnchorFolds"/> fits per curve, and on the
    /// training corpus the candidates differ by under 1 point of size MAPE (docs/prediction.md).
    /// </summary>
    public static IReadOnlyList<GbmSettings> TuningCandidates(GbmSettings baseSettings) =>
    [
        baseSettings,
        baseSettings with { MinExamplesPerLeaf = Math.Min(5, baseSettings.MinExamplesPerLeaf), Iterations = baseSettings.Iterations * 3 / 2 },
        baseSettings with { Leaves = baseSettings.Leaves * 2 },
        baseSettings with { LearningRate = Math.Round(baseSettings.LearningRate * 0.4, 10), Iterations = baseSettings.Iterations * 3 },
    ];

    /// <summary>
    /// <c>--tune</c>: the <see cref="TuningCandidates"/> compared by the same grouped cross-validation as the size anchor
    /// (training GIFs only, shared size model, the chosen anchor); the lowest size MAPE wins and is used for every target
    /// of the curve; ties within <see cref="TieTolerance"/> go to the earlier candidate (the given settings first).
    /// </summary>
    private HyperparameterChoice? ChooseSettings(List<GifCurve> anchoredTrain, SizeAnchor anchor, CurveDataset data, PaletteSaturation? saturation, CancellationToken ct)
    {
        var folds = anchoredTrain.Select(g => AnchorFold(g.Group ?? g.GifSha)).ToArray();
        for (var k = 0; k < AnchorFolds; k++)
            if (folds.Count(f => f == k) < MinGifsPerAnchorFold) return null;
        var candidates = TuningCandidates(_settings);
        var mape = new List<double?>();
        foreach (var c in candidates)
            mape.Add(c == _settings && anchor.CrossValidatedMape.TryGetValue(anchor.Name, out var known)
                ? known // already measured by the anchor cross-validation, same folds and settings
                : CrossValidate(anchoredTrain, folds, data, c, saturation, ct).Mape);
        var best = 0;
        for (var i = 1; i < candidates.Count; i++)
            if (mape[i] is { } v && (mape[best] is not { } b || v < b * (1 - TieTolerance))) best = i;
        return new HyperparameterChoice(candidates[best], candidates.Zip(mape, (c, m) => (c, m)).Where(t => t.m is not null).Select(t => (t.c, t.m!.Value)).ToList(),
            $"lowest size MAPE in {AnchorFolds}-fold cross-validation on the training GIFs over {candidates.Count} candidates (ties within {TieTolerance:P0} go to the earlier one)");
    }

    /// <summary>
    /// Grouped K-fold cross-validation of the size anchors among the model inputs on the training GIFs (shared size
    /// models, monotone curves, MAPE in bytes): the candidate with the lowest MAPE, file size on a tie or when the folds are
    /// too thin to tell.
    /// </summary>
    private (SizeAnchor Anchor, Dictionary<int, double>?[]? OutOfFold) ChooseAnchor(List<GifCurve> train, CurveDataset data, PaletteSaturation? saturation, CancellationToken ct)
    {
        var folds = train.Select(g => AnchorFold(g.Group ?? g.GifSha)).ToArray();
        for (var k = 0; k < AnchorFolds; k++)
            if (folds.Count(f => f == k) < MinGifsPerAnchorFold)
                return (SizeAnchor.Default with { Choice = $"file size: too few training GIFs to cross-validate anchors ({AnchorFolds} folds of at least {MinGifsPerAnchorFold})" }, null);
        var candidates = SizeAnchor.Candidates.Where(c => c == SizeAnchor.FileSize || data.FeatureNames.Contains(c)).ToList();

        var mape = new Dictionary<string, double>(StringComparer.Ordinal);
        var outOfFold = new Dictionary<string, Dictionary<int, double>?[]>(StringComparer.Ordinal);
        foreach (var candidate in candidates)
        {
            var (m, predicted) = CrossValidate(Anchored(train, SizeAnchor.IndexIn(candidate, data.FeatureNames)), folds, data, _settings, saturation, ct);
            outOfFold[candidate] = predicted;
            if (m is { } v) mape[candidate] = v;
        }
        if (candidates.Count < 2)
            return (SizeAnchor.Default with { Choice = "file size: no other anchor among the model inputs" }, outOfFold.GetValueOrDefault(SizeAnchor.FileSize));
        if (!mape.TryGetValue(SizeAnchor.FileSize, out var fileMape))
            return (SizeAnchor.Default with { Choice = "file size: cross-validation measured nothing" }, null);
        var best = SizeAnchor.FileSize;
        foreach (var (name, value) in mape)
            if (value < mape[best] && value < fileMape * (1 - TieTolerance)) best = name;
        var figures = string.Join(", ", mape.Select(kv => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{kv.Key} {kv.Value:0.00} %")));
        return (new SizeAnchor(best, mape, $"lowest size MAPE in {AnchorFolds}-fold cross-validation on the training GIFs, folds by {(train.Any(g => g.Group is not null) ? "split group" : "GIF")} ({figures}; ties within {TieTolerance:P0} go to {SizeAnchor.FileSize})"), outOfFold[best]);
    }

    /// <summary>
    /// The position whose measured size calibrates the curve best (<see cref="SizeCalibration"/>): for each position, the
    /// calibrated size MAPE of the out-of-fold predictions of the anchor cross-validation (training GIFs only, grouped
    /// folds), over the other positions. The lowest wins; ties within <see cref="TieTolerance"/> go to the earlier position
    /// in compression order. Why not always the first: where an engine changes regime after it (ImageMagick dithers from
    /// lossy 10 on, not at 0), a GIF's size at the first point says little about the rest of its curve.
    /// </summary>
    private static (int Position, Dictionary<int, double>? Mape, string Choice) ChooseCalibrationPosition(
        List<GifCurve> anchoredTrain, Dictionary<int, double>?[]? outOfFold, CurveDataset data, PaletteSaturation? saturation)
    {
        var first = data.Positions[0];
        if (outOfFold is null) return (first, null, "first position: no cross-validated predictions (too few training GIFs)");
        var mape = new Dictionary<int, double>();
        foreach (var position in data.Positions)
            if (CrossValidatedCalibrationMape(anchoredTrain, outOfFold, data, [position], saturation) is { } m) mape[position] = m;
        if (mape.Count == 0) return (first, null, "first position: cross-validation measured nothing");
        var best = data.Positions.First(mape.ContainsKey);
        foreach (var position in data.Positions)
            if (mape.TryGetValue(position, out var v) && v < mape[best] * (1 - TieTolerance)) best = position;
        var figures = string.Join(", ", mape.Select(kv => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{kv.Key} {kv.Value:0.00} %")));
        return (best, mape, $"lowest calibrated size MAPE in {AnchorFolds}-fold cross-validation on the training GIFs ({data.Curve.PositionName()}: {figures}; ties within {TieTolerance:P0} go to the earlier position)");
    }

    /// <summary>Most measured points a calibration set has (<see cref="TargetResult.CalibratedSets"/>; <c>predict --calibration-points</c>).</summary>
    public const int MaxCalibrationPoints = 5;

    /// <summary>
    /// The runs <c>predict --calibrate</c> measures per curve unless told otherwise: the most, so that every shipped
    /// engine × curve meets the size goals of issue #15 (ImageMagick's lossy curve, the hardest, needs five); the default
    /// <c>predict</c> (gifsicle, ten runs in parallel) stays well within its 1 s goal (models/README.md).
    /// </summary>
    public const int DefaultCalibrationPoints = MaxCalibrationPoints;

    private sealed record CalibrationSetChoice(IReadOnlyList<int> Positions, Dictionary<string, double> Mape, string Choice);

    /// <summary>
    /// The set of <paramref name="count"/> positions whose measured sizes calibrate the curve best (<see cref="SizeCalibration"/>,
    /// several points): every set scored as <see cref="ChooseCalibrationPosition"/> scores single positions, on the same
    /// out-of-fold predictions of the training GIFs (never the held-out ones). The lowest calibrated MAPE over the
    /// unmeasured positions wins; ties within <see cref="TieTolerance"/> go to the earlier set (lexicographic in
    /// compression order). Null when the curve has no more positions than <paramref name="count"/> (nothing left to
    /// predict) or without cross-validated predictions. Why more than one point: one measured size fixes a curve's level,
    /// not its slope, and for gifski the slope is where the error is (models/README.md).
    /// </summary>
    private static CalibrationSetChoice? ChooseCalibrationSet(List<GifCurve> anchoredTrain, Dictionary<int, double>?[]? outOfFold, CurveDataset data, int count,
                                                              PaletteSaturation? saturation)
    {
        if (outOfFold is null || data.Positions.Count <= count) return null;
        var mape = new Dictionary<string, double>(StringComparer.Ordinal);
        int[]? best = null;
        var bestMape = double.PositiveInfinity;
        foreach (var indices in Combinations(data.Positions.Count, count))
        {
            var set = indices.Select(i => data.Positions[i]).ToArray();
            if (CrossValidatedCalibrationMape(anchoredTrain, outOfFold, data, set, saturation) is not { } m) continue;
            mape[SizeCalibration.SetKey(set)] = m;
            if (best is null || m < bestMape * (1 - TieTolerance)) (best, bestMape) = (set, m);
        }
        if (best is null) return null;
        var top = mape.OrderBy(kv => kv.Value).Take(5)
            .Select(kv => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{kv.Key.Replace(',', '+')} {kv.Value:0.00} %"));
        return new CalibrationSetChoice(best, mape,
            $"lowest calibrated size MAPE over the {mape.Count} sets of {count} in {AnchorFolds}-fold cross-validation on the training GIFs ({data.Curve.PositionName()}, best five: {string.Join(", ", top)}; ties within {TieTolerance:P0} go to the earlier set)");
    }

    /// <summary>
    /// Calibrated size MAPE of the out-of-fold predicted curves of the training GIFs measured at <paramref name="measured"/>
    /// (over the other positions), the score of <see cref="ChooseCalibrationPosition"/> and <see cref="ChooseCalibrationSet"/>;
    /// null when no GIF was measured there.
    /// </summary>
    private static double? CrossValidatedCalibrationMape(List<GifCurve> anchoredTrain, Dictionary<int, double>?[] outOfFold, CurveDataset data, IReadOnlyList<int> measured,
                                                         PaletteSaturation? saturation) =>
        CrossValidatedCalibrationMape(anchoredTrain, outOfFold, data, _ => measured, saturation);

    private static double? CrossValidatedCalibrationMape(List<GifCurve> anchoredTrain, Dictionary<int, double>?[] outOfFold, CurveDataset data,
                                                         Func<GifCurve, IReadOnlyList<int>> measuredFor, PaletteSaturation? saturation)
    {
        var acc = new CurveAccuracy.Builder(PredictionTarget.Size, data.Curve);
        for (var i = 0; i < anchoredTrain.Count; i++)
            if (outOfFold[i] is { } predicted && SizeCalibration.Shifted(anchoredTrain[i], predicted, data.Positions, measuredFor(anchoredTrain[i]), saturation) is { } calibrated)
                acc.Add(anchoredTrain[i], calibrated);
        return acc.Build()?.Overall;
    }

    private sealed record CalibrationPlanChoice(int Points, Dictionary<string, double> Mape, string Choice);

    /// <summary>
    /// Where the curve has palette saturation: for each number of runs k (1 … <see cref="MaxCalibrationPoints"/>, fewer
    /// than the curve's positions), the <see cref="SizeCalibration.PaletteBlockPlan"/> of k runs scored by the same
    /// cross-validation as the fixed sets (out-of-fold predictions of the training GIFs); kept when its calibrated MAPE
    /// is lower than the chosen fixed set's of k by more than <see cref="TieTolerance"/>.
    /// </summary>
    private static List<CalibrationPlanChoice> ChooseCalibrationPlans(List<GifCurve> anchoredTrain, Dictionary<int, double>?[]? outOfFold, CurveDataset data,
        PaletteSaturation? saturation, (int Position, Dictionary<int, double>? Mape, string Choice) single, IReadOnlyList<CalibrationSetChoice> sets)
    {
        var kept = new List<CalibrationPlanChoice>();
        if (saturation is null || outOfFold is null) return kept;
        for (var k = 1; k <= MaxCalibrationPoints && k < data.Positions.Count; k++)
        {
            var points = k;
            (string Key, double Mape)? fixedSet = k == 1
                ? single.Mape?.TryGetValue(single.Position, out var m1) == true ? (single.Position.ToString(System.Globalization.CultureInfo.InvariantCulture), m1) : null
                : sets.FirstOrDefault(s => s.Positions.Count == k) is { } set && set.Mape.TryGetValue(SizeCalibration.SetKey(set.Positions), out var mk) ? (SizeCalibration.SetKey(set.Positions), mk) : null;
            if (fixedSet is not { } f) continue;
            if (CrossValidatedCalibrationMape(anchoredTrain, outOfFold, data,
                    g => SizeCalibration.BlockPlan(data.Positions, saturation.Saturated(g.Features), points), saturation) is not { } plan) continue;
            if (plan >= f.Mape * (1 - TieTolerance)) continue;
            kept.Add(new CalibrationPlanChoice(k, new Dictionary<string, double> { [SizeCalibration.PaletteBlockPlan] = plan, [f.Key] = f.Mape },
                string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"lower calibrated size MAPE than the fixed set {f.Key.Replace(',', '+')} in {AnchorFolds}-fold cross-validation on the training GIFs ({plan:0.00} % vs {f.Mape:0.00} %)")));
        }
        return kept;
    }

    /// <summary>Every ascending <paramref name="k"/>-subset of 0 … <paramref name="n"/> − 1, in lexicographic order.</summary>
    private static IEnumerable<int[]> Combinations(int n, int k)
    {
        var c = Enumerable.Range(0, k).ToArray();
        while (true)
        {
            yield return (int[])c.Clone();
            var i = k - 1;
            while (i >= 0 && c[i] == n - k + i) i--;
            if (i < 0) yield break;
            c[i]++;
            for (var j = i + 1; j < k; j++) c[j] = c[j - 1] + 1;
        }
    }

    private static CurveAccuracy? Evaluate(TargetModel model, List<GifCurve> eval, CurveDataset data, PredictionTarget target)
    {
        var acc = new CurveAccuracy.Builder(target, data.Curve);
        foreach (var g in eval) acc.Add(g, model.PredictByPosition(g.Features, data.Positions));
        return acc.Build();
    }

    /// <summary>Held-out accuracy per content type and the residual interval of the kept model.</summary>
    private static (Dictionary<string, CurveAccuracy>, PredictionInterval?) Calibrate(TargetModel model, List<GifCurve> eval, CurveDataset data, PredictionTarget target)
    {
        var builders = new SortedDictionary<string, CurveAccuracy.Builder>(StringComparer.Ordinal);
        var residuals = new Dictionary<int, List<double>>();
        foreach (var g in eval)
        {
            var predicted = model.PredictByPosition(g.Features, data.Positions);
            var type = g.ContentType ?? "unknown";
            if (!builders.TryGetValue(type, out var b)) builders[type] = b = new CurveAccuracy.Builder(target, data.Curve);
            b.Add(g, predicted);
            foreach (var p in g.Points)
            {
                if (p.Target(target, g.SizeBaseBytes) is not { } actual || !double.IsFinite(actual) || !predicted.TryGetValue(p.Position, out var pred)) continue;
                if (!residuals.TryGetValue(p.Position, out var list)) residuals[p.Position] = list = [];
                list.Add(actual - pred);
            }
        }
        var byType = new Dictionary<string, CurveAccuracy>(StringComparer.Ordinal);
        foreach (var (type, b) in builders)
            if (b.Build() is { } a) byType[type] = a;
        return (byType, PredictionInterval.FromResiduals(residuals, PredictionInterval.DefaultCoverage));
    }

    private static Dictionary<string, double[]> Ranges(List<GifCurve> train, IReadOnlyList<string> names)
    {
        var ranges = new Dictionary<string, double[]>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
            foreach (var g in train)
            {
                var v = g.Features[i];
                if (float.IsNaN(v)) continue;
                lo = Math.Min(lo, v);
                hi = Math.Max(hi, v);
            }
            if (lo <= hi) ranges[names[i]] = [lo, hi];
        }
        return ranges;
    }

    private static CurveAccuracy? EvaluateBaseline(Dictionary<int, List<(float[] X, float Y)>> perPoint, List<(float[] X, float Y)> all,
                                                   List<GifCurve> eval, CurveDataset data, PredictionTarget target)
    {
        var overall = all.Average(r => (double)r.Y);
        var curve = data.Positions.Select(p => perPoint[p].Count > 0 ? perPoint[p].Average(r => (double)r.Y) : overall).ToArray();
        MonotoneCurve.MakeNonIncreasing(curve);
        var map = new Dictionary<int, double>();
        for (var i = 0; i < curve.Length; i++) map[data.Positions[i]] = curve[i];
        var acc = new CurveAccuracy.Builder(target, data.Curve);
        foreach (var g in eval) acc.Add(g, map);
        return acc.Build();
    }

    /// <summary>Mean normalised gain importance of the kept size model(s) per input name.</summary>
    private static void Importances(TargetModel model, CurveDataset data, Dictionary<string, double> into)
    {
        var regs = model.Shared is { } s ? [s] : model.PerPoint!.Values.ToList();
        var names = data.FeatureNames.Append(data.Curve.PositionName()).ToList();
        foreach (var r in regs)
        {
            var w = r.Importances();
            for (var i = 0; i < w.Length; i++) into[names[i]] = into.GetValueOrDefault(names[i]) + w[i] / regs.Count;
        }
    }
}
