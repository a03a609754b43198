using GifLab.Core.Curves;
using GifLab.Core.Features;
using GifLab.Modeling;
using GifLab.Storage.Sqlite;

namespace GifLab.Cli.Tests;

/// <summary>Exit codes of <c>giflab train</c> and <c>giflab predict</c> (no model is trained here).</summary>
public sealed class TrainPredictCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "giflab-cli-test-" + Guid.NewGuid().ToString("N")[..12]);

    public TrainPredictCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private static Task<int> Invoke(params string[] args) => Program.BuildRoot().Parse(args).InvokeAsync();

    private string Gif()
    {
        var path = Path.Combine(_dir, "a.gif");
        File.WriteAllBytes(path, "GIF89a"u8.ToArray());
        return path;
    }

    [Fact]
    public async Task Train_MissingDatabase_IsStorageUnavailable() =>
        Assert.Equal(ExitCodes.StorageUnavailable, await Invoke("train", "--db", Path.Combine(_dir, "none.db"), "--out", Path.Combine(_dir, "m")));

    [Fact]
    public async Task Train_DatabaseWithoutRuns_IsInputError()
    {
        var db = Path.Combine(_dir, "empty.db");
        await using (var store = new SqliteResultStore(db))
            await store.InitializeAsync(CancellationToken.None);
        Assert.Equal(ExitCodes.InputError, await Invoke("train", "--db", db, "--out", Path.Combine(_dir, "m")));
        Assert.False(Directory.Exists(Path.Combine(_dir, "m")));
    }

    [Fact]
    public async Task Train_BadOptions_AreUsageErrors()
    {
        Assert.Equal(ExitCodes.Usage, await Invoke("train", "--engine", "nope", "--db", Path.Combine(_dir, "x.db")));
        Assert.Equal(ExitCodes.Usage, await Invoke("train", "--min-gifs", "0", "--db", Path.Combine(_dir, "x.db")));
        // --tune is a flag the train command accepts (the tuning itself: SizeAnchorTests.Tune_…).
        Assert.Equal(ExitCodes.StorageUnavailable, await Invoke("train", "--tune", "--db", Path.Combine(_dir, "none.db"), "--out", Path.Combine(_dir, "m")));
    }

    [Fact]
    public async Task Predict_MissingModels_IsToolMissing()
    {
        Assert.Equal(ExitCodes.ToolMissing, await Invoke("predict", Gif(), "--models", Path.Combine(_dir, "no-models")));
        Directory.CreateDirectory(Path.Combine(_dir, "empty-models"));
        Assert.Equal(ExitCodes.ToolMissing, await Invoke("predict", Gif(), "--models", Path.Combine(_dir, "empty-models")));
    }

    [Fact]
    public async Task Predict_ModelsOfAnotherFeatureList_AreRefused()
    {
        var models = Path.Combine(_dir, "models");
        Directory.CreateDirectory(models);
        var names = ModelInputs.Names.Reverse().ToList();
        var metadata = new PredictionModelMetadata
        {
            ModelId = Guid.NewGuid().ToString(), Engine = "gifsicle", CurveType = "lossy", TrainingDatasetVersion = "1.0.0+abc",
            TrainingSamples = 1, FeatureImportances = [], ModelPath = models, CreatedAt = DateTimeOffset.UtcNow, GiflabVersion = "0.1.0",
            CodeCommit = "unknown", FeatureNames = names, FeatureVersion = FeatureExtractor.Version, PositionName = "lossy_level",
            Positions = [0, 10], EvaluationSplit = "none", SampleCounts = [], Trainer = "x", Hyperparameters = GbmSettings.Default,
            MonotonePostProcessing = "x", Targets = [],
        };
        await File.WriteAllTextAsync(Path.Combine(models, "gifsicle_lossy.json"), metadata.ToJson());
        Assert.Equal(ExitCodes.ToolMissing, await Invoke("predict", Gif(), "--models", models));
    }

    /// <summary>Metadata that matches this GifLab's inputs, with one shared size model file named <paramref name="file"/>.</summary>
    private string ModelsWithFile(string file, List<string>? sha256)
    {
        var models = Path.Combine(_dir, "models-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(models);
        var metadata = new PredictionModelMetadata
        {
            ModelId = Guid.NewGuid().ToString(), Engine = "gifsicle", CurveType = "lossy", TrainingDatasetVersion = "1.0.0+abc",
            TrainingSamples = 1, FeatureImportances = [], ModelPath = models, CreatedAt = DateTimeOffset.UtcNow, GiflabVersion = "0.1.0",
            CodeCommit = "unknown", FeatureNames = [.. ModelInputs.Names], FeatureVersion = FeatureExtractor.Version, PositionName = "lossy_level",
            Positions = [0, 10], EvaluationSplit = "none", SampleCounts = [], Trainer = "x", Hyperparameters = GbmSettings.Default,
            MonotonePostProcessing = "x",
            Targets = new()
            {
                ["size"] = new TargetMetadata
                {
                    Structure = "shared", Files = [file], Sha256 = sha256, Label = "x", TrainingGifs = 1, TrainingPoints = 2,
                    Evaluation = [], Choice = "shared",
                },
            },
        };
        File.WriteAllText(Path.Combine(models, "gifsicle_lossy.json"), metadata.ToJson());
        return models;
    }

    private static async Task<(int Code, string Stderr)> InvokeCapturingStderr(params string[] args)
    {
        var original = Console.Error;
        var err = new StringWriter();
        Console.SetError(err);
        try { return (await Invoke(args), err.ToString()); }
        finally { Console.SetError(original); }
    }

    [Theory]
    [InlineData("../../../../../../etc/passwd")]
    [InlineData("/etc/passwd")]
    public async Task Predict_ModelFileNamedOutsideTheFolder_IsRefused(string name)
    {
        var (code, stderr) = await InvokeCapturingStderr("predict", Gif(), "--models", ModelsWithFile(name, null));
        Assert.Equal(ExitCodes.ToolMissing, code);
        Assert.Contains("not a plain file name inside the models folder", stderr);
    }

    [Theory]
    [InlineData("gifsicle_lossy.size.gbm")]
    [InlineData("gifsicle_lossy.size.zip")] // a model folder written before GifLab's tree format
    public async Task Predict_RandomBytesInAModelFile_IsToolMissing_NoStackTrace(string name)
    {
        var models = ModelsWithFile(name, null);
        File.WriteAllBytes(Path.Combine(models, name), [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 37 + 11))]);
        var (code, stderr) = await InvokeCapturingStderr("predict", Gif(), "--models", models);
        Assert.Equal(ExitCodes.ToolMissing, code);
        Assert.Contains("cannot be loaded", stderr);
        Assert.DoesNotContain("   at ", stderr);

        var sum = GifLab.Modeling.ModelFiles.Sha256Of(Path.Combine(models, name));
        var checkedModels = ModelsWithFile(name, [new string('0', 64)]);
        File.Copy(Path.Combine(models, name), Path.Combine(checkedModels, name));
        (code, stderr) = await InvokeCapturingStderr("predict", Gif(), "--models", checkedModels);
        Assert.Equal(ExitCodes.ToolMissing, code);
        Assert.Contains($"sha256 {sum}", stderr);
    }

    [Fact]
    public async Task Predict_QualityOutsideZeroToOne_IsUsageError() =>
        Assert.Equal(ExitCodes.Usage, await Invoke("predict", Gif(), "--min-quality", "1.5"));

    [Fact]
    public async Task Predict_MissingFile_IsInputError() =>
        Assert.Equal(ExitCodes.InputError, await Invoke("predict", Path.Combine(_dir, "absent.gif")));

    [Fact]
    public void Predict_ParsesItsOptions()
    {
        var result = Program.BuildRoot().Parse(["predict", "x.gif", "--engine", "gifsicle", "--models", "m", "--format", "json", "--min-quality", "0.8"]);
        Assert.Empty(result.Errors);
        Assert.NotEmpty(Program.BuildRoot().Parse(["predict", "x.gif", "--format", "xml"]).Errors);
    }
}

