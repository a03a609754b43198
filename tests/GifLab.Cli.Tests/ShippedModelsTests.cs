using System.Text.Json;
using GifLab.Core.Features;
using GifLab.Modeling;

namespace GifLab.Cli.Tests;

/// <summary>
/// The models shipped in models/ (issue #15): `predict` uses them with no training step and no --models, their
/// predictions are deterministic, and the model card's generated section is exactly what their metadata generates.
/// </summary>
public sealed class ShippedModelsTests
{
    private static string RepoModels => Path.Combine(CliRunner.RepoRoot, ShippedModels.FolderName);

    [Fact]
    public void ShippedModels_ArePresent_AndCopiedBesideTheCli()
    {
        var metadata = Directory.GetFiles(RepoModels, "*.json");
        Assert.NotEmpty(metadata);
        foreach (var f in metadata)
            Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, ShippedModels.FolderName, Path.GetFileName(f))), $"{f} is not copied beside the CLI");
        // Every engine of the default run has a lossy model; models/ stays small enough for the repository.
        foreach (var engine in new[] { "gifsicle", "ffmpeg", "imagemagick", "gifski" })
            Assert.True(File.Exists(Path.Combine(RepoModels, $"{engine}_lossy.json")), $"no shipped {engine} lossy model");
        var bytes = Directory.GetFiles(RepoModels).Sum(f => new FileInfo(f).Length);
        Assert.True(bytes < 20L << 20, $"models/ is {bytes} bytes (limit about 20 MB)");
    }

    [Fact]
    public void ModelCard_GeneratedSection_EqualsTheShippedMetadata()
    {
        var card = File.ReadAllText(Path.Combine(RepoModels, "README.md"));
        var models = ModelCard.ReadAll(RepoModels);
        Assert.Equal(ModelCard.Generate(models), ModelCard.Extract(card));
        // And the metadata agree with this build's inputs (loading checks feature names and version).
        var predictor = CurvePredictor.Load(RepoModels, null, ModelInputs.Names, FeatureExtractor.Version);
        Assert.Equal(models.Count, predictor.Metadata.Count);
        Assert.All(models, m => Assert.Contains("package", m.SplitGrouping));
    }

    [Theory]
    [InlineData("muybridge.gif")]
    [InlineData("waves.gif")]
    public void Predict_WithoutModelsOption_UsesShippedModels_Deterministically(string sample)
    {
        var file = Path.Combine(CliRunner.RepoRoot, "samples", sample);
        var first = CliRunner.Run(CliRunner.RepoRoot, TimeSpan.FromMinutes(2), "predict", file, "--format", "json");
        Assert.True(first.ExitCode == 0, first.Stderr);
        var second = CliRunner.Run(CliRunner.RepoRoot, TimeSpan.FromMinutes(2), "predict", file, "--format", "json");
        Assert.Equal(first.Stdout, second.Stdout);
        using var doc = JsonDocument.Parse(first.Stdout);
        var curves = doc.RootElement.GetProperty("curves").EnumerateArray().ToList();
        Assert.NotEmpty(curves);
        foreach (var c in curves)
        {
            Assert.Contains("package", c.GetProperty("split_grouping").GetString());
            // A model has an interval when it had at least 20 held-out residuals (PredictionInterval.MinResidualsPerPosition).
            var hasInterval = c.GetProperty("interval_coverage").ValueKind == JsonValueKind.Number;
            if (c.GetProperty("engine").GetString() == "gifsicle") Assert.True(hasInterval, "gifsicle models carry intervals");
            if (hasInterval) Assert.Equal(0.8, c.GetProperty("interval_coverage").GetDouble(), 6);
            // The shipped gifsicle models predict relative to the re-encode estimate (chosen by cross-validation, models/README.md).
            var anchor = c.GetProperty("size_anchor").GetString();
            if (c.GetProperty("engine").GetString() == "gifsicle") Assert.Equal(SizeAnchor.ReencodeEstimate, anchor);
            Assert.True(c.GetProperty("size_base_bytes").GetDouble() > 0);
            double previous = double.PositiveInfinity;
            foreach (var p in c.GetProperty("points").EnumerateArray())
            {
                var size = p.GetProperty("size_bytes").GetDouble();
                Assert.True(size > 0 && size <= previous * (1 + 1e-9), "sizes are positive and never grow along the curve");
                previous = size;
                if (!hasInterval) continue;
                var interval = p.GetProperty("size_bytes_interval").EnumerateArray().Select(v => v.GetDouble()).ToArray();
                Assert.True(interval[0] > 0 && interval[0] <= interval[1]);
            }
        }
        // The shipped models predict ssimulacra2, so the floor can be asked in its units (default 70).
        var s2 = CliRunner.Run(CliRunner.RepoRoot, TimeSpan.FromMinutes(2), "predict", file, "--metric", "ssimulacra2", "--format", "json");
        Assert.True(s2.ExitCode == 0, s2.Stderr);
        using (var s2doc = JsonDocument.Parse(s2.Stdout))
        {
            var gifsicle = s2doc.RootElement.GetProperty("curves").EnumerateArray().First(c => c.GetProperty("engine").GetString() == "gifsicle");
            Assert.All(gifsicle.GetProperty("points").EnumerateArray(), p => Assert.Equal(JsonValueKind.Number, p.GetProperty("ssimulacra2").ValueKind));
            if (s2doc.RootElement.GetProperty("recommendation").ValueKind == JsonValueKind.Object)
            {
                Assert.Equal("ssimulacra2", s2doc.RootElement.GetProperty("recommendation").GetProperty("quality_metric").GetString());
                Assert.Equal(70, s2doc.RootElement.GetProperty("recommendation").GetProperty("min_quality").GetDouble());
            }
        }

        // The table form prints the intervals too.
        var table = CliRunner.Run(CliRunner.RepoRoot, TimeSpan.FromMinutes(2), "predict", file);
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("[low–high]", table.Stdout);
        Assert.Contains("(file size × reencode_estimate_ratio)", table.Stdout);
        Assert.Contains("80 % interval", table.Stdout.Replace("80% interval", "80 % interval"));
    }
}
