namespace GifLab.Modeling;

/// <summary>Hyper-parameters of every LightGBM regressor (recorded in the model metadata).</summary>
/// <param name="MinExamplesPerLeaf">Upper bound; small training sets use max(2, rows ÷ 10) so a few GIFs can still split.</param>
public sealed record GbmSettings(int Iterations = 200, double LearningRate = 0.05, int Leaves = 15, int MinExamplesPerLeaf = 20, int Seed = 42)
{
    public static GbmSettings Default { get; } = new();

    public int MinExamplesFor(int rows) => Math.Clamp(rows / 10, 2, MinExamplesPerLeaf);

    /// <summary>A short text of the settings, e.g. for the <c>--tune</c> figures: <c>iterations=200 learning_rate=0.05 leaves=15 min_examples_per_leaf=20</c>.</summary>
    public string Describe() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"iterations={Iterations} learning_rate={LearningRate} leaves={Leaves} min_examples_per_leaf={MinExamplesPerLeaf}");
}

/// <summary>
/// A LightGBM regressor over a dense float row: trained by ML.NET (<see cref="GbmTraining"/>), then held and evaluated
/// as <see cref="GbmTrees"/> (same score; this class touches no ML.NET type, so prediction loads no ML.NET assembly).
/// Missing inputs are NaN: LightGBM's missing-value handling
/// (<c>HandleMissingValue = true</c>, zero is not treated as missing) learns which side of each split they go to.
/// </summary>
internal sealed class GbmRegressor
{
    /// <summary>The model file extension: GifLab's tree format. Older model folders hold ML.NET zips (<see cref="LegacyExtension"/>).</summary>
    public const string Extension = ".gbm";

    public const string LegacyExtension = ".zip";

    private readonly GbmTrees _trees;
    private readonly double[] _importances;

    internal GbmRegressor(GbmTrees trees, double[] importances)
    {
        _trees = trees;
        _importances = importances;
    }

    public int Width => _trees.Width;

    internal GbmTrees Trees => _trees;

    /// <summary>
    /// Loads a model file: GifLab's tree format (<see cref="Extension"/>, no ML.NET involved) or, for model folders written
    /// before it, an ML.NET zip (<see cref="LegacyExtension"/>), converted to trees on load.
    /// </summary>
    public static GbmRegressor Load(string path, int width)
    {
        if (path.EndsWith(LegacyExtension, StringComparison.OrdinalIgnoreCase))
        {
            // ML.NET needs run-time code generation: in the ahead-of-time compiled giflab-native this branch is trimmed
            // away (IsDynamicCodeSupported is a trimming feature guard), and such old folders load in the CLI only.
            if (!System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported)
                throw new ModelUnavailableException($"'{path}' is an ML.NET model of an older GifLab; this ahead-of-time compiled build reads only {Extension} files. Run the JIT-compiled CLI (GIFLAB_NATIVE=0 ./giflab predict …) or retrain with `giflab train`.", []);
            return GbmTraining.LoadLegacy(path, width);
        }
        using var stream = File.OpenRead(path);
        return new GbmRegressor(GbmTrees.Read(stream, width), new double[width]);
    }

    /// <summary>Writes the trees (<see cref="Extension"/> format) to <paramref name="path"/>.</summary>
    public void Save(string path)
    {
        using var stream = File.Create(path);
        _trees.Write(stream);
    }

    /// <summary>Predicts one row (thread-safe: the trees are read-only).</summary>
    public double Predict(ReadOnlySpan<float> features)
    {
        if (features.Length != Width) throw new ArgumentException($"Expected {Width} inputs, got {features.Length}.", nameof(features));
        return _trees.Predict(features);
    }

    /// <summary>Gain-based importance per input, normalised to sum 1 (all zero when the model made no split, or for a loaded model).</summary>
    public double[] Importances() => (double[])_importances.Clone();
}
