#!/usr/bin/env -S dotnet run
// Writes a synthetic GifLab SQLite database shaped like a default `giflab run`: N GIFs × 59 runs (the 7 default
// pipelines: 4 lossy curves of 11 levels, 3 colour curves of 5 counts; metrics_json with the full key set of a real
// run, ~2.3 kB), features that classify as each content type, a few failures. Driven by bench/answers-speed.sh.
//   answers-synthetic OUT.db N [SEED]
#:project ../src/GifLab/GifLab.csproj
#:property PublishAot=false
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GifLab.Core.Features;
using GifLab.Core.Metrics;
using GifLab.Core.Model;
using GifLab.Storage;
using GifLab.Storage.Sqlite;

var path = args[0];
var n = int.Parse(args[1], CultureInfo.InvariantCulture);
var rng = new Random(args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1);
if (File.Exists(path)) File.Delete(path);
await using var store = new SqliteResultStore(path);
await store.InitializeAsync(default);
PipelineId[] pipelines =
[
    new("none-frame", "none-color", "gifsicle-lossy"), new("none-frame", "none-color", "imagemagick-lossy"),
    new("none-frame", "none-color", "ffmpeg-lossy"), new("none-frame", "none-color", "gifski-lossy"),
    new("none-frame", "gifsicle-color", "gifsicle-lossy"), new("none-frame", "imagemagick-color", "imagemagick-lossy"),
    new("none-frame", "ffmpeg-color", "ffmpeg-lossy"),
];
var lossy = ParamPreset.DefaultLossyLevels.Select(l => new ParamPreset(l, 256, 1.0)).ToList();
var colors = ParamPreset.DefaultColorCounts.Select(c => new ParamPreset(0, c, 1.0)).ToList();
var ids = await store.EnsurePipelinesAndPresetsAsync(pipelines, lossy.Concat(colors).Distinct(), default);
// Per content type: (width, height, colours, histogram entropy, dominant ratio, complexity, edges).
var typeFeatures = new (double, double, double, double, double, double, double)[]
    { (160, 120, 256, 5.3, 0.3, 0.2, 0.1), (300, 300, 6, 0.9, 0.999, 0.02, 0.03), (24, 24, 200, 3.5, 0.7, 0.07, 0.25),
      (732, 410, 255, 0.5, 0.99, 0.25, 0.09), (320, 240, 16, 2.0, 0.97, 0.03, 0.08) };
var keys = MetricRegistry.OutputKeys;
var runsWritten = 0;
for (var i = 0; i < n; i++)
{
    var type = i % 5;
    var (w, h, uc, he, dom, cc, edges) = typeFeatures[type];
    var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes("bench-" + i)));
    var original = (long)rng.Next(5_000, 2_000_000);
    var features = new Dictionary<string, object?>
    {
        ["schema_version"] = "1.0.0", ["gif_sha"] = sha, ["gif_name"] = $"g{i}.gif", ["extraction_version"] = FeatureExtractor.Version,
        ["width"] = w, ["height"] = h, ["unique_colors"] = uc, ["color_histogram_entropy"] = he, ["dominant_color_ratio"] = dom,
        ["color_complexity"] = cc, ["edge_density"] = edges, ["file_size_bytes"] = original,
    };
    foreach (var name in FeatureRegistry.ModelInputNames) features.TryAdd(name, rng.NextDouble());
    var gifId = await store.UpsertGifAsync(new GifRecord(sha, $"g{i}.gif", null, original, (int)w, (int)h, 10, 1000, 0,
        JsonSerializer.Serialize(features), FeatureExtractor.Version, DateTimeOffset.UtcNow, "ok"), default);
    var runs = new List<RunRecord>(59);
    foreach (var pipeline in pipelines)
    {
        var isColor = pipeline.ColorTool != "none-color";
        var strength = 0.5 + rng.NextDouble();
        foreach (var preset in isColor ? colors : lossy)
        {
            var x = isColor ? Math.Log2(256.0 / preset.ColorCount) / 4 : preset.LossyLevel / 100.0;
            var size = Math.Max(50, (long)(original * Math.Exp(-strength * x * 1.5) * (0.97 + 0.06 * rng.NextDouble())));
            var composite = Math.Clamp(1 - 0.25 * x * (0.9 + 0.2 * rng.NextDouble()), 0, 1);
            var metrics = new StringBuilder("{");
            foreach (var key in keys)
                metrics.Append('"').Append(key).Append("\":").Append(key == "composite_score" ? composite.ToString("R", CultureInfo.InvariantCulture)
                    : (rng.NextDouble()).ToString("R", CultureInfo.InvariantCulture)).Append(',');
            metrics.Append("\"metric_set_version\":2,\"null_reasons\":{}}");
            var failed = rng.NextDouble() < 0.002;
            runs.Add(failed
                ? RunRecord.Failed(gifId, ids.Pipelines[pipeline], ids.Presets[preset], 10, 2, null, "tool:exit", "exit 1", true, null)
                : RunRecord.Valid(gifId, ids.Pipelines[pipeline], ids.Presets[preset], 10, 2, null, size, (double)original / size, metrics.ToString(), null, null));
        }
    }
    await store.SaveRunsAsync(runs, default);
    runsWritten += runs.Count;
}
Console.WriteLine($"{path}: {n} GIFs, {runsWritten} runs");
