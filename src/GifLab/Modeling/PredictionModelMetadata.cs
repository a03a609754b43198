using GifLab.Core.Curves;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GifLab.Modeling;

/// <summary>
/// Metadata written next to the model files of one (engine, curve type): the reference's PredictionModelMetadataV1 fields
/// (schemas-and-storage.md §3) followed by GifLab extensions. Deviations from V1, on purpose:
/// <c>training_dataset_version</c> is computed from the data (<c>1.0.0+&lt;content hash&gt;</c>) instead of a constant;
/// <c>validation_mape</c> holds the held-out size MAPE of the chosen structure and is null (not 0.0) when no held-out GIF
/// exists; <c>training_samples</c> counts training GIFs (a GIF with missing points is still used for the points it has).
/// </summary>
public sealed record PredictionModelMetadata
{
    public const string CurrentSchemaVersion = "1.0.0";

    public string SchemaVersion { get; init; } = CurrentSchemaVersion;
    public required string ModelId { get; init; }
    public string ModelVersion { get; init; } = "1.0.0";
    public required string Engine { get; init; }
    public required string CurveType { get; init; }
    public required string TrainingDatasetVersion { get; init; }
    public required int TrainingSamples { get; init; }
    public double? ValidationMape { get; init; }
    public required Dictionary<string, double> FeatureImportances { get; init; }
    public required string ModelPath { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required string GiflabVersion { get; init; }
    public required string CodeCommit { get; init; }

    // GifLab extensions.
    /// <summary>Model inputs in the order the models were trained with; prediction refuses any other list.</summary>
    public required List<string> FeatureNames { get; init; }
    /// <summary><c>gifs.feature_version</c> of the training GIFs; prediction refuses another extractor version.</summary>
    public required string? FeatureVersion { get; init; }
    /// <summary>Name of the extra input of shared models (<c>lossy_level</c> / <c>color_count</c>).</summary>
    public required string PositionName { get; init; }
    /// <summary>Curve positions in compression order.</summary>
    public required List<int> Positions { get; init; }
    /// <summary><c>test</c>, <c>val</c> (test split empty) or <c>none</c>.</summary>
    public required string EvaluationSplit { get; init; }
    /// <summary>GIFs of this curve per split (train/val/test) and how many trained / evaluated.</summary>
    public required Dictionary<string, int> SampleCounts { get; init; }
    public required string Trainer { get; init; }
    public required GbmSettings Hyperparameters { get; init; }

    /// <summary><c>train --tune</c>: size MAPE % of each candidate setting (keys: <see cref="GbmSettings.Describe"/>) in the grouped cross-validation that chose <see cref="Hyperparameters"/>; null without <c>--tune</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, double>? HyperparameterCrossValidation { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? HyperparameterChoice { get; init; }
    public required string MonotonePostProcessing { get; init; }
    public required Dictionary<string, TargetMetadata> Targets { get; init; }
    /// <summary>How the held-out split was assigned: <c>gif</c> (each GIF's SHA) or by group, e.g. source package.</summary>
    public string SplitGrouping { get; init; } = "gif";
    /// <summary>Per model input, [min, max] over the training GIFs; <c>predict</c> warns when a GIF lies outside.</summary>
    public Dictionary<string, double[]>? FeatureRanges { get; init; }
    /// <summary>
    /// What the size target is relative to (<see cref="Modeling.SizeAnchor"/>): <c>file_size_bytes</c>, or a model input
    /// holding a ratio to the file size (size = log(output ÷ (file size × that input))). Null in metadata written before
    /// anchors existed, read as <c>file_size_bytes</c>.
    /// </summary>
    public string? SizeAnchor { get; init; }
    /// <summary>
    /// Positions whose outputs a GIF's palette makes identical (<see cref="Modeling.PaletteSaturation"/>): the input, each
    /// position's palette size and how often the training GIFs agreed. Absent when none take part or in older metadata.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PaletteSaturationMetadata? PaletteSaturation { get; init; }
    /// <summary>Size MAPE % of each candidate anchor in the grouped cross-validation on the training GIFs.</summary>
    public Dictionary<string, double>? SizeAnchorCrossValidation { get; init; }
    public string? SizeAnchorChoice { get; init; }

    /// <summary><see cref="SizeAnchor"/>, or <c>file_size_bytes</c> when absent.</summary>
    [JsonIgnore]
    public string SizeAnchorOrDefault => SizeAnchor ?? Modeling.SizeAnchor.FileSize;

    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>
    /// <see cref="JsonOptions"/> with source-generated metadata for this record: the reflection-based serializer spent
    /// ~0.1–0.2 s of `giflab predict` building its accessors on first use (issue #15: the whole process within 1 s).
    /// Same names and options, same bytes (<c>ShippedModelsTests</c> round-trips the shipped metadata). Held as the typed
    /// metadata, not the options, so no reflection path is reachable and the ahead-of-time compiled giflab-native reads
    /// models as the CLI does.
    /// </summary>
    private static readonly System.Text.Json.Serialization.Metadata.JsonTypeInfo<PredictionModelMetadata> SourceGenerated =
        (System.Text.Json.Serialization.Metadata.JsonTypeInfo<PredictionModelMetadata>)
        new JsonSerializerOptions(JsonOptions) { TypeInfoResolver = ModelMetadataJsonContext.Default }.GetTypeInfo(typeof(PredictionModelMetadata));

    public string ToJson() => JsonSerializer.Serialize(this, SourceGenerated);

    /// <exception cref="JsonException">Not a metadata document.</exception>
    public static PredictionModelMetadata FromJson(string json) =>
        JsonSerializer.Deserialize(json, SourceGenerated) ?? throw new JsonException("empty metadata document");
}

/// <summary>One target's models and held-out accuracy.</summary>
public sealed record TargetMetadata
{
    /// <summary><c>shared</c> or <c>per_point</c>.</summary>
    public required string Structure { get; init; }
    /// <summary>Model file names relative to the metadata file: one (shared) or one per position, in <c>positions</c> order.</summary>
    public required List<string> Files { get; init; }
    /// <summary>
    /// SHA-256 (lower-case hex) of each file in <see cref="Files"/>, same order; checked on load, so a swapped or damaged
    /// model file is refused. Null in metadata written before checksums existed (loaded with a warning: retrain).
    /// </summary>
    public List<string>? Sha256 { get; init; }
    public required string Label { get; init; }
    public double? ClampMin { get; init; }
    public double? ClampMax { get; init; }
    public required int TrainingGifs { get; init; }
    public required int TrainingPoints { get; init; }
    /// <summary>Held-out accuracy of each candidate: <c>shared</c>, <c>per_point</c> and the per-position-mean <c>baseline</c>.</summary>
    public required Dictionary<string, AccuracyMetadata?> Evaluation { get; init; }
    public required string Choice { get; init; }
    /// <summary>Held-out accuracy of the kept structure per content type.</summary>
    public Dictionary<string, AccuracyMetadata?>? EvaluationByContentType { get; init; }
    /// <summary>Empirical prediction interval from the held-out residuals (null when nothing was held out).</summary>
    public IntervalMetadata? Interval { get; init; }
    /// <summary>
    /// Size only: held-out accuracy and interval when the curve is calibrated by one measured run at <see cref="CalibrationMetadata.Position"/>
    /// (<see cref="SizeCalibration"/>); null for quality targets and in metadata written before calibration existed.
    /// </summary>
    public CalibrationMetadata? Calibrated { get; init; }

