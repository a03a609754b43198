using GifLab.Core.Curves;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using GifLab.Core.Decoding;
using GifLab.Core.Features;
using GifLab.Core.Model;
using GifLab.Compression;
using GifLab.Modeling;

namespace GifLab.Cli.Commands;

/// <summary><c>giflab predict FILE.gif</c>: predicted size and quality per lossy level and colour count of each engine.</summary>
internal static class PredictCommand
{
    public const double DefaultMinQuality = 0.9;

    private static readonly Argument<string> File = new("file") { Description = "The GIF to predict curves for." };
    private static readonly Option<string?> EngineOpt = CommonOptions.Engines("every engine with models");
    private static readonly Option<string?> Models = new("--models")
    {
        Description = "Models folder written by `giflab train` (default: the models shipped with GifLab, models/ of the repository; see models/README.md).",
    };
    private static readonly Option<string> Format = CommonOptions.Format("table", "json");
    /// <summary>Default floor of <c>--metric ssimulacra2</c> (its scale is −∞…100; 70 ≈ "high quality", as compress and leaderboard).</summary>
    public const double DefaultMinSsimulacra2 = 70;

    private static readonly Option<double?> MinQuality = new("--min-quality")
    {
        Description = $"Quality floor of the recommendation, in the units of --metric (default {DefaultMinQuality}; {DefaultMinSsimulacra2} for ssimulacra2).",
    };
    private static readonly Option<string?> Metric = new("--metric")
    {
        Description = "Quality metric of the floor: composite_score, ssim or ssimulacra2 (the predicted quality targets; default: composite_score, " +
                      "or ssim for curves without a composite model).",
    };

    private static readonly Option<string> Calibrate = new("--calibrate")
    {
        Description = "Calibrate predicted sizes by measured engine runs at the curve's calibration point (chosen per engine and curve in training; " +
                      "the model card lists it), or several (see --calibration-points): every size is scaled " +
                      "so that the measured points equal the measured outputs, and intervals come from the calibrated held-out residuals. " +
                      "auto = the engines whose run is cheap (gifsicle) when installed; none = pure prediction; or a comma-separated engine list.",
        DefaultValueFactory = _ => "auto",
    };

    private static readonly Option<int> CalibrationPoints = new("--calibration-points")
    {
        Description = $"Most measured runs per calibrated curve, 1 to {CurveModelTrainer.MaxCalibrationPoints}: the largest set of points chosen in training " +
                      "within that many, where the models have one (one point where they do not; the model card lists them). " +
                      "More runs, closer sizes: each measures the curve's slope between its points; the most meets the shipped models' " +
                      "accuracy goals on every engine (model card).",
        // The most by default: who asks an engine to calibrate has chosen runs over pure prediction, and each point
        // measures more of the curve (gifski held out: 65 / 79 / 88 % of GIFs within 15 % at 1 / 2 / 3 points; ImageMagick
        // lossy needs 5); the default predict (gifsicle) stays well within 1 s.
        DefaultValueFactory = _ => CurveModelTrainer.DefaultCalibrationPoints,
    };

