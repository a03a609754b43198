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
            // The shipped gifsicle lossy models predict relative to the re-encode estimate (chosen by cross-validation, models/README.md).
            var anchor = c.GetProperty("size_anchor").GetString();
            if (c.GetProperty("engine").GetString() == "gifsicle" && c.GetProperty("curve_type").GetString() == "lossy") Assert.Equal(SizeAnchor.ReencodeEstimate, anchor);
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
        using var run = StoredRuns.Of("gifsicle");
        using var plain = run.Predict("--engine", "gifsicle", "--calibrate", "none");
        var pipelines = new Dictionary<string, string> { ["lossy"] = "none-frame|none-color|gifsicle-lossy", ["colors"] = "none-frame|gifsicle-color|gifsicle-lossy" };
        // One point (--calibration-points 1), and the default (the most; gifsicle's models hold no plans, so the fixed sets).
        foreach (var (extra, count) in new[] { (new[] { "--calibration-points", "1" }, 1), (Array.Empty<string>(), CurveModelTrainer.DefaultCalibrationPoints) })
        {
            using var calibrated = run.Predict(["--engine", "gifsicle", .. extra]);
            foreach (var c in calibrated.RootElement.GetProperty("curves").EnumerateArray())
            {
                var type = c.GetProperty("curve_type").GetString()!;
                var p = plain.RootElement.GetProperty("curves").EnumerateArray().Single(x => x.GetProperty("curve_type").GetString() == type);
                // A set leaves at least one point to predict: at most 4 of the colour curve's 5.
                var points = type == "colors" ? Math.Min(count, 4) : count;
                AssertCalibrated(c, p, points, position => run.Sizes[type == "lossy" ? (pipelines[type], position, 256) : (pipelines[type], 0, position)]);
            }
        }
        // --calibrate takes engines, auto or none; anything else is a usage error naming the option.
        var bad = CliRunner.Run(run.Dir, TimeSpan.FromMinutes(1), "predict", run.Gif, "--calibrate", "gifsickle");
        Assert.Equal(ExitCodes.Usage, bad.ExitCode);
        Assert.Contains("--calibrate: unknown engine 'gifsickle'", bad.Stderr);
    }

    private static bool HasGifski => File.Exists("/usr/bin/gifski") || File.Exists("/usr/local/bin/gifski");

    /// <summary>
    /// <c>predict --calibrate gifski --calibration-points N</c>: the shipped gifski model holds sets of 2 and 3 points
    /// chosen in training; each point is one measured run — checked against <c>giflab run</c>'s stored sizes — and every
    /// other point is the uncalibrated prediction × the ratio interpolated (log scale, by position index) between its
    /// neighbouring measured points. The default is the most points.
    /// </summary>
    [Fact]
    public void Predict_CalibratesGifski_BySetsOfMeasuredPoints_Interpolated()
    {
        if (!HasGifski) { Console.WriteLine("SKIPPED: gifski is not installed"); return; }
        var metadata = ModelCard.ReadAll(RepoModels).Single(m => m.Engine == "gifski" && m.CurveType == "lossy");
        var sets = metadata.Targets["size"].CalibratedSets!;
        Assert.Equal([2, 3, 4, 5], sets.Select(c => c.Positions.Count));
        using var run = StoredRuns.Of("gifski");
        using var plain = run.Predict("--engines", "gifski", "--calibrate", "none");
        foreach (var count in new[] { 1, 2, 3, 4 })
        {
            using var calibrated = run.Predict("--engines", "gifski", "--calibrate", "gifski", "--calibration-points", count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var curve = calibrated.RootElement.GetProperty("curves")[0];
            var positions = AssertCalibrated(curve, plain.RootElement.GetProperty("curves")[0], count,
                                             position => run.Sizes[("none-frame|none-color|gifski-lossy", position, 256)]);
            Assert.Equal(count == 1 ? [metadata.Targets["size"].Calibrated!.Position] : sets[count - 2].Positions, positions);
            Assert.Equal(count == 1 ? metadata.Targets["size"].Calibrated!.Evaluation.Overall : sets[count - 2].Evaluation.Overall,
                         curve.GetProperty("size_calibration").GetProperty("held_out_size_mape").GetDouble());
            // The default is four points.
            if (count == CurveModelTrainer.DefaultCalibrationPoints)
            {
                using var byDefault = run.Predict("--engines", "gifski", "--calibrate", "gifski");
                Assert.Equal(calibrated.RootElement.GetRawText(), byDefault.RootElement.GetRawText());
            }
        }
        var bad = CliRunner.Run(run.Dir, TimeSpan.FromMinutes(1), "predict", run.Gif, "--calibration-points", "6");
        Assert.Equal(ExitCodes.Usage, bad.ExitCode);
        Assert.Contains("--calibration-points must be between 1 and 5", bad.Stderr);
    }

    private static bool HasImageMagick => File.Exists("/usr/bin/convert") || File.Exists("/usr/local/bin/convert") || File.Exists("/usr/local/bin/magick");

    /// <summary>
    /// ImageMagick on a 64-colour GIF (a 1-frame gifsicle output in testdata): its lossy levels whose palette
    /// N(L) = round(256·(1/16)^(L/100)) is at least 64 (10 … 50) give byte-identical outputs — checked on the stored runs —
    /// so predict ties them (<c>identical_positions</c>), and a run at one of them gives them all. By default the lossy
    /// curve is calibrated by its set of five points and the colour curve by the shipped <c>palette_block</c> plan of at
    /// most four runs: its block (256 … 64 colours) leaves 32 and 16, so it measures 256, 32, 16 and every point is exact.
    /// Every size is checked against the stored runs and the interpolation written out in <see cref="AssertCalibrated"/>.
    /// </summary>
    [Fact]
    public void Predict_CalibratesImageMagick_ByItsPaletteBlockPlan()
    {
        if (!HasImageMagick) { Console.WriteLine("SKIPPED: ImageMagick is not installed"); return; }
        var lossyMeta = ModelCard.ReadAll(RepoModels).Single(m => m.Engine == "imagemagick" && m.CurveType == "lossy");
        var colorsMeta = ModelCard.ReadAll(RepoModels).Single(m => m.Engine == "imagemagick" && m.CurveType == "colors");
        Assert.NotNull(lossyMeta.PaletteSaturation);
        Assert.NotNull(colorsMeta.PaletteSaturation);
        // The colour curve's largest fixed set has 4 of its 5 points, and a plan of 4 beat it in training.
        Assert.Contains(colorsMeta.Targets["size"].CalibratedPlans!, p => p.PlanPoints == 4);
        using var run = StoredRuns.Of("imagemagick", Path.Combine(CliRunner.RepoRoot, "testdata", "golden", "pairs", "wuffs__hibiscus.regular__O2-lossy60-colors64.gif"));
        // The fact the models rely on, on this GIF: ImageMagick's outputs at lossy 10 … 50 are one size.
        int[] block = [10, 20, 30, 40, 50];
        Assert.Single(block.Select(l => run.Sizes[("none-frame|none-color|imagemagick-lossy", l, 256)]).Distinct());
        Assert.NotEqual(run.Sizes[("none-frame|none-color|imagemagick-lossy", 50, 256)], run.Sizes[("none-frame|none-color|imagemagick-lossy", 60, 256)]);
        using var plain = run.Predict("--engines", "imagemagick", "--calibrate", "none");
        var plainLossy = plain.RootElement.GetProperty("curves").EnumerateArray().Single(c => c.GetProperty("curve_type").GetString() == "lossy");
        Assert.Equal(block, plainLossy.GetProperty("identical_positions").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Single(plainLossy.GetProperty("points").EnumerateArray().Where(p => block.Contains(p.GetProperty("lossy_level").GetInt32()))
            .Select(p => p.GetProperty("size_bytes").GetDouble()).Distinct());

        using var calibrated = run.Predict("--engines", "imagemagick", "--calibrate", "imagemagick");
        var pipelines = new Dictionary<string, string> { ["lossy"] = "none-frame|none-color|imagemagick-lossy", ["colors"] = "none-frame|imagemagick-color|imagemagick-lossy" };
        // Lossy (default 5 runs): the fixed set of 5, or, where training kept a plan of 5, one block run (10) and four of
        // the free positions 0, 60, 70, 80, 90, 100 spread by index (0, 2, 3, 5). Colours: the plan of 4, one block run
        // (256) and both free positions.
        var lossyPlan = lossyMeta.Targets["size"].CalibratedPlans?.Any(p => p.PlanPoints == 5) == true;
        var expected = new Dictionary<string, int[]>
        {
            ["lossy"] = lossyPlan ? [0, 10, 70, 80, 100] : [.. lossyMeta.Targets["size"].CalibratedSets!.Single(c => c.Positions.Count == 5).Positions],
            ["colors"] = [256, 32, 16],
        };
        foreach (var c in calibrated.RootElement.GetProperty("curves").EnumerateArray())
        {
            var type = c.GetProperty("curve_type").GetString()!;
            var p = plain.RootElement.GetProperty("curves").EnumerateArray().Single(x => x.GetProperty("curve_type").GetString() == type);
            var positions = AssertCalibrated(c, p, expected[type].Length, position => run.Sizes[type == "lossy" ? (pipelines[type], position, 256) : (pipelines[type], 0, position)]);
            Assert.Equal(expected[type], positions);
            // The figures are the plan's of 4 runs (plans of 3 and 4 give this GIF the same positions; 4 is the default's).
            if (type == "colors")
                Assert.Equal(colorsMeta.Targets["size"].CalibratedPlans!.Single(pl => pl.PlanPoints == 4).Evaluation.Overall,
                             c.GetProperty("size_calibration").GetProperty("held_out_size_mape").GetDouble());
            // Every point is measured or identical to a measured one on this GIF's colour curve: all exact.
            if (type == "colors")
                foreach (var point in c.GetProperty("points").EnumerateArray())
                    Assert.Equal(run.Sizes[(pipelines[type], 0, point.GetProperty("color_count").GetInt32())], point.GetProperty("size_bytes").GetDouble());
        }
    }

    /// <summary>
    /// Checks one calibrated curve of <c>predict --format json</c> against the same curve uncalibrated: <paramref name="count"/>
    /// measured points, each the size <paramref name="stored"/> gives for its position (zero-width interval there), and
    /// every other point the uncalibrated size × e^shift, the shift measured − predicted interpolated linearly by position
    /// index between neighbouring measured points and constant beyond (written out here, independently of the library).
    /// Returns the measured positions.
    /// </summary>
    private static List<int> AssertCalibrated(JsonElement curve, JsonElement uncalibrated, int count, Func<int, long> stored)
    {
        var positionName = curve.GetProperty("curve_type").GetString() == "lossy" ? "lossy_level" : "color_count";
        Assert.Equal(JsonValueKind.Null, uncalibrated.GetProperty("size_calibration").ValueKind);
        var cal = curve.GetProperty("size_calibration");
        Assert.True(cal.GetProperty("held_out_size_mape").GetDouble() > 0, "the shipped metadata carry calibrated held-out figures");
        var measured = cal.GetProperty("measured_points").EnumerateArray()
            .Select(m => (Position: m.GetProperty(positionName).GetInt32(), Bytes: m.GetProperty("measured_bytes").GetInt64())).ToList();
        Assert.Equal(count, measured.Count);
        Assert.Equal(measured[0].Position, cal.GetProperty(positionName).GetInt32());
        Assert.All(measured, m => Assert.Equal(stored(m.Position), m.Bytes));
        var positions = curve.GetProperty("points").EnumerateArray().Select(x => x.GetProperty(positionName).GetInt32()).ToList();
        var cPoints = curve.GetProperty("points").EnumerateArray().Select(x => x.GetProperty("size_bytes").GetDouble()).ToList();
        var pPoints = uncalibrated.GetProperty("points").EnumerateArray().Select(x => x.GetProperty("size_bytes").GetDouble()).ToList();
        var at = measured.Select(m => positions.IndexOf(m.Position)).ToArray();
        Assert.All(at, k => Assert.True(k >= 0, "a measured point is on the curve"));
        foreach (var (k, m) in at.Zip(measured))
        {
            Assert.Equal(m.Bytes, cPoints[k]);
            Assert.Equal([m.Bytes, m.Bytes], curve.GetProperty("points")[k].GetProperty("size_bytes_interval").EnumerateArray().Select(v => v.GetDouble()).ToArray());
        }
        // Positions the GIF's palette makes identical take the measured size when one of them was measured: anchors too.
        var identical = uncalibrated.GetProperty("identical_positions").EnumerateArray().Select(v => positions.IndexOf(v.GetInt32())).ToList();
        var blockMeasured = measured.FirstOrDefault(m => identical.Contains(positions.IndexOf(m.Position)));
        var anchors = at.Select((k, n) => (Index: k, Bytes: measured[n].Bytes)).ToList();
        if (blockMeasured.Bytes > 0)
            anchors = anchors.Concat(identical.Where(i => !at.Contains(i)).Select(i => (Index: i, blockMeasured.Bytes))).OrderBy(a => a.Index).ToList();
        // JSON sizes are rounded to bytes, so the shifts come from rounded predictions: 1 byte + 0.2 % of slack.
        var anchorAt = anchors.Select(a => a.Index).ToArray();
        var shifts = anchors.Select(a => Math.Log(a.Bytes / pPoints[a.Index])).ToArray();
        // A predicted (not fixed) point never exceeds the one before it: the running minimum.
        var previous = double.PositiveInfinity;
        for (var i = 0; i < cPoints.Count; i++)
        {
            var shift = i <= anchorAt[0] ? shifts[0] : i >= anchorAt[^1] ? shifts[^1] : Enumerable.Range(1, anchorAt.Length - 1).Where(j => i <= anchorAt[j])
                .Select(j => shifts[j - 1] + (shifts[j] - shifts[j - 1]) * (i - anchorAt[j - 1]) / (anchorAt[j] - anchorAt[j - 1])).First();
            var expected = Array.IndexOf(at, i) is var m and >= 0 ? measured[m].Bytes : pPoints[i] * Math.Exp(shift);
            if (!anchorAt.Contains(i)) expected = Math.Min(expected, previous);
            previous = expected;
            Assert.True(Math.Abs(cPoints[i] - expected) <= 1 + 2e-3 * expected, $"{positionName}, {count} point(s), point {i}: {cPoints[i]} vs {expected}");
        }
        return measured.Select(m => m.Position).ToList();
    }

    /// <summary>
    /// <c>giflab run</c> of one engine over a copy of samples/muybridge.gif in a private folder, with the stored output
    /// size of every valid single-mode run by (pipeline, lossy level, colour count); deleted on dispose.
    /// </summary>
    private sealed class StoredRuns : IDisposable
    {
        public string Dir { get; } = Directory.CreateTempSubdirectory("giflab-calibrate-").FullName;
        public string Gif => Path.Combine(Dir, "in", "muybridge.gif");
        public Dictionary<(string Pipeline, int Lossy, int Colors), long> Sizes { get; } = [];

        public static StoredRuns Of(string engine, string? source = null)
        {
            var s = new StoredRuns();
            try { s.Fill(engine, source ?? Path.Combine(CliRunner.RepoRoot, "samples", "muybridge.gif")); return s; }
            catch { s.Dispose(); throw; }
        }

        private void Fill(string engine, string source)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Gif)!);
            File.Copy(source, Gif);
            var db = Path.Combine(Dir, "runs.db");
            var run = CliRunner.Run(Dir, TimeSpan.FromMinutes(3), "run", Path.GetDirectoryName(Gif)!, "--db", db, "--engines", engine);
            Assert.True(run.ExitCode == 0, run.Stderr);
            using var conn = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db};Pooling=False");
            conn.Open();
            using var cmd = conn.CreateCommand();
            cmd.CommandText = """
                SELECT p.identifier, pp.lossy_level, pp.color_count, r.output_size_bytes FROM compression_runs r JOIN pipelines p ON p.id = r.pipeline_id
                JOIN param_presets pp ON pp.id = r.param_preset_id
                WHERE pp.frame_ratio = 1.0 AND r.validation_status = 'valid'
                """;
            using var r = cmd.ExecuteReader();
            while (r.Read()) Sizes[(r.GetString(0), r.GetInt32(1), r.GetInt32(2))] = r.GetInt64(3);
        }

        /// <summary><c>predict GIF --format json ARGS</c>, which must succeed with the calibration timing on stderr.</summary>
        public JsonDocument Predict(params string[] args)
        {
            var result = CliRunner.Run(Dir, TimeSpan.FromMinutes(2), ["predict", Gif, "--format", "json", .. args]);
            Assert.True(result.ExitCode == 0, result.Stderr);
            Assert.Contains("calibration runs in", result.Stderr);
            return JsonDocument.Parse(result.Stdout);
        }

        public void Dispose() => Directory.Delete(Dir, recursive: true);
    }
}