    /// <summary>
    /// Size only: the same with several measured runs (<see cref="CalibrationMetadata.MeasuredPositions"/>): the best set of
    /// 2, then of 3, points chosen by the training cross-validation; absent in metadata written before multi-point
    /// calibration existed (one point is used).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<CalibrationMetadata>? CalibratedSets { get; init; }

    /// <summary>
    /// Size only, where the curve has <see cref="PredictionModelMetadata.PaletteSaturation"/>: per-GIF plans of k runs
    /// (<see cref="CalibrationMetadata.Plan"/>, <see cref="SizeCalibration.BlockPlan"/>) that beat the fixed set of k in
    /// the training cross-validation; <c>predict</c> uses such a plan instead of that set. Absent otherwise.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<CalibrationMetadata>? CalibratedPlans { get; init; }
}

/// <summary>A stored <see cref="SizeCalibration"/>: the measured position, the calibrated held-out accuracy (over the other positions) and interval.</summary>
public sealed record CalibrationMetadata(int Position, AccuracyMetadata Evaluation, IntervalMetadata? Interval)
{
    /// <summary>Every measured position of a calibration by several points, in compression order (<see cref="Position"/> first); null for one point.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<int>? MeasuredPositions { get; init; }

    /// <summary>The measured positions: <see cref="MeasuredPositions"/>, or <see cref="Position"/> alone.</summary>
    [JsonIgnore]
    public IReadOnlyList<int> Positions => MeasuredPositions ?? [Position];

