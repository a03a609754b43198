using GifLab.Core.Curves;
using GifLab.Core.Model;
using GifLab.Engines;
using GifLab.Runs;
using GifLab.Modeling;
using GifLab.Validation;

namespace GifLab.Compression;

/// <summary>One measured calibration run: the engine's output size at a curve's calibration position, or why there is none.</summary>
public sealed record CalibrationRun(Engine Engine, CurveType Curve, int Position, long? OutputBytes, string? Failure, TimeSpan Elapsed);

/// <summary>
/// What <see cref="CurveCalibrator.CalibrateAsync"/> made of one predicted curve: the calibrated prediction (or the
/// uncalibrated one), why its engine could not run (<paramref name="Unavailable"/>, null when it could or was not asked
/// for), and what went wrong on the way (a failed run: fallback to one point, or no calibration).
/// </summary>
public sealed record CurveCalibrationResult(CurvePrediction Prediction, string? Unavailable, IReadOnlyList<string> Warnings);

/// <summary>
/// Runs the engine commands a predicted curve is calibrated by (<see cref="CurvePredictor.Calibrate(CurvePrediction, IReadOnlyList{MeasuredSize}, long)"/>):
/// the curve's pipeline at each calibration position (<see cref="CurvePredictor.CalibrationPositions(CurvePrediction, int)"/>: chosen in
/// training, one point or a set of several), exactly as <c>giflab run</c> runs it for the training data, through the same
/// <see cref="PipelineExecutor"/> and <see cref="OutputValidator"/>. Only the families of the requested engines are
/// probed, so a calibrated <c>predict</c> stays a short process. Dispose to remove the private temp folder.
/// </summary>
/// <example>
/// <code>
/// using var calibrator = await CurveCalibrator.CreateAsync([Engine.Gifsicle]);
/// var run = await calibrator.MeasureAsync(source, Engine.Gifsicle, CurveType.Lossy, position: 0);
/// if (run.OutputBytes is { } bytes) curve = predictor.Calibrate(curve, bytes, source.FileSizeBytes);
/// </code>
/// </example>
public sealed class CurveCalibrator : IDisposable
{
    /// <summary>Engines <c>predict</c> calibrates by default: one run costs tens of milliseconds on a typical GIF.</summary>
    public static IReadOnlyList<Engine> DefaultEngines { get; } = [Engine.Gifsicle];

    private readonly PipelineExecutor _executor;
    private readonly TempSpace _temp;

    private CurveCalibrator(EngineCatalog catalog, EngineSettings settings, string? tempRoot)
    {
        _executor = new PipelineExecutor(catalog, settings);
        _temp = new TempSpace(tempRoot);
    }

    /// <summary>Probes the families of <paramref name="engines"/> only (and the pass-through steps).</summary>
    public static async Task<CurveCalibrator> CreateAsync(IReadOnlyCollection<Engine> engines, EngineSettings? settings = null, string? tempRoot = null,
                                                          CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(engines);
        settings ??= EngineSettings.Default;
        var all = FamilyRegistry.Default;
        var needed = engines.Select(e => all.LossyToolFor(e).Family).ToHashSet(StringComparer.Ordinal);
        // The pass-through family (the "none-*" steps, no binary) is always kept.
        var registry = new FamilyRegistry(all.Families.Where(f => f.Name == ToolFamilies.None || needed.Contains(f.Name)));
        var catalog = await EngineCatalog.ProbeAsync(settings, registry, ct).ConfigureAwait(false);
        return new CurveCalibrator(catalog, settings, tempRoot);
    }

    /// <summary>Creates a calibrator over an already probed catalog (e.g. one with a test family).</summary>
    public static CurveCalibrator Create(EngineCatalog catalog, EngineSettings? settings = null, string? tempRoot = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new CurveCalibrator(catalog, settings ?? EngineSettings.Default, tempRoot);
    }

