using System.Globalization;
using System.Text;
using GifLab.Core.Curves;
using GifLab.Core.Model;

namespace GifLab.Modeling;

/// <summary>Options of <c>giflab train</c>.</summary>
/// <param name="MinGifs">A (engine, curve type) is trained only when at least this many GIFs have points of it (all splits).</param>
public sealed record TrainOptions(string DbPath, string OutDir, Engine? Engine = null, int MinGifs = TrainOptions.DefaultMinGifs, GbmSettings? Settings = null)
{
    /// <summary>Groups for the held-out split (e.g. source packages); null = split by each GIF's SHA.</summary>
    public SplitGroups? Groups { get; init; }

    /// <summary>Choose the LightGBM settings per engine × curve by grouped cross-validation (<see cref="CurveModelTrainer.TuningCandidates"/>).</summary>
    public bool Tune { get; init; }

    /// <summary>Several engines to train (each trained as with <see cref="Engine"/>); null = <see cref="Engine"/> or every engine.</summary>
    public IReadOnlyList<Engine>? Engines { get; init; }

    /// <summary>The engines this training covers, in <see cref="EngineNames.All"/> order.</summary>
    public IReadOnlyList<Engine> SelectedEngines =>
        Engines is { Count: > 0 } list ? EngineNames.All.Where(list.Contains).ToList() : Engine is { } one ? [one] : EngineNames.All;

    public const int DefaultMinGifs = 10;
}

