using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GifLab.Core.Features;
using GifLab.Core.Model;
using GifLab.Storage;
using GifLab.Storage.Sqlite;
using GifLab.Tests.Engines;

namespace GifLab.Tests.Answers;

/// <summary>
/// A GifLab SQLite database shaped like a real default run, written through <see cref="SqliteResultStore"/>: the 7
/// default pipelines (4 lossy curves of 11 levels, 3 colour curves of 5 counts), features that classify as each content
/// type in turn, file paths pointing at real GIFs (samples/ and testdata/gifs/pillow), a few failures and a corrupted run.
/// Engines differ by type so the leaderboards have a clear order: on photos gifski needs the fewest bytes for a given
/// composite score, elsewhere gifsicle.
/// </summary>
internal static class AnswersTestDb
{
    public static readonly string[] Files =
    [
        Path.Combine(TestEnvironment.RepoRoot, "samples", "waves.gif"),
        Path.Combine(TestEnvironment.RepoRoot, "samples", "muybridge.gif"),
        Path.Combine(TestEnvironment.RepoRoot, "samples", "dispose_bgnd_transparency.gif"),
        Path.Combine(TestEnvironment.RepoRoot, "testdata", "gifs", "pillow", "dispose_bgnd.gif"),
        Path.Combine(TestEnvironment.RepoRoot, "testdata", "gifs", "pillow", "dispose_prev.gif"),
    ];

    /// <summary>Feature values that <see cref="ContentTypeClassifier"/> maps to each type.</summary>
    public static Dictionary<string, double?> FeaturesOf(ContentType type) => type switch
    {
        ContentType.Photo => V(160, 120, 256, 5.3, 0.3, 0.2, 0.1),
        ContentType.PixelArt => V(320, 240, 16, 2.0, 0.97, 0.03, 0.08),
        ContentType.Text => V(732, 410, 255, 0.5, 0.99, 0.25, 0.09),
        ContentType.Cartoon => V(24, 24, 200, 3.5, 0.7, 0.07, 0.25),
        _ => V(300, 300, 6, 0.9, 0.999, 0.02, 0.03),
    };

    private static Dictionary<string, double?> V(double w, double h, double colors, double histEntropy, double dominant, double complexity, double edges) => new()
    {
        [FeatureNames.Width] = w, [FeatureNames.Height] = h, [FeatureNames.UniqueColors] = colors,
        [FeatureNames.ColorHistogramEntropy] = histEntropy, [FeatureNames.DominantColorRatio] = dominant,
        [FeatureNames.ColorComplexity] = complexity, [FeatureNames.EdgeDensity] = edges,
    };

    public static readonly PipelineId[] Pipelines =
    [
        new("none-frame", "none-color", "gifsicle-lossy"), new("none-frame", "none-color", "imagemagick-lossy"),
        new("none-frame", "none-color", "ffmpeg-lossy"), new("none-frame", "none-color", "gifski-lossy"),
        new("none-frame", "gifsicle-color", "gifsicle-lossy"), new("none-frame", "imagemagick-color", "imagemagick-lossy"),
        new("none-frame", "ffmpeg-color", "ffmpeg-lossy"),
    ];

    public static async Task<string> CreateAsync(string path, int gifs, int seed = 3)
    {
        await using var store = new SqliteResultStore(path);
        await store.InitializeAsync(CancellationToken.None);
        await FillAsync(store, gifs, seed);
        return path;
    }

    /// <summary>Writes the GIFs, runs and failures into an initialised store (SQLite or PostgreSQL).</summary>
    public static async Task FillAsync(IResultStore store, int gifs, int seed = 3)
    {
        var rng = new Random(seed);
        var lossy = ParamPreset.DefaultLossyLevels.Select(l => new ParamPreset(l, 256, 1.0)).ToList();
        var colors = ParamPreset.DefaultColorCounts.Where(c => c != 256).Select(c => new ParamPreset(0, c, 1.0)).ToList();
        var ids = await store.EnsurePipelinesAndPresetsAsync(Pipelines, lossy.Concat(colors), CancellationToken.None);
        for (var i = 0; i < gifs; i++)
        {
            var type = ContentTypes.All[i % ContentTypes.All.Count];
            var file = Files[i % Files.Length];
            var bytes = new FileInfo(file).Length;
            var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes("answers-" + i)));
            var features = FeaturesOf(type);
            var doc = new Dictionary<string, object?> { ["gif_sha"] = sha, ["gif_name"] = Path.GetFileName(file), ["extraction_version"] = FeatureExtractor.Version };
            foreach (var (k, v) in features) doc[k] = v;
            var gifId = await store.UpsertGifAsync(new GifRecord(sha, $"{type.Name()}-{i}-{Path.GetFileName(file)}", file, bytes, 100, 100, 10, 1000, 0,
                JsonSerializer.Serialize(doc), FeatureExtractor.Version, DateTimeOffset.UtcNow, "ok"), CancellationToken.None);
            var runs = new List<RunRecord>();
            foreach (var pipeline in Pipelines)
            {
                var isColor = pipeline.ColorTool != "none-color";
                // Bytes per unit of quality lost: gifski is the most efficient on photos, gifsicle elsewhere.
                var strength = pipeline.LossyTool switch
                {
                    "gifsicle-lossy" => type == ContentType.Photo ? 0.5 : 1.2,
                    "gifski-lossy" => type == ContentType.Photo ? 1.4 : 0.5,
                    "imagemagick-lossy" => 0.8,
                    _ => 0.7,
                } * (0.9 + 0.2 * rng.NextDouble());
                foreach (var preset in isColor ? colors : lossy)
                {
                    var x = isColor ? Math.Log2(256.0 / preset.ColorCount) / 4 : preset.LossyLevel / 100.0;
                    var loss = 0.25 * x;
                    var size = Math.Max(50, (long)(bytes * Math.Exp(-strength * x * 1.5) * (0.97 + 0.06 * rng.NextDouble())));
                    var composite = Math.Clamp(1 - loss * (0.9 + 0.2 * rng.NextDouble()), 0, 1);
                    var metrics = string.Create(CultureInfo.InvariantCulture, $"{{\"composite_score\":{composite:R},\"ssim\":{1 - loss / 5:R},\"frame_count\":10,\"null_reasons\":{{}}}}");
                    var corrupted = i == 1 && preset.LossyLevel == 100 && !isColor;
                    runs.Add(corrupted
                        ? RunRecord.Rejected(gifId, ids.Pipelines[pipeline], ids.Presets[preset], 10, 2, null, "corrupted", size, (double)bytes / size, null, null,
                            "frame count 3, expected 10", null)
                        : RunRecord.Valid(gifId, ids.Pipelines[pipeline], ids.Presets[preset], 10, 2, null, size, (double)bytes / size, metrics, null, null));
                }
            }
            await store.SaveRunsAsync(runs, CancellationToken.None);
        }
        await store.RecordFileFailureAsync(new FailureRecord(null, null, null, "GifFormatException", "truncated image data", true, FilePath: "/nowhere/broken.gif"), CancellationToken.None);
    }
}
