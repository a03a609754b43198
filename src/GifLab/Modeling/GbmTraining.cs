using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace GifLab.Modeling;

/// <summary>
/// The ML.NET side of <see cref="GbmRegressor"/>: LightGBM training, conversion of the trained ensemble to
/// <see cref="GbmTrees"/>, and loading of ML.NET model zips written before GifLab's tree format. Kept apart so that
/// prediction, which only reads tree files, never loads an ML.NET assembly.
/// </summary>
internal static class GbmTraining
{
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
    public static GbmRegressor Train(MLContext ml, IReadOnlyList<float[]> features, IReadOnlyList<float> labels, GbmSettings settings) =>
        FromTransformer(TrainTransformer(ml, features, labels, settings), features[0].Length);

    /// <summary>The ML.NET model itself (tests compare its scores with <see cref="GbmTrees"/>').</summary>
    internal static ITransformer TrainTransformer(MLContext ml, IReadOnlyList<float[]> features, IReadOnlyList<float> labels, GbmSettings settings)
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
        return trainer.Fit(data);
    }

    /// <summary>ML.NET's own score for a row of an ML.NET model (tests only: the reference <see cref="GbmTrees"/> must equal).</summary>
    internal static Func<float[], float> MlNetScorer(MLContext ml, ITransformer model, int width)
    {
        var engine = ml.Model.CreatePredictionEngine<Row, ScoreRow>(model, inputSchemaDefinition: Schema(width));
        var row = new Row { Features = new float[width] };
        return x =>
        {
            x.CopyTo(row.Features, 0);
            return engine.Predict(row).Score;
        };
    }

    private static GbmRegressor FromTransformer(ITransformer model, int width)
    {
        if (model is not ISingleFeaturePredictionTransformer<object> { Model: TreeEnsembleModelParametersBasedOnRegressionTree p })
            throw new InvalidDataException($"not a tree-ensemble model ({model.GetType().Name})");
        var weights = new double[width];
        var buffer = default(VBuffer<float>);
        p.GetFeatureWeights(ref buffer);
        var dense = buffer.DenseValues().ToArray();
        for (var i = 0; i < Math.Min(width, dense.Length); i++) weights[i] = dense[i];
        var sum = weights.Sum();
        if (sum > 0) for (var i = 0; i < weights.Length; i++) weights[i] /= sum;
        return new GbmRegressor(TreesOf(p, width), weights);
    }

    /// <summary>An ML.NET model zip (model folders written before the tree format), converted to trees.</summary>
    public static GbmRegressor LoadLegacy(string path, int width) => FromTransformer(new MLContext(seed: 0).Model.Load(path, out _), width);

    /// <summary>
    /// The trees of a trained ML.NET LightGBM / FastTree ensemble. The default values for missing inputs are not in
    /// ML.NET's public tree API, so they are read from its internal tree by reflection; anything unexpected (a categorical
    /// split, a missing member) throws rather than giving a model that scores differently.
    /// </summary>
    internal static GbmTrees TreesOf(TreeEnsembleModelParametersBasedOnRegressionTree parameters, int width)
    {
        var ensemble = parameters.TrainedTreeEnsemble;
        var trees = new GbmTrees.Tree[ensemble.Trees.Count];
        for (var i = 0; i < trees.Length; i++)
        {
            var t = ensemble.Trees[i];
            if (t.CategoricalSplitFlags.Any(f => f))
                throw new NotSupportedException("categorical splits are not supported by GbmTrees");
            var n = t.NumberOfNodes;
            var defaults = MissingDefaults(t);
            if (defaults is not null && defaults.Length != n)
                throw new InvalidOperationException($"tree {i}: {defaults.Length} missing-value defaults for {n} nodes");
            trees[i] = new GbmTrees.Tree(ensemble.TreeWeights[i], [.. t.LeftChild], [.. t.RightChild], [.. t.NumericalSplitFeatureIndexes],
                                [.. t.NumericalSplitThresholds], defaults, [.. t.LeafValues]);
        }
        return new GbmTrees(width, ensemble.Bias, trees);
    }

    private static float[]? MissingDefaults(object publicTree)
    {
        const BindingFlags all = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        object? inner = null;
        for (var type = publicTree.GetType(); type is not null && inner is null; type = type.BaseType)
        {
            foreach (var f in type.GetFields(all | BindingFlags.DeclaredOnly))
                if (f.FieldType.Name == "InternalRegressionTree") { inner = f.GetValue(publicTree); break; }
            if (inner is null)
                foreach (var p in type.GetProperties(all | BindingFlags.DeclaredOnly))
                    if (p.PropertyType.Name == "InternalRegressionTree") { inner = p.GetValue(publicTree); break; }
        }
        if (inner is null) throw new InvalidOperationException("ML.NET's regression tree has no InternalRegressionTree member (another ML.NET version?)");
        var it = inner.GetType();
        object? value = it.GetField("DefaultValueForMissing", all) is { } field ? field.GetValue(inner)
            : it.GetProperty("DefaultValueForMissing", all) is { } prop ? prop.GetValue(inner)
            : throw new InvalidOperationException("ML.NET's InternalRegressionTree has no DefaultValueForMissing (another ML.NET version?)");
        return value is float[] d ? [.. d] : null;
    }

}
