using GifLab.Core.Curves;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using GifLab.Core.Model;

namespace GifLab.Modeling;

/// <summary>
/// Model files of a models folder: per (engine, curve type) a metadata file <c>&lt;engine&gt;_&lt;curve&gt;.json</c> and
/// tree files (<see cref="GbmTrees"/>) <c>&lt;engine&gt;_&lt;curve&gt;.&lt;target&gt;.gbm</c> (shared) or
/// <c>&lt;engine&gt;_&lt;curve&gt;.&lt;target&gt;.&lt;position&gt;.gbm</c> (per point); folders written before GifLab's tree
/// format hold ML.NET zips of the same names, which still load. The metadata is written last, so an
/// interrupted save leaves no metadata and the set reads as missing rather than half-present.
/// </summary>
public static class ModelFiles
{
    public const string MonotoneDescription =
        "isotonic (pool-adjacent-violators) non-increasing fit along the compression order (lossy level ascending, colour count descending), " +
        "applied to log size ratio and to quality; quality then clamped to the training range";

    /// <summary>Short source commit (the <c>+sha</c> build metadata the SDK adds to the informational version), or <c>unknown</c>.</summary>
    public static string CodeCommit { get; } = CommitOf(
        typeof(ModelFiles).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);

    internal static string CommitOf(string? informationalVersion)
    {
        var plus = informationalVersion?.IndexOf('+') ?? -1;
        if (plus < 0) return "unknown";
        var sha = informationalVersion![(plus + 1)..];
        return sha.Length >= 7 && sha.All(Uri.IsHexDigit) ? sha[..7] : "unknown";
    }

    public static string Stem(Engine engine, CurveType curve) => $"{engine.Name()}_{curve.Name()}";

    public static string MetadataPath(string dir, Engine engine, CurveType curve) => Path.Combine(dir, Stem(engine, curve) + ".json");