    /// <summary>Why an engine's calibration run cannot be made (null when it can).</summary>
    public string? UnavailableReason(Engine engine) => _executor.Catalog.EngineUnavailableReason(engine);

    /// <summary>The pipeline a curve's runs use: the engine's lossy tool, after its colour tool on the colour curve.</summary>
    public PipelineId PipelineFor(Engine engine, CurveType curve)
    {
        var registry = _executor.Catalog.Registry;
        var color = curve == CurveType.Colors ? registry.ColorToolFor(engine)?.Name ?? "none-color" : "none-color";
        return new PipelineId("none-frame", color, registry.LossyToolFor(engine).Name);
    }

    /// <summary>
    /// Runs <paramref name="engine"/>'s <paramref name="curve"/> pipeline at <paramref name="position"/> on the GIF and
    /// returns the size of a valid output; an unavailable engine, a failed run or an invalid output gives a
    /// <see cref="CalibrationRun.Failure"/> instead (predictions then stay uncalibrated).
    /// </summary>
    public async Task<CalibrationRun> MeasureAsync(SourceGif source, Engine engine, CurveType curve, int position, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var started = System.Diagnostics.Stopwatch.StartNew();
        CalibrationRun Fail(string why) => new(engine, curve, position, null, why, started.Elapsed);
        if (UnavailableReason(engine) is { } reason) return Fail($"{engine.Name()} unavailable: {reason}");
        var preset = curve == CurveType.Lossy ? new ParamPreset(position, 256, 1.0) : new ParamPreset(0, position, 1.0);
        var pipeline = PipelineFor(engine, curve);
        var work = _temp.CreateWorkDir();
        try
        {
            PipelineOutcome outcome;
            try { outcome = await _executor.ExecuteAsync(pipeline, preset, source, work, ct).ConfigureAwait(false); }
            catch (Exception e) when (e is ToolFailedException or ToolUnavailableException) { return Fail($"{engine.Name()} failed: {e.Message}"); }
            var validation = OutputValidator.Validate(outcome.OutputPath, source, pipeline, preset);
            if (validation.Status != ValidationStatus.Valid)
                return Fail($"{engine.Name()} output not valid ({validation.StatusName}: {validation.Reason})");
            return new CalibrationRun(engine, curve, position, new FileInfo(outcome.OutputPath).Length, null, started.Elapsed);
        }
        finally
        {
            TempSpace.TryDelete(work);
        }
    }

    /// <summary>
    /// Calibrates every prediction of <paramref name="engines"/> by its engine's runs at
    /// <see cref="CurvePredictor.CalibrationPositions(CurvePrediction, int)"/> (at most <paramref name="maxPoints"/> per curve). All runs start
    /// at once, at most <paramref name="maxConcurrentRuns"/> at a time (default: one per core), so a set of three gifski
    /// runs costs about the wall time of one or two; identical runs are made once. Results come in the order of
    /// <paramref name="predictions"/>, whatever order the runs finish in. A curve whose set has a failed run falls back to
    /// its single calibration point (with a warning); one with no usable run stays uncalibrated (with a warning); an
    /// unavailable engine leaves its curves uncalibrated with <see cref="CurveCalibrationResult.Unavailable"/> set.
    /// </summary>
    public Task<IReadOnlyList<CurveCalibrationResult>> CalibrateAsync(CurvePredictor predictor, SourceGif source, IReadOnlyList<CurvePrediction> predictions,
        IReadOnlyCollection<Engine> engines, int maxPoints, int? maxConcurrentRuns = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        return CalibrateCoreAsync(predictor, predictions, engines, maxPoints, maxConcurrentRuns ?? Environment.ProcessorCount, UnavailableReason,
            (p, position, token) => MeasureAsync(source, p.Engine, p.Curve, position, token), source.FileSizeBytes, ct);
    }