public class PredictOutputTests
{
    [Fact]
    public void Json_HasCurvesPointsAndRecommendation()
    {
        var curve = new GifLab.Modeling.CurvePrediction(GifLab.Core.Model.Engine.Gifsicle, CurveType.Lossy,
            [new PredictedPoint(0, 1000, 2.0, 0.99, 0.98), new PredictedPoint(10, 800, 2.5, 0.95, null)],
            new Dictionary<PredictionTarget, ModelStructure> { [PredictionTarget.Size] = ModelStructure.Shared }, 3.5, "test");
        var best = CurvePredictor.Recommend([curve], 0.9);
        using var doc = System.Text.Json.JsonDocument.Parse(GifLab.Cli.Commands.PredictCommand.ToJson("a.gif", 2000, [curve], best));
        var root = doc.RootElement;
        Assert.Equal(2000, root.GetProperty("original_size_bytes").GetInt64());
        var c = root.GetProperty("curves")[0];
        Assert.Equal("gifsicle", c.GetProperty("engine").GetString());
        Assert.Equal("lossy", c.GetProperty("curve_type").GetString());
        Assert.Equal("shared", c.GetProperty("structures").GetProperty("size").GetString());
        Assert.Equal(10, c.GetProperty("points")[1].GetProperty("lossy_level").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, c.GetProperty("points")[1].GetProperty("ssim").ValueKind);
        Assert.Equal(10, root.GetProperty("recommendation").GetProperty("lossy_level").GetInt32());
        Assert.Equal(800, root.GetProperty("recommendation").GetProperty("size_bytes").GetDouble());
    }
}
