using GifLab.Core.Curves;
using GifLab.Core.Model;
using GifLab.Modeling;

namespace GifLab.Tests.Modeling;

/// <summary>One synthetic database and one training run shared by the modelling tests (training is the slow part).</summary>
public sealed class TrainedSyntheticModels : IDisposable
{
    public const int Gifs = 160;

    /// <summary>Smaller than the defaults so the suite stays fast; accuracy bounds in the tests hold for these settings.</summary>
    public static GbmSettings TestSettings { get; } = new(Iterations: 100, LearningRate: 0.1);

    public TrainedSyntheticModels()
    {
        Dir = new TempDir();
        DbPath = SyntheticCurveDb.CreateAsync(Dir.File("synthetic.db"), Gifs).GetAwaiter().GetResult();
        ModelsDir = Dir.File("models");
        // To try `giflab train` by hand on the same data: GIFLAB_WRITE_SYNTHETIC_DB=/tmp/synthetic.db dotnet test --filter Modeling
        if (Environment.GetEnvironmentVariable("GIFLAB_WRITE_SYNTHETIC_DB") is { Length: > 0 } copyTo)
            File.Copy(DbPath, copyTo, overwrite: true);
        var log = new StringWriter();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        Report = ModelTraining.RunAsync(new TrainOptions(DbPath, ModelsDir, Engine.Gifsicle, MinGifs: 10, Settings: TestSettings), log, CancellationToken.None)
            .GetAwaiter().GetResult();
        TrainSeconds = sw.Elapsed.TotalSeconds;
        Log = log.ToString();
    }

    public TempDir Dir { get; }
    public string DbPath { get; }
    public string ModelsDir { get; }
    public TrainingReport Report { get; }
    public string Log { get; }
    public double TrainSeconds { get; }

    public CurveTrainingResult Result(CurveType curve) => Report.Trained.Single(r => r.Dataset.Curve == curve);

    public void Dispose() => Dir.Dispose();
}
