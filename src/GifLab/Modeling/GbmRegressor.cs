using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;

namespace GifLab.Modeling;

/// <summary>Hyper-parameters of every LightGBM regressor (recorded in the model metadata).</summary>
/// <param name="MinExamplesPerLeaf">Upper bound; small training sets use max(2, rows ÷ 10) so a few GIFs can still split.</param>
public sealed record GbmSettings(int Iterations = 200, double LearningRate = 0.05, int Leaves = 15, int MinExamplesPerLeaf = 20, int Seed = 42)
{
    public static GbmSettings Default { get; } = new();

    public int MinExamplesFor(int rows) => Math.Clamp(rows / 10, 2, MinExamplesPerLeaf);
}

/// <summary>
/// A LightGBM regressor (ML.NET) over a dense float row. Missing inputs are NaN: LightGBM's missing-value handling
/// (<c>HandleMissingValue = true</c>, zero is not treated as missing) learns which side of each split they go to.
/// </summary>
internal sealed class GbmRegressor
{
    private readonly ITransformer _model;
    private readonly PredictionEngine<Row, ScoreRow> _engine;
    private readonly Row _row;

    private GbmRegressor(ITransformer model, PredictionEngine<Row, ScoreRow> engine, int width)
    {
        _model = model;
        _engine = engine;
        _row = new Row { Features = new float[width] };
        Width = width;
    }

    public int Width { get; }

    internal sealed class Row
    {
        public float Label { get; set; }
        public float[] Features { get; set; } = [];
    }

    internal sealed class ScoreRow
    {
        public float Score { get; set; }
    }

    private static SchemaDefinition Schema(int width)
    {
        var def = SchemaDefinition.Create(typeof(Row));
        def[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        return def;
    }

    /// <summary>Trains on rows of equal width; deterministic for a given seed (LightGBM <c>deterministic = true</c>).</summary>
    public static GbmRegressor Train(MLContext ml, IReadOnlyList<float[]> features, IReadOnlyList<float> labels, GbmSettings settings)
    {
        if (features.Count == 0) throw new ArgumentException("No training rows.", nameof(features));
        var width = features[0].Length;
        var rows = new Row[features.Count];
        for (var i = 0; i < rows.Length; i++) rows[i] = new Row { Label = labels[i], Features = features[i] };
        var schema = Schema(width);
        var data = ml.Data.LoadFromEnumerable(rows, schema);
        var trainer = ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
        {
            LabelColumnName = nameof(Row.Label),
            FeatureColumnName = nameof(Row.Features),
            NumberOfIterations = settings.Iterations,
            LearningRate = settings.LearningRate,
            NumberOfLeaves = settings.Leaves,
            MinimumExampleCountPerLeaf = settings.MinExamplesFor(rows.Length),
            HandleMissingValue = true,
            UseZeroAsMissingValue = false,
            Seed = settings.Seed,
            Deterministic = true,
            // One thread for small sets (thread start-up dominates; the machine is shared); all cores for large ones.
            NumberOfThreads = rows.Length >= 20_000 ? Environment.ProcessorCount : 1,
            Silent = true,
            Verbose = false,
        });
        var model = trainer.Fit(data);
        return new GbmRegressor(model, ml.Model.CreatePredictionEngine<Row, ScoreRow>(model, inputSchemaDefinition: schema), width);
    }

    public static GbmRegressor Load(MLContext ml, string path, int width)
    {
        var model = ml.Model.Load(path, out _);
        return new GbmRegressor(model, ml.Model.CreatePredictionEngine<Row, ScoreRow>(model, inputSchemaDefinition: Schema(width)), width);
    }

    public void Save(MLContext ml, string path)
    {
        var schema = ml.Data.LoadFromEnumerable(Array.Empty<Row>(), Schema(Width)).Schema;
        ml.Model.Save(_model, schema, path);
    }

    /// <summary>Predicts one row (not thread-safe: one predictor per thread).</summary>
    public double Predict(ReadOnlySpan<float> features)
    {
        if (features.Length != Width) throw new ArgumentException($"Expected {Width} inputs, got {features.Length}.", nameof(features));
        features.CopyTo(_row.Features);
        return _engine.Predict(_row).Score;
    }

    /// <summary>Gain-based importance per input (normalised to sum 1; all zero when the model made no split).</summary>
    public double[] Importances()
    {
        var weights = new double[Width];
        if (_model is ISingleFeaturePredictionTransformer<object> { Model: Microsoft.ML.Trainers.FastTree.TreeEnsembleModelParameters p })
        {
            var buffer = default(VBuffer<float>);
            p.GetFeatureWeights(ref buffer);
            var dense = buffer.DenseValues().ToArray();
            for (var i = 0; i < Math.Min(Width, dense.Length); i++) weights[i] = dense[i];
        }
        var sum = weights.Sum();
        if (sum > 0) for (var i = 0; i < weights.Length; i++) weights[i] /= sum;
        return weights;
    }
}