/// <summary>What <c>giflab train</c> did: trained curves (with accuracy), skipped curves with reasons, data notes.</summary>
public sealed record TrainingReport(IReadOnlyList<CurveTrainingResult> Trained, IReadOnlyList<string> Skipped, IReadOnlyList<string> Notes,
                                    IReadOnlyList<string> SavedFiles)
{
    /// <summary>Below this many held-out GIFs the accuracy figures are flagged as not meaningful.</summary>
    public const int MeaningfulEvalGifs = 30;

    /// <summary>The held-out accuracy table (one row per engine, curve and target) and per-point size MAPE of the kept models.</summary>
    public string FormatTable()
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine("Held-out accuracy (never seen in training). size: MAPE % of bytes; quality: mean absolute error.");
        sb.AppendLine("within = share of held-out GIFs whose every point is within 15 % (lossy) / 20 % (colours); baseline = per-position mean, no features.");
        sb.AppendLine();
        sb.AppendLine(inv, $"{"engine",-19}{"curve",-7}{"target",-16}{"train",6}{"eval",6}{"split",6}  {"shared",8}{"per_pt",8}{"baseline",9}  {"kept",-10}{"within",7}");
        foreach (var r in Trained)
        {
            foreach (var t in r.Targets)
            {
                sb.Append(inv, $"{r.Dataset.Engine.Name(),-19}{r.Dataset.Curve.Name(),-7}{t.Target.Name(),-16}{t.TrainingGifs,6}{t.ChosenAccuracy?.Gifs ?? 0,6}{r.EvaluationSplit,6}  ");
                sb.Append(inv, $"{Fmt(t.Shared),8}{Fmt(t.PerPoint),8}{Fmt(t.Baseline),9}  {t.Chosen.Name(),-10}");
                sb.AppendLine(t.ChosenAccuracy?.WithinShare is { } w ? (100 * w).ToString("0", inv).PadLeft(6) + "%" : "      -");
            }
        }
        if (Trained.Any(r => r.Targets.Any(t => t.ByContentType.Count > 0)))
        {
            sb.AppendLine();
            sb.AppendLine("Held-out accuracy of the kept models per content type (GIFs; size MAPE % and share within; quality MAE, ssimulacra2 in its own points):");
            sb.AppendLine(inv, $"{"engine",-19}{"curve",-7}{"content type",-13}{"gifs",5}{"size",8}{"within",8}{"composite",11}{"ssim",9}{"ssimulacra2",13}");
            foreach (var r in Trained)
            {
                var types = r.Targets.SelectMany(t => t.ByContentType.Keys).Distinct().Order(StringComparer.Ordinal);
                foreach (var type in types)
                {
                    CurveAccuracy? Of(PredictionTarget target) => r.Targets.FirstOrDefault(t => t.Target == target)?.ByContentType.GetValueOrDefault(type);
                    var size = Of(PredictionTarget.Size);
                    sb.AppendLine(inv, $"{r.Dataset.Engine.Name(),-19}{r.Dataset.Curve.Name(),-7}{type,-13}{size?.Gifs ?? 0,5}{Num(size, "0.00"),8}{(size?.WithinShare is { } w ? (100 * w).ToString("0", inv) + "%" : "-"),8}{Num(Of(PredictionTarget.CompositeScore), "0.0000"),11}{Num(Of(PredictionTarget.Ssim), "0.0000"),9}{Num(Of(PredictionTarget.Ssimulacra2), "0.00"),13}");
                }
            }
        }
        foreach (var r in Trained)
            sb.AppendLine(inv, $"  size anchor, {r.Dataset.Engine.Name()} {r.Dataset.Curve.Name()}: {r.Anchor.Name} ({r.Anchor.Choice})");
        foreach (var r in Trained)
            if (r.Tuning is { } t)
                sb.AppendLine(inv, $"  settings, {r.Dataset.Engine.Name()} {r.Dataset.Curve.Name()}: {t.Settings.Describe()} ({t.Choice}: {string.Join("; ", t.Candidates.Select(c => $"{c.Settings.Describe()} {c.Mape:0.00} %"))})");
        foreach (var r in Trained)
        {
            // Held-out size accuracy once calibrated by measured runs: the single point, then each set (predict --calibration-points).
            var size = r.Targets.FirstOrDefault(t => t.Target == PredictionTarget.Size);
            if (size?.Calibrated is not { } one) continue;
            var figures = string.Join("; ", new[] { one }.Concat(size.CalibratedSets).Select(c => $"{string.Join("+", c.Positions)}: {Calibrated(c)}"));
            sb.AppendLine(inv, $"  calibrated size MAPE / share within 15 %, {r.Dataset.Engine.Name()} {r.Dataset.Curve.Name()} ({r.Dataset.Curve.PositionName()} measured): {figures}");
            if (size.CalibratedPlans.Count > 0)
            {
                var plans = string.Join("; ", size.CalibratedPlans.Select(c => string.Create(inv, $"≤ {c.PlanPoints} runs (mean {c.MeanMeasuredPoints:0.0}): {Calibrated(c)}")));
                sb.AppendLine(inv, $"  per-GIF plans ({SizeCalibration.PaletteBlockPlan}) kept instead of the fixed sets, {r.Dataset.Engine.Name()} {r.Dataset.Curve.Name()}: {plans}");
            }
        }
        foreach (var r in Trained)
        {
            var size = r.Targets.FirstOrDefault(t => t.Target == PredictionTarget.Size);
            if (size?.ChosenAccuracy is not { } a) continue;
            sb.Append(inv, $"  per-point size MAPE, {r.Dataset.Engine.Name()} {r.Dataset.Curve.Name()} ({size.Chosen.Name()}):");
            foreach (var (pos, v) in a.PerPoint) sb.Append(inv, $" {pos}:{v:0.0}");
            sb.AppendLine();
        }
        return sb.ToString();

        // "MAPE % / share within 15 %" of a calibrated size model.
        static string Calibrated(SizeCalibration c) => string.Create(CultureInfo.InvariantCulture,
            $"{c.Accuracy.Overall:0.00} % / {(c.Accuracy.Within15Share is { } w ? (100 * w).ToString("0", CultureInfo.InvariantCulture) + " %" : "-")}");
        static string Num(CurveAccuracy? a, string format) => a is null ? "-" : a.Overall.ToString(format, CultureInfo.InvariantCulture);
        static string Fmt(CurveAccuracy? a) => a is null ? "-" : a.Metric == CurveAccuracy.MapePercent
            ? a.Overall.ToString("0.00", CultureInfo.InvariantCulture)
            : a.Overall.ToString("0.0000", CultureInfo.InvariantCulture);
    }

    /// <summary>The report as JSON (<c>giflab train --format json</c>): per trained curve the held-out accuracy of every candidate.</summary>
    public string ToJson()
    {
        var doc = new Dictionary<string, object?>
        {
            ["trained"] = Trained.Select(r => new Dictionary<string, object?>
            {
                ["engine"] = r.Dataset.Engine.Name(),
                ["curve_type"] = r.Dataset.Curve.Name(),
                ["gifs"] = r.Dataset.Gifs.Count,
                ["trained_on_gifs"] = r.TrainGifs,
                ["evaluated_on_gifs"] = r.EvalGifs,
                ["evaluation_split"] = r.EvaluationSplit,
                ["dataset_version"] = r.Dataset.DatasetVersion,
                ["targets"] = r.Targets.ToDictionary(t => t.Target.Name(), t => new Dictionary<string, object?>
                {
                    ["kept"] = t.Chosen.Name(),
                    ["choice"] = t.Choice,
                    ["training_gifs"] = t.TrainingGifs,
                    ["training_points"] = t.TrainingPoints,
                    ["shared"] = AccuracyMetadata.From(t.Shared),
                    ["per_point"] = AccuracyMetadata.From(t.PerPoint),
                    ["baseline"] = AccuracyMetadata.From(t.Baseline),
                    ["by_content_type"] = t.ByContentType.ToDictionary(kv => kv.Key, kv => AccuracyMetadata.From(kv.Value)),
                    ["interval"] = IntervalMetadata.From(t.Interval, t.Target),
                    ["calibrated"] = ModelFiles.Calibration(t.Calibrated, t.Target),
                    ["calibrated_sets"] = t.CalibratedSets.Select(c => ModelFiles.Calibration(c, t.Target)).ToList(),
                    ["calibrated_plans"] = t.CalibratedPlans.Select(c => ModelFiles.Calibration(c, t.Target)).ToList(),
                }),
                ["split_grouping"] = r.Dataset.SplitGrouping,
                ["size_anchor"] = new Dictionary<string, object?>
                {
                    ["name"] = r.Anchor.Name,
                    ["cross_validated_mape"] = r.Anchor.CrossValidatedMape,
                    ["choice"] = r.Anchor.Choice,
                },
                ["hyperparameters"] = r.Settings,
                ["hyperparameter_cross_validation"] = r.Tuning?.Candidates.ToDictionary(c => c.Settings.Describe(), c => c.Mape),
                ["notes"] = r.Notes,
            }).ToList(),
            ["skipped"] = Skipped,
            ["notes"] = Notes,
            ["warnings"] = Warnings(),
            ["saved"] = SavedFiles,
        };
        return System.Text.Json.JsonSerializer.Serialize(doc, PredictionModelMetadata.JsonOptions);
    }

    /// <summary>Warnings about sample sizes, one line each (empty when every curve had enough held-out GIFs).</summary>
    public IReadOnlyList<string> Warnings() => Trained
        .Where(r => r.EvalGifs < MeaningfulEvalGifs)
        .Select(r => r.EvalGifs == 0
            ? $"warning: {r.Dataset.Engine.Name()} {r.Dataset.Curve.Name()}: no held-out GIF: accuracy not measured"
            : $"warning: {r.Dataset.Engine.Name()} {r.Dataset.Curve.Name()}: only {r.EvalGifs} held-out GIF(s) ({r.EvaluationSplit}) of {r.Dataset.Gifs.Count}: accuracy figures are not meaningful")
        .ToList();
}