    /// <summary>Calibrated size MAPE % per candidate position (keys: positions as text; sets of several as <c>10,70</c>) in the training cross-validation that chose <see cref="Position"/>; null in older metadata (the first position was always used).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, double>? PositionCrossValidation { get; init; }

    /// <summary>Why <see cref="Position"/> was chosen.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PositionChoice { get; init; }

    /// <summary>A per-GIF plan (<c>palette_block</c>) instead of fixed positions; <see cref="Position"/> is then −1.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Plan { get; init; }

    /// <summary>Most runs of the <see cref="Plan"/>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? PlanPoints { get; init; }

    /// <summary>Mean runs the <see cref="Plan"/> measured per held-out GIF.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? MeanMeasuredPoints { get; init; }
}

/// <summary>A stored <see cref="PredictionInterval"/>: residual quantiles per position (keys are positions as text).</summary>
public sealed record IntervalMetadata(double Coverage, int Residuals, string Residual, Dictionary<string, double> Lower, Dictionary<string, double> Upper)
{
    public static IntervalMetadata? From(PredictionInterval? i, PredictionTarget target) => i is null ? null :
        new(i.Coverage, i.Residuals,
            target == PredictionTarget.Size ? "log(actual bytes) - log(predicted bytes)" : "actual - predicted",
            i.Lower.ToDictionary(kv => kv.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), kv => kv.Value),
            i.Upper.ToDictionary(kv => kv.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), kv => kv.Value));

    public PredictionInterval ToInterval() => new(Coverage,
        Lower.ToDictionary(kv => int.Parse(kv.Key, System.Globalization.CultureInfo.InvariantCulture), kv => kv.Value),
        Upper.ToDictionary(kv => int.Parse(kv.Key, System.Globalization.CultureInfo.InvariantCulture), kv => kv.Value), Residuals);
}

public sealed record AccuracyMetadata(string Metric, int Gifs, int Points, double Overall, Dictionary<string, double> PerPoint,
                                      double? WithinThresholdShare, double? ThresholdPercent)
{
    /// <summary>Share of GIFs whose every point is within 15 % (size only; the goal threshold on both curves).</summary>
    public double? Within15PercentShare { get; init; }

    public static AccuracyMetadata? From(CurveAccuracy? a) => a is null ? null :
        new(a.Metric, a.Gifs, a.Points, a.Overall,
            a.PerPoint.ToDictionary(kv => kv.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), kv => kv.Value),
            a.WithinShare, a.ThresholdPercent)
        {
            Within15PercentShare = a.Within15Share,
        };
}

/// <summary>Compile-time JSON metadata for <see cref="PredictionModelMetadata"/> (see <see cref="PredictionModelMetadata.JsonOptions"/>).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true,
                             NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(PredictionModelMetadata))]
internal sealed partial class ModelMetadataJsonContext : JsonSerializerContext;
