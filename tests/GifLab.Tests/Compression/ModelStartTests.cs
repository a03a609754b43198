using GifLab.Compression;
using GifLab.Core.Model;
using GifLab.Tests.Modeling;

namespace GifLab.Tests.Compression;

/// <summary>The search starts from the predictor when models cover the GIF (gifsicle models trained on synthetic curves).</summary>
public sealed class ModelStartTests(TrainedSyntheticModels models, CompressorFixture fx)
    : IClassFixture<TrainedSyntheticModels>, IClassFixture<CompressorFixture>
{
    [Fact]
    public async Task WithModels_StartsFromThePrediction_WithoutModels_Coarse()
    {
        if (!fx.Compressor.IsAvailable(Engine.Gifsicle)) return;
        using var dir = new TempDir();
        var input = Path.Combine(Engines.TestEnvironment.RepoRoot, "samples", "waves.gif");
        var floor = QualityFloor.Create("composite_score", 0.9);
        var withModels = await fx.Compressor.CompressToQualityAsync(input, dir.File("a.gif"),
            new FloorOptions(floor) { Engines = [Engine.Gifsicle], ModelsDirectory = models.ModelsDir, MaxTries = 3, RequireTrainingRange = false });
        var outOfRange = await fx.Compressor.CompressToQualityAsync(input, dir.File("c.gif"),
            new FloorOptions(floor) { Engines = [Engine.Gifsicle], ModelsDirectory = models.ModelsDir, MaxTries = 1 });
        var without = await fx.Compressor.CompressToQualityAsync(input, dir.File("b.gif"),
            new FloorOptions(floor) { Engines = [Engine.Gifsicle], ModelsDirectory = dir.File("no-models"), MaxTries = 3 });
        Assert.Equal("model", withModels.StartedFrom);
        Assert.Equal("coarse", without.StartedFrom);
        Assert.Equal("coarse", outOfRange.StartedFrom); // waves.gif lies outside the synthetic training range
        Assert.Equal(QualitySearch.CoarseStartLevel, without.Attempts[0].Setting.LossyLevel);
    }
}