    public static Command Create()
    {
        var command = new Command("predict",
            "Predict a GIF's compression curves (size and quality per lossy level and colour count, per engine) with models from `giflab train`, " +
            "and the engine/setting with the smallest predicted size that meets --min-quality.")
        {
            File, EngineOpt, Models, Format, MinQuality, Metric, Calibrate, CalibrationPoints,
        };
        command.SetAction((parse, ct) => CliErrors.Guard(() => RunAsync(parse, ct)));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        var file = parse.GetValue(File)!;
        var err = Console.Error;
        var engines = GridParsing.Engines(parse.GetValue(EngineOpt));
        Engine? engine = engines is [var only] ? only : null;
        var metric = parse.GetValue(Metric);
        if (metric is not null && !CurvePredictor.QualityMetrics.Contains(metric))
            throw new UsageException($"--metric: '{metric}' is not a predicted quality metric.{Suggest.Hint(metric, CurvePredictor.QualityMetrics)} " +
                                     $"The models predict {string.Join(" and ", CurvePredictor.QualityMetrics)}" +
                                     (GifLab.Core.Metrics.MetricRegistry.Find(metric) is not null ? $" ('{metric}' is measured by `giflab run` but no model predicts it)." : "."));
        var (calibrateEngines, calibrateAuto) = ParseCalibrate(parse.GetValue(Calibrate));
        var calibrationPoints = parse.GetValue(CalibrationPoints);
        if (calibrationPoints < 1 || calibrationPoints > CurveModelTrainer.MaxCalibrationPoints)
            throw new UsageException($"--calibration-points must be between 1 and {CurveModelTrainer.MaxCalibrationPoints}, not {calibrationPoints}.");
        var minQuality = parse.GetValue(MinQuality) ?? (metric == "ssimulacra2" ? DefaultMinSsimulacra2 : DefaultMinQuality);
        if (metric == "ssimulacra2" ? !(minQuality is >= -100 and <= 100) : !(minQuality is >= 0 and <= 1))
            throw new UsageException(metric == "ssimulacra2" ? "--min-quality for ssimulacra2 must be between -100 and 100." : "--min-quality must be between 0 and 1.");
        if (Directory.Exists(file))
        {
            await err.WriteLineAsync($"giflab predict: '{file}' is a folder, not a GIF file.");
            return ExitCodes.InputError;
        }
        // Checked before the models load: a FIFO would block for ever and a device never ends (only regular files are read).
        try { GifLab.Discovery.InputFile.CheckRegular(file); }
        catch (FileNotFoundException)
        {
            await err.WriteLineAsync($"giflab predict: '{file}' does not exist.");
            return ExitCodes.InputError;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await err.WriteLineAsync($"giflab predict: {e.Message}");
            return ExitCodes.InputError;
        }

        var sw = Stopwatch.StartNew();
        CurvePredictor predictor;
        try
        {
            predictor = CurvePredictor.Load(parse.GetValue(Models) ?? ShippedModels.Directory, engine, ModelInputs.Names, FeatureExtractor.Version);
        }
        catch (ModelUnavailableException e)
        {
            await err.WriteLineAsync($"giflab predict: {e.Message}");
            foreach (var d in e.Differences) await err.WriteLineAsync($"  {d}");
            return ExitCodes.ToolMissing;
        }
        var loadMs = sw.Elapsed.TotalMilliseconds;
        foreach (var w in predictor.Warnings) await err.WriteLineAsync($"warning: {w}");

        sw.Restart();
        IReadOnlyDictionary<string, double?> inputs;
        GifLab.Engines.SourceGif source;
        try
        {
            (_, inputs, source) = GifFeatureReader.ReadSource(file);
        }
        catch (Exception e) when (e is GifFormatException or IOException or UnauthorizedAccessException)
        {
            await err.WriteLineAsync($"giflab predict: cannot read '{file}' as a GIF: {e.Message}");
            return ExitCodes.InputError;
        }
        var featureMs = sw.Elapsed.TotalMilliseconds;
        var size = source.FileSizeBytes;
        var absent = predictor.FeatureNames.Where(n => !inputs.ContainsKey(n)).ToList();
        if (absent.Count > 0)
            await err.WriteLineAsync($"warning: the feature extractor did not produce {absent.Count} model input(s), treated as missing: {string.Join(", ", absent)}");

        if (predictor.OutOfRange(inputs) is { Count: > 0 } outside)
        {
            await err.WriteLineAsync($"warning: {outside.Count} input(s) outside the range of the training GIFs; this GIF is unlike them, so trust its predictions less than the held-out figures suggest:");
            foreach (var o in outside)
                await err.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {o.Name} = {o.Value:G6} (training {o.TrainingMin:G6} … {o.TrainingMax:G6})"));
        }

        sw.Restart();
        var predictions = predictor.Predict(inputs, size);
        if (engines is { Count: > 1 }) predictions = predictions.Where(p => engines.Contains(p.Engine)).ToList();
        var predictMs = sw.Elapsed.TotalMilliseconds;

        sw.Restart();
        var toCalibrate = predictions.Where(p => calibrateEngines.Contains(p.Engine)).Select(p => p.Engine).Distinct().ToList();
        if (toCalibrate.Count > 0)
            predictions = await CalibrateAsync(predictor, predictions, toCalibrate, calibrateAuto, calibrationPoints, source, err, ct);
        var calibrateMs = sw.Elapsed.TotalMilliseconds;
        var best = CurvePredictor.Recommend(predictions, minQuality, metric);
        await err.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"timing: models loaded in {loadMs:0} ms, features in {featureMs:0} ms, prediction in {predictMs:0.0} ms, calibration runs in {calibrateMs:0} ms"));

        if (parse.GetValue(Format) == "json") Console.WriteLine(ToJson(file, size, predictions, best));
        else PrintTable(file, size, predictions, best, minQuality);
        return ExitCodes.Ok;
    }

    /// <summary>--calibrate: (engines, whether they came from auto).</summary>
    private static (IReadOnlyList<Engine> Engines, bool Auto) ParseCalibrate(string? text)
    {
        switch (text?.Trim())
        {
            case null or "" or "auto": return (CurveCalibrator.DefaultEngines, true);
            case "none": return ([], false);
        }
        try { return (GridParsing.Engines(text) ?? [], false); }
        catch (UsageException e) { throw new UsageException(e.Message.Replace("--engines:", "--calibrate:", StringComparison.Ordinal) + " Or: auto, none."); }
    }

    /// <summary>
    /// Calibrates the predictions of <paramref name="engines"/> (<see cref="CurveCalibrator.CalibrateAsync"/>: their runs
    /// concurrently, up to one per core) and says on stderr what could not be done: an engine missing under auto once, as
    /// a note (a warning when asked for by name), and each failed run as a warning.
    /// </summary>
    private static async Task<IReadOnlyList<CurvePrediction>> CalibrateAsync(CurvePredictor predictor, IReadOnlyList<CurvePrediction> predictions,
        IReadOnlyList<Engine> engines, bool auto, int maxPoints, GifLab.Engines.SourceGif source, TextWriter err, CancellationToken ct)
    {
        using var calibrator = await CurveCalibrator.CreateAsync(engines, ct: ct);
        var outcomes = await calibrator.CalibrateAsync(predictor, source, predictions, engines, maxPoints, ct: ct);
        var said = new HashSet<Engine>();
        foreach (var o in outcomes)
        {
            if (o.Unavailable is { } reason && said.Add(o.Prediction.Engine))
                await err.WriteLineAsync($"{(auto ? "note" : "warning")}: {o.Prediction.Engine.Name()} is not available ({reason}): its sizes are uncalibrated predictions (see --calibrate).");
            foreach (var w in o.Warnings) await err.WriteLineAsync($"warning: {w}.");
        }
        return outcomes.Select(o => o.Prediction).ToList();
    }

    /// <summary>
    /// The JSON document of <c>predict --format json</c>. Built as a <see cref="JsonObject"/> (no reflection), so the
    /// ahead-of-time compiled <c>giflab-native</c> prints it byte for byte as the CLI does.
    /// </summary>
    internal static string ToJson(string file, long size, IReadOnlyList<CurvePrediction> predictions, Recommendation? best)
    {
        var curves = new JsonArray();
        foreach (var c in predictions)
        {
            var structures = new JsonObject();
            foreach (var (target, structure) in c.Structures) structures[target.Name()] = structure.Name();
            var points = new JsonArray();
            foreach (var p in c.Points)
                points.Add((JsonNode)new JsonObject
                {
                    [c.Curve.PositionName()] = p.Position,
                    ["size_bytes"] = Math.Round(p.SizeBytes),
                    ["size_bytes_interval"] = p.SizeInterval is { } si ? Pair(Math.Round(si.Low), Math.Round(si.High)) : null,
                    ["compression_ratio"] = Math.Round(p.CompressionRatio, 4),
                    ["composite_score"] = p.CompositeScore,
                    ["composite_score_interval"] = p.CompositeInterval is { } ci ? Pair(ci.Low, ci.High) : null,
                    ["ssim"] = p.Ssim,
                    ["ssimulacra2"] = p.Ssimulacra2,
                    ["ssimulacra2_interval"] = p.Ssimulacra2Interval is { } s2i ? Pair(s2i.Low, s2i.High) : null,
                    ["ssim_interval"] = p.SsimInterval is { } ssi ? Pair(ssi.Low, ssi.High) : null,
                });
            curves.Add((JsonNode)new JsonObject
            {
                ["engine"] = c.Engine.Name(),
                ["curve_type"] = c.Curve.Name(),
                ["held_out_size_mape"] = c.HeldOutSizeMape,
                ["evaluation_split"] = c.EvaluationSplit,
                ["split_grouping"] = c.SplitGrouping,
                ["interval_coverage"] = c.IntervalCoverage,
                ["size_anchor"] = c.SizeAnchor,
                ["size_base_bytes"] = Math.Round(c.SizeBaseBytes),
                ["size_anchor_fell_back"] = c.SizeAnchorFellBack,
                ["identical_positions"] = new JsonArray(c.IdenticalPositions.Select(p => (JsonNode?)JsonValue.Create(p)).ToArray()),
                ["size_calibration"] = c.Calibration is { } cal ? new JsonObject
                {
                    [c.Curve.PositionName()] = cal.Position,
                    ["measured_bytes"] = cal.MeasuredBytes,
                    ["uncalibrated_bytes"] = Math.Round(cal.UncalibratedBytes),
                    ["held_out_size_mape"] = cal.HeldOutSizeMape,
                    ["held_out_within_15_percent_share"] = cal.HeldOutWithin15Share,
                    ["measured_points"] = MeasuredPoints(c.Curve, cal),
                } : null,
                ["structures"] = structures,
                ["points"] = points,
            });
        }
        var doc = new JsonObject
        {
            ["file"] = file,
            ["original_size_bytes"] = size,
            ["curves"] = curves,
            ["recommendation"] = best is null ? null : new JsonObject
            {
                ["engine"] = best.Engine.Name(),
                ["curve_type"] = best.Curve.Name(),
                [best.Curve.PositionName()] = best.Point.Position,
                ["size_bytes"] = Math.Round(best.Point.SizeBytes),
                ["quality_metric"] = best.QualityMetric,
                ["min_quality"] = best.MinQuality,
            },
        };
        return doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

        static JsonArray Pair(double low, double high) => new(JsonValue.Create(low), JsonValue.Create(high));

        static JsonArray MeasuredPoints(CurveType curve, SizeCalibrationInfo cal)
        {
            var list = new JsonArray();
            foreach (var m in cal.Points)
                list.Add((JsonNode)new JsonObject
                {
                    [curve.PositionName()] = m.Position,
                    ["measured_bytes"] = m.MeasuredBytes,
                    ["uncalibrated_bytes"] = Math.Round(m.UncalibratedBytes),
                });
            return list;
        }
    }

    private static void PrintTable(string file, long size, IReadOnlyList<CurvePrediction> predictions, Recommendation? best, double minQuality)
    {
        var o = Console.Out;
        var inv = CultureInfo.InvariantCulture;
        o.WriteLine(string.Create(inv, $"Predicted curves for {file} ({size} bytes)"));
        foreach (var c in predictions)
        {
            var mape = c.HeldOutSizeMape is { } m ? string.Create(inv, $"held-out size MAPE {m:0.0} % ({c.EvaluationSplit}, split by {Short(c.SplitGrouping)})") : "accuracy not measured";
            var cover = c.IntervalCoverage is { } cv ? string.Create(inv, $"; [low–high] = {cv:P0} interval") : "";
            o.WriteLine();
            o.WriteLine(string.Create(inv, $"{c.Engine.Name()} {c.Curve.Name()} curve — {mape}{cover}"));
            if (c.Calibration is { } cal)
                o.WriteLine((cal.Points.Count > 1
                                ? string.Create(inv, $"  calibrated: {c.Engine.Name()} measured at {c.Curve.PositionName()} ") +
                                  string.Join(" and ", cal.Points.Select(m => string.Create(inv, $"{m.Position}: {m.MeasuredBytes} bytes (predicted {m.UncalibratedBytes:0})"))) +
                                  "; other sizes scaled by the ratio interpolated between measured points"
                                : string.Create(inv, $"  calibrated: {c.Engine.Name()} measured at {c.Curve.PositionName()} {cal.Position}: {cal.MeasuredBytes} bytes (predicted {cal.UncalibratedBytes:0}); other sizes scaled by it"))
                            + (cal.HeldOutSizeMape is { } cm ? string.Create(inv, $"; calibrated held-out size MAPE {cm:0.0} %") : "")
                            + (cal.HeldOutWithin15Share is { } cw ? string.Create(inv, $", every point within 15 % for {cw:P0} of GIFs") : ""));
            else if (c.SizeAnchorFellBack)
                o.WriteLine(string.Create(inv, $"  sizes predicted relative to the file size: this GIF's {c.SizeAnchor} lies outside the training range (see the warning)"));
            else if (c.SizeAnchor != SizeAnchor.FileSize)
                o.WriteLine(string.Create(inv, $"  sizes predicted relative to {c.SizeBaseBytes:0} bytes (file size × {c.SizeAnchor})"));
            if (c.IdenticalPositions.Count > 0)
                o.WriteLine(string.Create(inv, $"  {c.Curve.PositionName()} {string.Join(", ", c.IdenticalPositions)} give the same output (no frame has more colours than their palettes): one size"));
            o.WriteLine(string.Create(inv, $"  {c.Curve.PositionName(),12}{"size_bytes",12}{"[low–high]",20}{"ratio",8}{"composite",11}{"[low–high]",14}{"ssim",8}{"ssimulacra2",13}"));
            foreach (var p in c.Points)
                o.WriteLine(string.Create(inv,
                    $"  {p.Position,12}{p.SizeBytes,12:0}{Range(p.SizeInterval, "0"),20}{p.CompressionRatio,8:0.00}{Q(p.CompositeScore),11}{Range(p.CompositeInterval, "0.000"),14}{Q(p.Ssim),8}{(p.Ssimulacra2 is { } s2 ? s2.ToString("0.0", CultureInfo.InvariantCulture) : "-"),13}"));
        }
        o.WriteLine();
        o.WriteLine(best is null
            ? string.Create(inv, $"No predicted point reaches quality {minQuality:0.###}.")
            : string.Create(inv, $"Smallest with {best.QualityMetric} ≥ {minQuality:0.###}: {best.Engine.Name()} {best.Curve.PositionName()}={best.Point.Position} → {best.Point.SizeBytes:0} bytes (ratio {best.Point.CompressionRatio:0.00})"));

        static string Q(double? v) => v is { } d ? d.ToString("0.000", CultureInfo.InvariantCulture) : "-";
        static string Range((double Low, double High)? r, string format) =>
            r is { } v ? $"{v.Low.ToString(format, CultureInfo.InvariantCulture)}–{v.High.ToString(format, CultureInfo.InvariantCulture)}" : "-";
        static string Short(string grouping) => grouping.Split(' ')[0];
    }
}
