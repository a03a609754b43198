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
        // GifLab's tree files, not ML.NET zips: predict loads no ML.NET assembly (docs/prediction.md, Files).
        Assert.Empty(Directory.GetFiles(RepoModels, "*" + GbmRegressor.LegacyExtension));
        Assert.NotEmpty(Directory.GetFiles(RepoModels, "*" + GbmRegressor.Extension));
    }

    [Fact]
    public void ShippedMetadata_RoundTripsByteForByte()
    {
        // The metadata are read and written through source-generated JSON: same names, same bytes as written by train.
        foreach (var f in Directory.GetFiles(RepoModels, "*.json"))
            Assert.Equal(File.ReadAllText(f), PredictionModelMetadata.FromJson(File.ReadAllText(f)).ToJson());
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
        // Engines retrained at another commit: the card names every commit the metadata record.
        var header = ModelCard.Extract(card)!.Split('\n').First(l => l.StartsWith("- Feature version", StringComparison.Ordinal));
        Assert.All(models, m => Assert.Contains($"`{m.CodeCommit}`", header));
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
            // gifsicle's sizes are calibrated by one measured run when gifsicle is installed (predict --calibrate auto).
            if (c.GetProperty("engine").GetString() == "gifsicle" && HasGifsicle)
                Assert.Equal(JsonValueKind.Object, c.GetProperty("size_calibration").ValueKind);
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

        // The table form prints the intervals too (gifsicle's curves calibrated, the others relative to their anchor).
        var table = CliRunner.Run(CliRunner.RepoRoot, TimeSpan.FromMinutes(2), "predict", file);
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("[low–high]", table.Stdout);
        Assert.Contains("(file size × reencode_estimate_ratio)", table.Stdout);
        Assert.Contains("80 % interval", table.Stdout.Replace("80% interval", "80 % interval"));
    }

    private static bool HasGifsicle => File.Exists("/usr/bin/gifsicle") || File.Exists("/usr/local/bin/gifsicle");

    /// <summary>
    /// <c>predict --calibrate</c> (default for gifsicle): each gifsicle curve's calibration point, or by default its set of
    /// three points (chosen in training, named in the metadata and the JSON), is measured by runs with the same pipeline
    /// and setting as the training runs — checked against <c>giflab run</c>'s stored output sizes for the GIF — and every
    /// other point is the uncalibrated prediction (<c>--calibrate none</c>) × measured ÷ predicted, interpolated between
    /// measured points.
    /// </summary>
    [Fact]
    public void Predict_CalibratesGifsicle_ByTheRunsOfTheCurvesCalibrationPoints()
    {
        if (!HasGifsicle) { Console.WriteLine("SKIPPED: gifsicle is not installed"); return; }
        var dir = Directory.CreateTempSubdirectory("giflab-calibrate-").FullName;
        try { CalibratedPredict(dir); }
        finally { Directory.Delete(dir, recursive: true); }
    }

    private static void CalibratedPredict(string dir)
    {
        var gif = Path.Combine(dir, "in", "muybridge.gif");
        Directory.CreateDirectory(Path.GetDirectoryName(gif)!);
        File.Copy(Path.Combine(CliRunner.RepoRoot, "samples", "muybridge.gif"), gif);
        var db = Path.Combine(dir, "runs.db");
        var run = CliRunner.Run(dir, TimeSpan.FromMinutes(3), "run", Path.GetDirectoryName(gif)!, "--db", db, "--engines", "gifsicle");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var stored = new Dictionary<(string Pipeline, int Lossy, int Colors), long>();
        using (var conn = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db}"))
        {
            conn.Open();
            using var cmd = conn.CreateCommand();
            cmd.CommandText = """
                SELECT p.identifier, pp.lossy_level, pp.color_count, r.output_size_bytes FROM compression_runs r JOIN pipelines p ON p.id = r.pipeline_id
                JOIN param_presets pp ON pp.id = r.param_preset_id
                WHERE pp.frame_ratio = 1.0 AND r.validation_status = 'valid'
                """;
            using var r = cmd.ExecuteReader();
            while (r.Read()) stored[(r.GetString(0), r.GetInt32(1), r.GetInt32(2))] = r.GetInt64(3);
        }

        var plain = CliRunner.Run(dir, TimeSpan.FromMinutes(2), "predict", gif, "--engine", "gifsicle", "--format", "json", "--calibrate", "none");
        Assert.True(plain.ExitCode == 0, plain.Stderr);
        using var pdoc = JsonDocument.Parse(plain.Stdout);
        var pipelines = new Dictionary<string, string> { ["lossy"] = "none-frame|none-color|gifsicle-lossy", ["colors"] = "none-frame|gifsicle-color|gifsicle-lossy" };
        // One point (--calibration-points 1), and the default: the largest set the metadata hold (3 points).
        foreach (var (extra, count) in new[] { (new[] { "--calibration-points", "1" }, 1), (Array.Empty<string>(), 3) })
        {
            var calibrated = CliRunner.Run(dir, TimeSpan.FromMinutes(2), ["predict", gif, "--engine", "gifsicle", "--format", "json", .. extra]);
            Assert.True(calibrated.ExitCode == 0, calibrated.Stderr);
            Assert.Contains("calibration runs in", calibrated.Stderr);
            using var cdoc = JsonDocument.Parse(calibrated.Stdout);
            foreach (var c in cdoc.RootElement.GetProperty("curves").EnumerateArray())
            {
                var type = c.GetProperty("curve_type").GetString()!;
                var positionName = type == "lossy" ? "lossy_level" : "color_count";
                var p = pdoc.RootElement.GetProperty("curves").EnumerateArray().Single(x => x.GetProperty("curve_type").GetString() == type);
                Assert.Equal(JsonValueKind.Null, p.GetProperty("size_calibration").ValueKind);
                var cal = c.GetProperty("size_calibration");
                Assert.True(cal.GetProperty("held_out_size_mape").GetDouble() > 0, "the shipped metadata carry calibrated held-out figures");
                var measured = cal.GetProperty("measured_points").EnumerateArray()
                    .Select(m => (Position: m.GetProperty(positionName).GetInt32(), Bytes: m.GetProperty("measured_bytes").GetInt64())).ToList();
                Assert.Equal(count, measured.Count);
                Assert.Equal(measured[0].Position, cal.GetProperty(positionName).GetInt32());
                // Each measured point is the run `giflab run` stores for that setting.
                Assert.All(measured, m => Assert.Equal(stored[type == "lossy" ? (pipelines[type], m.Position, 256) : (pipelines[type], 0, m.Position)], m.Bytes));
                var positions = c.GetProperty("points").EnumerateArray().Select(x => x.GetProperty(positionName).GetInt32()).ToList();
                var cPoints = c.GetProperty("points").EnumerateArray().Select(x => x.GetProperty("size_bytes").GetDouble()).ToList();
                var pPoints = p.GetProperty("points").EnumerateArray().Select(x => x.GetProperty("size_bytes").GetDouble()).ToList();
                var at = measured.Select(m => positions.IndexOf(m.Position)).ToArray();
                Assert.All(at, k => Assert.True(k >= 0, "a measured point is on the curve"));
                foreach (var (k, m) in at.Zip(measured))
                {
                    Assert.Equal(m.Bytes, cPoints[k]);
                    Assert.Equal([m.Bytes, m.Bytes], c.GetProperty("points")[k].GetProperty("size_bytes_interval").EnumerateArray().Select(v => v.GetDouble()).ToArray());
                }
                // Every other point: the uncalibrated prediction × the ratio measured ÷ predicted, interpolated in log scale by
                // position index between neighbouring measured points, constant beyond (JSON sizes are rounded: 1 byte + 0.2 %).
                var shifts = at.Select((k, n) => Math.Log(measured[n].Bytes / pPoints[k])).ToArray();
                for (var i = 0; i < cPoints.Count; i++)
                {
                    var shift = i <= at[0] ? shifts[0] : i >= at[^1] ? shifts[^1] : Enumerable.Range(1, at.Length - 1).Where(j => i <= at[j])
                        .Select(j => shifts[j - 1] + (shifts[j] - shifts[j - 1]) * (i - at[j - 1]) / (at[j] - at[j - 1])).First();
                    var expected = Array.IndexOf(at, i) is var m and >= 0 ? measured[m].Bytes : pPoints[i] * Math.Exp(shift);
                    Assert.True(Math.Abs(cPoints[i] - expected) <= 1 + 2e-3 * expected, $"{type}, {count} point(s), point {i}: {cPoints[i]} vs {expected}");
                }
            }
        }
        // --calibrate takes engines, auto or none; anything else is a usage error naming the option.
        var bad = CliRunner.Run(dir, TimeSpan.FromMinutes(1), "predict", gif, "--calibrate", "gifsickle");
        Assert.Equal(ExitCodes.Usage, bad.ExitCode);
        Assert.Contains("--calibrate: unknown engine 'gifsickle'", bad.Stderr);
    }

    private static bool HasGifski => File.Exists("/usr/bin/gifski") || File.Exists("/usr/local/bin/gifski");

    /// <summary>
    /// <c>predict --calibrate gifski --calibration-points N</c>: the shipped gifski model holds sets of 2 and 3 points
    /// chosen in training; each point is one measured run — checked against <c>giflab run</c>'s stored sizes — and every
    /// other point is the uncalibrated prediction × the ratio interpolated (log scale, by position index) between its
    /// neighbouring measured points.
    /// </summary>
    [Fact]
    public void Predict_CalibratesGifski_BySetsOfMeasuredPoints_Interpolated()
    {
        if (!HasGifski) { Console.WriteLine("SKIPPED: gifski is not installed"); return; }
        var metadata = ModelCard.ReadAll(RepoModels).Single(m => m.Engine == "gifski" && m.CurveType == "lossy");
        var sets = metadata.Targets["size"].CalibratedSets!;
        Assert.Equal([2, 3], sets.Select(c => c.Positions.Count));
        var dir = Directory.CreateTempSubdirectory("giflab-calibrate-").FullName;
        try
        {
            var gif = Path.Combine(dir, "in", "muybridge.gif");
            Directory.CreateDirectory(Path.GetDirectoryName(gif)!);
            File.Copy(Path.Combine(CliRunner.RepoRoot, "samples", "muybridge.gif"), gif);
            var db = Path.Combine(dir, "runs.db");
            var run = CliRunner.Run(dir, TimeSpan.FromMinutes(3), "run", Path.GetDirectoryName(gif)!, "--db", db, "--engines", "gifski");
            Assert.True(run.ExitCode == 0, run.Stderr);
            var stored = new Dictionary<int, long>();
            using (var conn = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db}"))
            {
                conn.Open();
                using var cmd = conn.CreateCommand();
                cmd.CommandText = """
                    SELECT pp.lossy_level, r.output_size_bytes FROM compression_runs r JOIN pipelines p ON p.id = r.pipeline_id
                    JOIN param_presets pp ON pp.id = r.param_preset_id
                    WHERE p.identifier = 'none-frame|none-color|gifski-lossy' AND pp.frame_ratio = 1.0 AND pp.color_count = 256 AND r.validation_status = 'valid'
                    """;
                using var r = cmd.ExecuteReader();
                while (r.Read()) stored[r.GetInt32(0)] = r.GetInt64(1);
            }
            var plain = CliRunner.Run(dir, TimeSpan.FromMinutes(2), "predict", gif, "--engines", "gifski", "--format", "json", "--calibrate", "none");
            Assert.True(plain.ExitCode == 0, plain.Stderr);
            using var pdoc = JsonDocument.Parse(plain.Stdout);
            var pPoints = pdoc.RootElement.GetProperty("curves")[0].GetProperty("points").EnumerateArray().Select(x => x.GetProperty("size_bytes").GetDouble()).ToList();
            foreach (var (count, set) in new[] { (1, (IReadOnlyList<int>)[metadata.Targets["size"].Calibrated!.Position]) }.Concat(sets.Select(c => (c.Positions.Count, c.Positions))))
            {
                var calibrated = CliRunner.Run(dir, TimeSpan.FromMinutes(2), "predict", gif, "--engines", "gifski", "--format", "json", "--calibrate", "gifski",
                                               "--calibration-points", count.ToString(System.Globalization.CultureInfo.InvariantCulture));
                Assert.True(calibrated.ExitCode == 0, calibrated.Stderr);
                using var cdoc = JsonDocument.Parse(calibrated.Stdout);
                var curve = cdoc.RootElement.GetProperty("curves")[0];
                var measured = curve.GetProperty("size_calibration").GetProperty("measured_points").EnumerateArray()
                    .Select(m => (Position: m.GetProperty("lossy_level").GetInt32(), Bytes: m.GetProperty("measured_bytes").GetInt64())).ToList();
                Assert.Equal(set, measured.Select(m => m.Position));
                Assert.All(measured, m => Assert.Equal(stored[m.Position], m.Bytes));
                var levels = curve.GetProperty("points").EnumerateArray().Select(x => x.GetProperty("lossy_level").GetInt32()).ToList();
                var cPoints = curve.GetProperty("points").EnumerateArray().Select(x => x.GetProperty("size_bytes").GetDouble()).ToList();
                var at = measured.Select(m => levels.IndexOf(m.Position)).ToArray();
                // JSON sizes are rounded to bytes: the shifts come from the rounded predictions, hence the 1-byte + 0.2 % slack.
                var shifts = at.Select((i, n) => Math.Log(measured[n].Bytes / pPoints[i])).ToArray();
                for (var i = 0; i < levels.Count; i++)
                {
                    var m = Array.IndexOf(at, i);
                    var shift = i <= at[0] ? shifts[0] : i >= at[^1] ? shifts[^1] : Enumerable.Range(1, at.Length - 1).Where(j => i <= at[j])
                        .Select(j => shifts[j - 1] + (shifts[j] - shifts[j - 1]) * (i - at[j - 1]) / (at[j] - at[j - 1])).First();
                    var expected = m >= 0 ? measured[m].Bytes : pPoints[i] * Math.Exp(shift);
                    Assert.True(Math.Abs(cPoints[i] - expected) <= 1 + 2e-3 * expected, $"{count} point(s), lossy {levels[i]}: {cPoints[i]} vs {expected}");
                }
                Assert.Equal(count == 1 ? metadata.Targets["size"].Calibrated!.Evaluation.Overall : sets[count - 2].Evaluation.Overall,
                             curve.GetProperty("size_calibration").GetProperty("held_out_size_mape").GetDouble());
                if (count == 3)
                {
                    // The default is the most points.
                    var byDefault = CliRunner.Run(dir, TimeSpan.FromMinutes(2), "predict", gif, "--engines", "gifski", "--format", "json", "--calibrate", "gifski");
                    Assert.Equal(calibrated.Stdout, byDefault.Stdout);
                }
            }
            var bad = CliRunner.Run(dir, TimeSpan.FromMinutes(1), "predict", gif, "--calibration-points", "4");
            Assert.Equal(ExitCodes.Usage, bad.ExitCode);
            Assert.Contains("--calibration-points must be between 1 and 3", bad.Stderr);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