    /// <summary>Writes the models and metadata of a trained curve; returns the metadata written.</summary>
    public static PredictionModelMetadata Save(CurveTrainingResult result, string dir, GbmSettings settings)
    {
        var model = result.Model ?? throw new ArgumentException("The curve was not trained.", nameof(result));
        var data = result.Dataset;
        Directory.CreateDirectory(dir);
        var stem = Stem(data.Engine, data.Curve);
        foreach (var old in Directory.EnumerateFiles(dir, stem + ".*"))
            if (old.EndsWith(".json", StringComparison.Ordinal) || old.EndsWith(GbmRegressor.Extension, StringComparison.Ordinal)
                || old.EndsWith(GbmRegressor.LegacyExtension, StringComparison.Ordinal)) File.Delete(old);

        var targets = new Dictionary<string, TargetMetadata>(StringComparer.Ordinal);
        foreach (var r in result.Targets)
        {
            var tm = model.Targets[r.Target];
            var files = new List<string>();
            var sums = new List<string>();
            if (tm.Shared is { } s)
            {
                var name = $"{stem}.{r.Target.Name()}{GbmRegressor.Extension}";
                s.Save(Path.Combine(dir, name));
                files.Add(name);
                sums.Add(Sha256Of(Path.Combine(dir, name)));
            }
            else
            {
                foreach (var pos in model.Positions)
                {
                    var name = string.Create(CultureInfo.InvariantCulture, $"{stem}.{r.Target.Name()}.{pos}{GbmRegressor.Extension}");
                    tm.PerPoint![pos].Save(Path.Combine(dir, name));
                    files.Add(name);
                    sums.Add(Sha256Of(Path.Combine(dir, name)));
                }
            }
            targets[r.Target.Name()] = new TargetMetadata
            {
                Structure = tm.Structure.Name(),
                Files = files,
                Sha256 = sums,
                Label = r.Target != PredictionTarget.Size ? $"metrics_json.{r.Target.Name()}"
                    : result.Anchor.Name == SizeAnchor.FileSize ? "log(output_size_bytes / original_size_bytes)"
                    : $"log(output_size_bytes / (original_size_bytes * {result.Anchor.Name}))",
                ClampMin = tm.ClampMin,
                ClampMax = tm.ClampMax,
                TrainingGifs = r.TrainingGifs,
                TrainingPoints = r.TrainingPoints,
                Evaluation = new Dictionary<string, AccuracyMetadata?>
                {
                    ["shared"] = AccuracyMetadata.From(r.Shared),
                    ["per_point"] = AccuracyMetadata.From(r.PerPoint),
                    ["baseline"] = AccuracyMetadata.From(r.Baseline),
                },
                Choice = r.Choice,
                EvaluationByContentType = r.ByContentType.ToDictionary(kv => kv.Key, kv => AccuracyMetadata.From(kv.Value)),
                Interval = IntervalMetadata.From(r.Interval, r.Target),
                Calibrated = Calibration(r.Calibrated, r.Target),
                CalibratedSets = r.CalibratedSets.Count == 0 ? null : r.CalibratedSets.Select(c => Calibration(c, r.Target)!).ToList(),
                CalibratedPlans = r.CalibratedPlans.Count == 0 ? null : r.CalibratedPlans.Select(c => Calibration(c, r.Target)!).ToList(),
            };
        }

        var size = result.Targets.First(t => t.Target == PredictionTarget.Size);
        var metadata = new PredictionModelMetadata
        {
            ModelId = Guid.NewGuid().ToString(),
            Engine = data.Engine.Name(),
            CurveType = data.Curve.Name(),
            TrainingDatasetVersion = data.DatasetVersion,
            TrainingSamples = result.TrainGifs,
            ValidationMape = size.ChosenAccuracy?.Overall,
            FeatureImportances = result.FeatureImportances.ToDictionary(kv => kv.Key, kv => kv.Value),
            ModelPath = dir,
            CreatedAt = DateTimeOffset.UtcNow,
            GiflabVersion = GifLabInfo.Version,
            CodeCommit = CodeCommit,
            FeatureNames = data.FeatureNames.ToList(),
            FeatureVersion = data.FeatureVersion,
            PositionName = data.Curve.PositionName(),
            Positions = model.Positions.ToList(),
            EvaluationSplit = result.EvaluationSplit,
            SampleCounts = new Dictionary<string, int>
            {
                ["gifs"] = data.Gifs.Count,
                ["train_split_gifs"] = data.CountGifs(Core.Curves.DatasetSplit.Train),
                ["val_split_gifs"] = data.CountGifs(Core.Curves.DatasetSplit.Val),
                ["test_split_gifs"] = data.CountGifs(Core.Curves.DatasetSplit.Test),
                ["trained_on_gifs"] = result.TrainGifs,
                ["evaluated_on_gifs"] = result.EvalGifs,
            },
            Trainer = "ML.NET 5.0.1 LightGBM regression",
            Hyperparameters = result.Settings ?? settings,
            HyperparameterCrossValidation = result.Tuning?.Candidates.ToDictionary(c => c.Settings.Describe(), c => c.Mape),
            HyperparameterChoice = result.Tuning?.Choice,
            MonotonePostProcessing = MonotoneDescription,
            Targets = targets,
            SplitGrouping = data.SplitGrouping,
            FeatureRanges = result.FeatureRanges.ToDictionary(kv => kv.Key, kv => kv.Value),
            SizeAnchor = result.Anchor.Name,
            PaletteSaturation = result.Saturation?.ToMetadata(),
            SizeAnchorCrossValidation = result.Anchor.CrossValidatedMape.ToDictionary(kv => kv.Key, kv => kv.Value),
            SizeAnchorChoice = result.Anchor.Choice,
        };
        var path = MetadataPath(dir, data.Engine, data.Curve);
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, metadata.ToJson());
        File.Move(tmp, path, overwrite: true);
        return metadata;
    }

    /// <summary>A <see cref="SizeCalibration"/> as stored in the metadata (and in <c>train --format json</c>).</summary>
    internal static CalibrationMetadata? Calibration(SizeCalibration? c, PredictionTarget target) => c is null ? null :
        new CalibrationMetadata(c.Position, AccuracyMetadata.From(c.Accuracy)!, IntervalMetadata.From(c.Interval, target))
        {
            MeasuredPositions = c.Positions.Count > 1 ? c.Positions.ToList() : null,
            PositionCrossValidation = c.CrossValidatedMape?.ToDictionary(kv => kv.Key.ToString(CultureInfo.InvariantCulture), kv => kv.Value)
                ?? c.CrossValidatedSetMape?.ToDictionary(kv => kv.Key, kv => kv.Value),
            PositionChoice = c.Choice,
            Plan = c.Plan,
            PlanPoints = c.Plan is null ? null : c.PlanPoints,
            MeanMeasuredPoints = c.MeanMeasuredPoints,
        };

    /// <summary>SHA-256 of a file, lower-case hex.</summary>
    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
    }

    /// <summary>
    /// The path of a model file named in metadata: only a plain file name inside the models folder is accepted (no
    /// folder part, no <c>..</c>, not absolute, not a link leading out of the folder).
    /// </summary>
    /// <exception cref="ModelUnavailableException">The name would leave the models folder.</exception>
    public static string ResolveModelFile(string dir, string metadataPath, string name)
    {
        var folder = Path.GetFullPath(dir);
        var bad = string.IsNullOrWhiteSpace(name) || name is "." or ".." || Path.IsPathRooted(name)
                  || name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal);
        var full = bad ? null : Path.GetFullPath(Path.Combine(folder, name));
        if (full is null || !string.Equals(Path.GetDirectoryName(full), folder.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal))
            throw new ModelUnavailableException($"{metadataPath} names the model file '{name}', which is not a plain file name inside the models folder {folder}; refused. Retrain with `giflab train`.");
        if (File.Exists(full) && new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true) is { } target
            && !string.Equals(Path.GetDirectoryName(target.FullName), folder.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal))
            throw new ModelUnavailableException($"{metadataPath}: model file '{name}' is a link to {target.FullName}, outside the models folder {folder}; refused.");
        return full;
    }

    /// <summary>Reads and checks one metadata file against the inputs the running code provides.</summary>
    /// <exception cref="ModelUnavailableException">Unreadable, another schema, or incompatible inputs.</exception>
    public static PredictionModelMetadata ReadCompatible(string path, IReadOnlyList<string> featureNames, string featureVersion)
    {
        PredictionModelMetadata metadata;
        try
        {
            metadata = PredictionModelMetadata.FromJson(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            throw new ModelUnavailableException($"model metadata {path} cannot be read: {e.Message}", null, e);
        }
        if (metadata.SchemaVersion != PredictionModelMetadata.CurrentSchemaVersion)
            throw new ModelUnavailableException($"model metadata {path} has schema {metadata.SchemaVersion}; this GifLab reads {PredictionModelMetadata.CurrentSchemaVersion}. Retrain with `giflab train`.");
        var differences = new List<string>();
        if (!string.Equals(metadata.FeatureVersion, featureVersion, StringComparison.Ordinal))
            differences.Add($"feature version: models trained on {metadata.FeatureVersion ?? "(none)"}, this GifLab extracts {featureVersion}");
        differences.AddRange(ModelInputs.Differences(featureNames, metadata.FeatureNames ?? []));
        if (differences.Count > 0)
            throw new ModelUnavailableException(
                $"models {path} were trained with other inputs than this GifLab provides; retrain with `giflab train` (after `giflab run --upgrade`).",
                differences);
        return metadata;
    }
}
