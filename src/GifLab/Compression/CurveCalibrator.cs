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
/// Runs the engine commands a predicted curve is calibrated by (<see cref="CurvePredictor.Calibrate(CurvePrediction, IReadOnlyList{MeasuredSize}, long)"/>):
/// the curve's pipeline at each calibration position (<see cref="CurvePredictor.CalibrationPositions"/>: chosen in
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

    public void Dispose() => _temp.Dispose();
}
