using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using GifLab.Core.Curves;
using GifLab.Core.Decoding;
using GifLab.Core.Features;
using GifLab.Core.Metrics;
using GifLab.Core.Model;
using GifLab.Engines;
using GifLab.Modeling;
using GifLab.Runs;
using GifLab.Validation;

namespace GifLab.Compression;

/// <summary>
/// GifLab's front door for producing files: compress a GIF with one engine and setting, or find the smallest output that
/// still meets a quality floor. Engines run through the same families and <see cref="PipelineExecutor"/> as
/// <c>giflab run</c>; every output is checked by <see cref="OutputValidator"/> and measured by <see cref="MetricSuite"/>
/// with <c>run</c>'s options. Create one with <see cref="CreateAsync"/> (probes the engines once), use it for many GIFs
/// (methods are thread-safe), dispose it to remove its temp folder.
/// </summary>
/// <example>
/// <code>
/// using var compressor = await GifCompressor.CreateAsync();
/// var result = await compressor.CompressToQualityAsync("in.gif", "out.gif",
///     new FloorOptions(QualityFloor.Create("ssimulacra2", 70)));
/// Console.WriteLine($"{result.Chosen?.Setting}: {result.InputBytes} → {result.OutputBytes} bytes");
/// </code>
/// </example>
public sealed class GifCompressor : IDisposable
{
    /// <summary>Engine order of the coarse search (no model) and of <see cref="AvailableEngines"/>.</summary>
    public static IReadOnlyList<Engine> CoarseOrder { get; } =
        [Engine.Gifsicle, Engine.Gifski, Engine.ImageMagick, Engine.Ffmpeg, Engine.AnimatelyStandard, Engine.AnimatelyAdvanced, Engine.AnimatelyHard];

    /// <summary>Engines searched when a model ranks them; without a model, the coarse search probes one more.</summary>
    public const int ModelEngines = 2;

    /// <summary>Engines probed by the coarse search (fewer when the budget is below twice this).</summary>
    public const int CoarseEngines = 4;

    /// <summary>Predicted composite_score used to rank engines when the floor's metric has no model (e.g. ssimulacra2).</summary>
    public const double ProxyCompositeFloor = 0.9;

    private readonly PipelineExecutor _executor;
    private readonly TempSpace _temp;
    private readonly MetricSuite _suite = new();
    private readonly Lock _predictorLock = new();
    private readonly Dictionary<string, CurvePredictor?> _predictors = new(StringComparer.Ordinal);

    private GifCompressor(EngineCatalog catalog, EngineSettings settings, string? tempRoot, MetricOptions? metricOptions)
    {
        _executor = new PipelineExecutor(catalog, settings);
        _temp = new TempSpace(tempRoot);
        MetricOptions = metricOptions ?? MetricOptions.Default;
    }

    /// <summary>Probes the engines (versions, capabilities) and creates a compressor.</summary>
    /// <param name="settings">How engines are found and run (null: <see cref="EngineSettings.Default"/>).</param>
    /// <param name="tempRoot">Parent of the private temp folder (null: /dev/shm when large enough, else the system temp folder).</param>
    /// <param name="metricOptions">Options of every measurement (null: <c>giflab run</c>'s defaults; give an LPIPS model here to floor on lpips).</param>
    /// <param name="ct">Cancels the probe.</param>
    public static async Task<GifCompressor> CreateAsync(EngineSettings? settings = null, string? tempRoot = null, MetricOptions? metricOptions = null,
                                                        CancellationToken ct = default)
    {
        settings ??= EngineSettings.Default;
        var catalog = await EngineCatalog.ProbeAsync(settings, ct).ConfigureAwait(false);
        return new GifCompressor(catalog, settings, tempRoot, metricOptions);
    }

    /// <summary>Creates a compressor over an already probed catalog (e.g. one with a test family).</summary>
    public static GifCompressor Create(EngineCatalog catalog, EngineSettings? settings = null, string? tempRoot = null, MetricOptions? metricOptions = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new GifCompressor(catalog, settings ?? EngineSettings.Default, tempRoot, metricOptions);
    }

    /// <summary>The probed engines.</summary>
    public EngineCatalog Catalog => _executor.Catalog;

    /// <summary>Options every measurement uses (default: <c>giflab run</c>'s defaults).</summary>
    public MetricOptions MetricOptions { get; }

    /// <summary>Whether an engine can run: its lossy tool is available (and, for colours below 256, its colour tool).</summary>
    public bool IsAvailable(Engine engine) => Catalog.IsAvailable(Catalog.Registry.LossyToolFor(engine).Name);

    /// <summary>Why an engine cannot run (null when it can).</summary>
    public string? UnavailableReason(Engine engine) => Catalog.EngineUnavailableReason(engine);