    /// <summary><see cref="CalibrateAsync(CurvePredictor, SourceGif, IReadOnlyList{CurvePrediction}, IReadOnlyCollection{Engine}, int, int?, CancellationToken)"/> over any measuring function (tests give a fake one).</summary>
    internal static async Task<IReadOnlyList<CurveCalibrationResult>> CalibrateCoreAsync(CurvePredictor predictor, IReadOnlyList<CurvePrediction> predictions,
        IReadOnlyCollection<Engine> engines, int maxPoints, int maxConcurrentRuns, Func<Engine, string?> unavailable,
        Func<CurvePrediction, int, CancellationToken, Task<CalibrationRun>> measure, long originalSizeBytes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(engines);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPoints);
        using var gate = new SemaphoreSlim(Math.Max(1, maxConcurrentRuns));
        var runs = new Dictionary<(Engine, CurveType, int), Task<CalibrationRun>>();
        Task<CalibrationRun> Run(CurvePrediction p, int position)
        {
            var key = (p.Engine, p.Curve, position);
            if (!runs.TryGetValue(key, out var task)) runs[key] = task = Gated();
            return task;

            async Task<CalibrationRun> Gated()
            {
                await gate.WaitAsync(ct).ConfigureAwait(false);
                try { return await measure(p, position, ct).ConfigureAwait(false); }
                finally { gate.Release(); }
            }
        }

        var plans = new List<(CurvePrediction Prediction, IReadOnlyList<int>? Positions, string? Unavailable)>(predictions.Count);
        foreach (var p in predictions)
        {
            if (!engines.Contains(p.Engine)) { plans.Add((p, null, null)); continue; }
            if (unavailable(p.Engine) is { } reason) { plans.Add((p, null, reason)); continue; }
            var positions = predictor.CalibrationPositions(p, maxPoints);
            if (positions is not null) foreach (var position in positions) _ = Run(p, position); // started now, awaited in order below
            plans.Add((p, positions, null));
        }

        var result = new List<CurveCalibrationResult>(predictions.Count);
        try
        {
            foreach (var (p, planned, reason) in plans)
            {
                if (planned is not { } positions) { result.Add(new CurveCalibrationResult(p, reason, [])); continue; }
                var warnings = new List<string>();
                var (measured, failure) = await Collect(p, positions).ConfigureAwait(false);
                if (failure is not null && positions.Count > 1 && predictor.CalibrationPositions(p, 1) is [var single])
                {
                    warnings.Add($"{failure}; that curve is calibrated by one point ({p.Curve.PositionName()} {single}) instead");
                    (measured, failure) = await Collect(p, [single]).ConfigureAwait(false);
                }
                if (failure is null) { result.Add(new CurveCalibrationResult(predictor.Calibrate(p, measured, originalSizeBytes), null, warnings)); continue; }
                warnings.Add($"{failure}; that curve is uncalibrated");
                result.Add(new CurveCalibrationResult(p, null, warnings));
            }
        }
        finally
        {
            // No run is left running past this call (the caller disposes the calibrator and its temp folder next).
            try { await Task.WhenAll(runs.Values).ConfigureAwait(false); }
            catch (Exception) when (result.Count < plans.Count) { /* the exception that stopped the loop is the one to see */ }
        }
        return result;

        async Task<(List<MeasuredSize> Measured, string? Failure)> Collect(CurvePrediction p, IReadOnlyList<int> positions)
        {
            var measured = new List<MeasuredSize>(positions.Count);
            foreach (var position in positions)
            {
                var run = await Run(p, position).ConfigureAwait(false);
                if (run.OutputBytes is not { } bytes)
                    return (measured, $"calibration run of {p.Engine.Name()} {p.Curve.Name()} at {p.Curve.PositionName()} {position} gave no size ({run.Failure})");
                measured.Add(new MeasuredSize(position, bytes));
            }
            return (measured, null);
        }
    }

    public void Dispose() => _temp.Dispose();
}