/// <summary><c>giflab train</c>: read the database, train every (engine, curve type) with enough data, save models.</summary>
public static class ModelTraining
{
    public static async Task<TrainingReport> RunAsync(TrainOptions options, TextWriter log, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MinGifs, 1);
        var settings = options.Settings ?? GbmSettings.Default;
        var selected = options.SelectedEngines;
        var data = await TrainingDataReader.ReadAsync(options.DbPath, ModelInputs.Names, selected.Count == 1 ? selected[0] : options.Engine,
            SplitRatios.Default, ct, options.Groups).ConfigureAwait(false);
        var trainer = new CurveModelTrainer(settings, tune: options.Tune);
        var trained = new List<CurveTrainingResult>();
        var skipped = new List<string>();
        var saved = new List<string>();
        var noData = new List<string>();
        foreach (var engine in selected)
        foreach (var curve in CurveTypes.All)
        {
            var ds = data.Datasets.FirstOrDefault(d => d.Engine == engine && d.Curve == curve);
            var label = $"{engine.Name()} {curve.Name()}";
            if (ds is null)
            {
                noData.Add(label);
                continue;
            }
            var splits = $"train {ds.CountGifs(DatasetSplit.Train)}, val {ds.CountGifs(DatasetSplit.Val)}, test {ds.CountGifs(DatasetSplit.Test)}";
            if (ds.Gifs.Count < options.MinGifs)
            {
                skipped.Add($"{label}: {ds.Gifs.Count} GIF(s) with data ({splits}), minimum is {options.MinGifs} (--min-gifs)");
                continue;
            }
            await log.WriteLineAsync($"training {label}: {ds.Gifs.Count} GIFs ({splits}), {ds.Positions.Count} positions").ConfigureAwait(false);
            var result = trainer.Train(ds, ct);
            foreach (var n in result.Notes) await log.WriteLineAsync($"  {label}: {n}").ConfigureAwait(false);
            if (!result.Trained)
            {
                skipped.Add($"{label}: no size model could be trained ({result.Notes.FirstOrDefault(n => n.StartsWith("size:", StringComparison.Ordinal)) ?? "see notes above"})");
                continue;
            }
            ModelFiles.Save(result, options.OutDir, settings);
            saved.Add(ModelFiles.MetadataPath(options.OutDir, engine, curve));
            trained.Add(result);
        }
        if (noData.Count > 0) skipped.Insert(0, $"(no valid curve runs with features): {string.Join(", ", noData)}");
        return new TrainingReport(trained, skipped, data.Notes, saved);
    }
}