    /// <summary>Every engine that can run, in <see cref="CoarseOrder"/>.</summary>
    public IReadOnlyList<Engine> AvailableEngines => CoarseOrder.Where(IsAvailable).ToList();

    /// <summary>
    /// Compresses <paramref name="inputPath"/> with one engine and setting. A valid output (canvas, frame count, delays and
    /// loop count kept) is measured and written to <paramref name="outputPath"/> atomically; an invalid one is not written
    /// (see <see cref="CompressionAttempt.Rejection"/>).
    /// </summary>
    /// <param name="inputPath">The GIF to compress (never modified).</param>
    /// <param name="outputPath">Where to write the output (must differ from the input).</param>
    /// <param name="setting">Engine, lossy level and colour count.</param>
    /// <param name="floor">Whose value to report as <see cref="CompressionAttempt.Quality"/> (null: ssimulacra2); every metric is in <see cref="CompressionAttempt.Metrics"/>.</param>
    /// <param name="ct">Cancels the engine and the measurement.</param>
    /// <exception cref="GifFormatException">The input is not a decodable GIF.</exception>
    /// <exception cref="IOException">The input cannot be read or the output not written.</exception>
    /// <exception cref="ToolUnavailableException">The engine is not installed.</exception>
    public async Task<CompressionAttempt> CompressAsync(string inputPath, string outputPath, EngineSetting setting, QualityFloor? floor = null,
                                                        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(setting);
        setting.Check();
        CheckPaths(inputPath, outputPath);
        var source = await ReadSourceAsync(inputPath, ct).ConfigureAwait(false);
        var reference = _suite.Prepare(source.Frames, MetricOptions);
        var work = _temp.CreateWorkDir();
        try
        {
            var (attempt, file) = await AttemptAsync(source, reference, setting, floor ?? QualityFloor.Create(null, null), work, 0, throwUnavailable: true, ct)
                .ConfigureAwait(false);
            if (attempt.IsValid && file is not null) AtomicFile.Copy(file, outputPath);
            return attempt;
        }
        finally
        {
            TempSpace.TryDelete(work);
        }
    }

    /// <summary>
    /// Writes the smallest output found whose measured quality meets the floor and whose size is below the input's, using
    /// at most <see cref="FloorOptions.MaxTries"/> compressions; when none qualifies, copies the input unchanged and says why
    /// (<see cref="CompressionResult.Reason"/>). The search starts from the predictor's best candidates when models cover
    /// the GIF, else from a coarse probe of the engines, then bisects the lossy level and halves the colour count of the
    /// most promising engines. Writes are atomic (temp file, then rename); the input is never written.
    /// </summary>
    /// <exception cref="GifFormatException">The input is not a decodable GIF.</exception>
    /// <exception cref="IOException">The input cannot be read or the output not written.</exception>
    /// <exception cref="ArgumentException">The output is the input, or no requested engine is available.</exception>
    public async Task<CompressionResult> CompressToQualityAsync(string inputPath, string outputPath, FloorOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxTries, 1, nameof(options));
        CheckPaths(inputPath, outputPath);
        var sw = Stopwatch.StartNew();
        var engines = (options.Engines ?? CoarseOrder).Where(IsAvailable).Distinct().ToList();
        if (engines.Count == 0) throw new ArgumentException("none of the requested engines is available.", nameof(options));

