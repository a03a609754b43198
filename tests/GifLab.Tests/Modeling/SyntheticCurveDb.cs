using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GifLab.Core.Model;
using GifLab.Modeling;
using GifLab.Storage;
using GifLab.Storage.Sqlite;

namespace GifLab.Tests.Modeling;

/// <summary>
/// Builds a GifLab database whose curves follow a known relation, written through <see cref="SqliteResultStore"/> exactly
/// as <c>giflab run</c> stores single-mode runs (gifsicle engine):
/// <list type="bullet">
/// <item>lossy curve: log(size ÷ original) = −0.3 + 0.09·entropy − 0.012·L + ε, ε ~ N(0, Noise);</item>
/// <item>colour curve: log(size ÷ original) = −0.2 + 0.07·entropy − 0.22·log2(256 ÷ C) + ε;</item>
/// <item>composite_score = 1 − 0.004·L·(0.5 + entropy ÷ 8) (lossy), 1 − 0.03·log2(256 ÷ C) (colours); ssim = 1 − 0.002·L.</item>
/// </list>
/// Entropy ∈ [1, 8] is the only input that matters; the other 23 inputs are noise, transparency_ratio is null for every
/// fifth GIF. About 4 % of points are missing and 2 % are stored as corrupted (must not be used as targets).
/// </summary>
internal static class SyntheticCurveDb
{
    public const double Noise = 0.02;

    public static double LossyLogRatio(double entropy, int level) => -0.3 + 0.09 * entropy - 0.012 * level;

    public static double ColorLogRatio(double entropy, int colors) => -0.2 + 0.07 * entropy - 0.22 * Math.Log2(256.0 / colors);

    public static string Sha(int i) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes("synthetic-gif-" + i)));

    public static Dictionary<string, double?> Features(Random rng, out double entropy, bool nullTransparency)
    {
        var values = new Dictionary<string, double?>(StringComparer.Ordinal);
        // The reference's inputs and the derived ones get noise; the structure features stay absent (NaN inputs, and the
        // size anchor falls back to the file size), so these data are the same as before those inputs existed.
        foreach (var name in ModelInputs.Names.Except(GifLab.Core.Features.FeatureRegistry.ExtensionNames)) values[name] = rng.NextDouble();
        entropy = 1 + 7 * rng.NextDouble();
        values["entropy"] = entropy;
        values["width"] = rng.Next(50, 500);
        values["height"] = rng.Next(50, 500);
        values["frame_count"] = rng.Next(1, 100);
        if (nullTransparency) values["transparency_ratio"] = null;
        return values;
    }

    public static async Task<string> CreateAsync(string path, int gifs, int seed = 7, bool colorCurve = true)
    {
        var rng = new Random(seed);
        await using var store = new SqliteResultStore(path);
        await store.InitializeAsync(CancellationToken.None);
        var lossyPipe = new PipelineId("none-frame", "none-color", "gifsicle-lossy");
        var colorPipe = new PipelineId("none-frame", "gifsicle-color", "gifsicle-lossy");
        var otherPipe = new PipelineId("gifsicle-frame", "none-color", "gifsicle-lossy");
        var lossyPresets = ParamPreset.DefaultLossyLevels.Select(l => new ParamPreset(l, 256, 1.0)).ToList();
        var colorPresets = ParamPreset.DefaultColorCounts.Select(c => new ParamPreset(0, c, 1.0)).ToList();
        var ids = await store.EnsurePipelinesAndPresetsAsync([lossyPipe, colorPipe, otherPipe],
            lossyPresets.Concat(colorPresets).Append(new ParamPreset(0, 256, 0.5)), CancellationToken.None);
        for (var i = 0; i < gifs; i++)
        {
            var features = Features(rng, out var entropy, nullTransparency: i % 5 == 0);
            var original = (long)rng.Next(20_000, 2_000_000);
            features["file_size_bytes"] = original;
            var sha = Sha(i);
            var json = FeaturesJson(sha, features);
            var gifId = await store.UpsertGifAsync(new GifRecord(sha, $"g{i}.gif", null, original, 100, 100, 10, 1000, 0,
                json, FeatureVersionForTests, DateTimeOffset.UtcNow, "ok"), CancellationToken.None);
            var runs = new List<RunRecord>();
            foreach (var p in lossyPresets)
            {
                var logRatio = LossyLogRatio(entropy, p.LossyLevel) + Noise * Gaussian(rng);
                var composite = 1 - 0.004 * p.LossyLevel * (0.5 + entropy / 8);
                Add(runs, rng, gifId, ids.Pipelines[lossyPipe], ids.Presets[p], original, logRatio, composite, 1 - 0.002 * p.LossyLevel);
            }
            if (colorCurve)
            {
                foreach (var p in colorPresets)
                {
                    var logRatio = ColorLogRatio(entropy, p.ColorCount) + Noise * Gaussian(rng);
                    var composite = 1 - 0.03 * Math.Log2(256.0 / p.ColorCount);
                    Add(runs, rng, gifId, ids.Pipelines[colorPipe], ids.Presets[p], original, logRatio, composite, 1 - 0.01 * Math.Log2(256.0 / p.ColorCount));
                }
            }
            // A run of another pipeline (frame reduction) that must not feed any curve: absurd size.
            runs.Add(RunRecord.Valid(gifId, ids.Pipelines[otherPipe], ids.Presets[new ParamPreset(0, 256, 0.5)], 1, 0, null, outputSizeBytes: 1, compressionRatio: original, metricsJson: "{}", null, null));
            await store.SaveRunsAsync(runs, CancellationToken.None);
        }
        return path;
    }

    public const string FeatureVersionForTests = Core.Features.FeatureExtractor.Version;

    private static void Add(List<RunRecord> runs, Random rng, long gifId, long pipelineId, long presetId, long original, double logRatio, double composite, double ssim)
    {
        var u = rng.NextDouble();
        if (u < 0.04) return; // missing point
        var size = Math.Max(1, (long)Math.Round(original * Math.Exp(logRatio)));
        var metrics = string.Create(CultureInfo.InvariantCulture,
            $"{{\"ssim\":{ssim:R},\"composite_score\":{composite:R},\"psnr\":null,\"metric_set_version\":0,\"null_reasons\":{{\"psnr\":\"x\"}}}}");
        // Corrupted runs carry an absurd size: if they leaked into training the relation would break.
        var status = u < 0.06 ? "corrupted" : "valid";
        if (status == "corrupted") size = 3;
        runs.Add(new RunRecord
        {
            GifId = gifId, PipelineId = pipelineId, PresetId = presetId, ValidationStatus = status, DurationMs = 10, MetricSetVersion = 0,
            OutputSizeBytes = size, CompressionRatio = (double)original / size, MetricsJson = metrics,
        });
    }

    private static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    internal static string FeaturesJson(string sha, IReadOnlyDictionary<string, double?> values)
    {
        var doc = new Dictionary<string, object?> { ["gif_sha"] = sha, ["gif_name"] = "x.gif", ["extraction_version"] = FeatureVersionForTests };
        foreach (var (k, v) in values) doc[k] = v;
        return JsonSerializer.Serialize(doc);
    }
}