        var source = await ReadSourceAsync(inputPath, ct).ConfigureAwait(false);
        var (starts, startedFrom) = Starts(source, engines, options);
        var reference = _suite.Prepare(source.Frames, MetricOptions);
        var work = _temp.CreateWorkDir();
        try
        {
            var files = new Dictionary<CompressionAttempt, string>(ReferenceEqualityComparer.Instance);
            var n = 0;
            var attempts = await QualitySearch.RunAsync(starts, options.Floor, options.MaxTries,
                e => Catalog.Registry.ColorToolFor(e) is { } t && Catalog.IsAvailable(t.Name),
                async (setting, token) =>
                {
                    var (a, file) = await AttemptAsync(source, reference, setting, options.Floor, work, ++n, throwUnavailable: false, token).ConfigureAwait(false);
                    if (file is not null) files[a] = file;
                    return a;
                }, ct).ConfigureAwait(false);

            var best = QualitySearch.Best(attempts, options.Floor, source.FileSizeBytes);
            if (best is not null)
            {
                AtomicFile.Copy(files[best], outputPath);
                return new CompressionResult(inputPath, outputPath, source.FileSizeBytes, best.OutputBytes, best, attempts, null, startedFrom, sw.Elapsed);
            }
            AtomicFile.Copy(inputPath, outputPath);
            return new CompressionResult(inputPath, outputPath, source.FileSizeBytes, source.FileSizeBytes, null, attempts,
                NoResultReason(attempts, options.Floor, source.FileSizeBytes), startedFrom, sw.Elapsed);
        }
        finally
        {
            TempSpace.TryDelete(work);
        }
    }

    /// <summary>The start of the search: predicted settings of the best engines when models cover the GIF, else the coarse probe.</summary>
    private (IReadOnlyList<EngineSetting> Starts, string From) Starts(SourceGif source, IReadOnlyList<Engine> engines, FloorOptions options)
    {
        if (options.UseModels && Predictor(options.ModelsDirectory ?? ShippedModels.Directory) is { } predictor)
        {
            var bytes = File.ReadAllBytes(source.Path);
            var features = FeatureExtractor.Extract(source.Frames, bytes, source.Sha256, Path.GetFileName(source.Path), DateTimeOffset.UtcNow);
            var inputs = ModelInputs.WithBasics(features.Values, source.Frames.Width, source.Frames.Height, source.Frames.FrameCount,
                source.Frames.DurationMs, source.FileSizeBytes);
            IReadOnlyList<CurvePrediction> predictions;
            lock (_predictorLock)
            {
                predictions = options.RequireTrainingRange && predictor.OutOfRange(inputs).Count > 0 ? [] : predictor.Predict(inputs, source.FileSizeBytes);
            }
            var starts = PredictedStarts(predictions, engines, options.Floor);
            if (starts.Count > 0) return (starts, "model");
        }
        var probes = Math.Clamp(options.MaxTries / 2, 1, CoarseEngines);
        return (engines.Take(probes).Select(e => new EngineSetting(e, QualitySearch.CoarseStartLevel)).ToList(), "coarse");
    }

    /// <summary>
    /// Per engine with a lossy-curve model: the highest predicted lossy level whose predicted quality meets the floor (on
    /// composite_score or ssim when the floor is on one of them, else composite_score ≥ <see cref="ProxyCompositeFloor"/>);
    /// engines ranked by the predicted size there (engines predicted never to meet it last, from level 0); the best
    /// <see cref="ModelEngines"/>.
    /// </summary>
    internal static IReadOnlyList<EngineSetting> PredictedStarts(IReadOnlyList<CurvePrediction> predictions, IReadOnlyList<Engine> engines, QualityFloor floor)
    {
        var ranked = new List<(EngineSetting Start, double Size)>();
        foreach (var curve in predictions)
        {
            if (curve.Curve != CurveType.Lossy || !engines.Contains(curve.Engine)) continue;
            PredictedPoint? best = null;
            foreach (var p in curve.Points)
            {
                double? q = floor.Metric switch
                {
                    "composite_score" => p.CompositeScore,
                    "ssim" => p.Ssim,
                    "ssimulacra2" when p.Ssimulacra2 is not null => p.Ssimulacra2,
                    _ => p.CompositeScore,
                };
                var predicted = floor.Metric is "composite_score" or "ssim" || (floor.Metric == "ssimulacra2" && p.Ssimulacra2 is not null);
                var met = predicted ? floor.IsMet(q) : q is { } v && v >= ProxyCompositeFloor;
                if (met && (best is null || p.Position > best.Position)) best = p;
            }
            ranked.Add(best is null ? (new EngineSetting(curve.Engine, 0), double.PositiveInfinity) : (new EngineSetting(curve.Engine, best.Position), best.SizeBytes));
        }
        return ranked.OrderBy(r => r.Size).ThenBy(r => IndexIn(engines, r.Start.Engine)).Take(ModelEngines).Select(r => r.Start).ToList();
    }

    private static int IndexIn(IReadOnlyList<Engine> engines, Engine e)
    {
        for (var i = 0; i < engines.Count; i++) if (engines[i] == e) return i;
        return int.MaxValue;
    }

    private CurvePredictor? Predictor(string dir)
    {
        lock (_predictorLock)
        {
            if (_predictors.TryGetValue(dir, out var p)) return p;
            try { p = CurvePredictor.Load(dir, null, ModelInputs.Names, FeatureExtractor.Version); }
            catch (ModelUnavailableException) { p = null; }
            _predictors[dir] = p;
            return p;
        }
    }

    private async Task<(CompressionAttempt Attempt, string? File)> AttemptAsync(SourceGif source, PreparedReference reference, EngineSetting setting,
        QualityFloor floor, string work, int index, bool throwUnavailable, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        var dir = Path.Combine(work, index.ToString(CultureInfo.InvariantCulture));
        var registry = Catalog.Registry;
        PipelineOutcome outcome;
        try
        {
            outcome = await _executor.ExecuteAsync(setting.Pipeline(registry), setting.Preset, source, dir, ct).ConfigureAwait(false);
        }
        catch (ToolFailedException e)
        {
            return (new CompressionAttempt(setting, 0, null, $"engine failed: {e.Message}") { Elapsed = sw.Elapsed }, null);
        }
        catch (ToolUnavailableException e) when (!throwUnavailable)
        {
            return (new CompressionAttempt(setting, 0, null, $"engine unavailable: {e.Message}") { Elapsed = sw.Elapsed }, null);
        }
        var bytes = await File.ReadAllBytesAsync(outcome.OutputPath, ct).ConfigureAwait(false);
        var expectation = OutputExpectation.For(setting.Pipeline(registry), setting.Preset, source.Frames, registry);
        var validation = OutputValidator.Validate(bytes, expectation, out var decoded);
        var rejection = Rejection(validation);
        if (rejection is not null || decoded is null)
            return (new CompressionAttempt(setting, bytes.LongLength, null, rejection ?? "output does not decode") { Elapsed = sw.Elapsed }, outcome.OutputPath);
        var metrics = _suite.Measure(reference, decoded, MetricOptions, source.FileSizeBytes, bytes.LongLength);
        return (new CompressionAttempt(setting, bytes.LongLength, floor.ValueIn(metrics), null) { Metrics = metrics, Elapsed = sw.Elapsed }, outcome.OutputPath);
    }

    /// <summary>Null when the output keeps the canvas, every frame, every delay and the loop count; else which check failed.</summary>
    internal static string? Rejection(ValidationResult v)
    {
        if (v.Status != ValidationStatus.Valid) return v.Reason ?? v.StatusName;
        var failed = new List<string>();
        foreach (var check in (string[])["frame_count_ok", "delays_ok", "duration_ok", "loop_count_ok"])
            if (v.Checks.TryGetValue(check, out var ok) && ok is false) failed.Add(check[..^3]);
        if (failed.Count == 0) return null;
        string Value(string key) => v.Checks.TryGetValue(key, out var x) ? Convert.ToString(x, CultureInfo.InvariantCulture) ?? "?" : "?";
        return $"output changes the animation ({string.Join(", ", failed)}: frames {Value("frame_count")} of {Value("frame_count_expected")}, " +
               $"duration {Value("duration_ms")} of {Value("duration_expected_ms")} ms, loop {Value("loop_count")} of {Value("loop_count_expected")})";
    }

    private static string NoResultReason(IReadOnlyList<CompressionAttempt> attempts, QualityFloor floor, long inputBytes)
    {
        if (attempts.Count == 0) return "no compression was tried";
        if (attempts.All(a => !a.IsValid)) return "no engine produced a valid output: " + attempts[^1].Rejection;
        var feasible = attempts.Where(a => QualitySearch.IsFeasible(a, floor)).ToList();
        if (feasible.Count == 0)
        {
            var top = attempts.Where(a => a.Quality is not null).Select(a => a.Quality!.Value).DefaultIfEmpty(double.NaN);
            var bestQ = floor.HigherIsBetter ? top.Max() : top.Min();
            return string.Create(CultureInfo.InvariantCulture, $"no output reached {floor} in {attempts.Count} tries (best {bestQ:0.###})");
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"every output meeting {floor} was not smaller than the input (smallest {feasible.Min(a => a.OutputBytes)} ≥ {inputBytes} bytes)");
    }

    private static void CheckPaths(string inputPath, string outputPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(inputPath);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        if (SamePath(inputPath, outputPath))
            throw new ArgumentException($"the output '{outputPath}' is the input; GifLab never overwrites its input.", nameof(outputPath));
    }

    /// <summary>True when both paths name the same file (after resolving links).</summary>
    public static bool SamePath(string a, string b)
    {
        static string Real(string p)
        {
            var full = Path.GetFullPath(p);
            try { return File.Exists(full) ? new FileInfo(full).ResolveLinkTarget(true)?.FullName ?? full : full; }
            catch (IOException) { return full; }
        }
        return string.Equals(Real(a), Real(b), StringComparison.Ordinal);
    }

    private static async Task<SourceGif> ReadSourceAsync(string path, CancellationToken ct)
    {
        var bytes = await File.ReadAllBytesAsync(path, ct).ConfigureAwait(false);
        var frames = GifDecoder.Decode(bytes);
        if (frames.FrameCount == 0) throw new GifFormatException(GifErrorKind.NoFrames, "the GIF has no frames");
        return new SourceGif(path, Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.LongLength, frames);
    }

    /// <summary>Removes the temp folder.</summary>
    public void Dispose() => _temp.Dispose();
}
