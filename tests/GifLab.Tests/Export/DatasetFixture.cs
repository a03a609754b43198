using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GifLab.Core.Model;
using GifLab.Storage;
using GifLab.Storage.Sqlite;

namespace GifLab.Tests.Export;

/// <summary>
/// Hand-made databases written through <see cref="SqliteResultStore"/>'s public methods, with values chosen so the
/// expected curves can be worked out by hand: output size of a run = 10,000 − 50·L − 10·(256 − C) bytes (original 20,000),
/// composite_score = 1 − L/200, ssim = 1 − L/400.
/// </summary>
internal static class DatasetFixture
{
    public const long OriginalSize = 20_000;
    public static readonly PipelineId GifsicleLossy = new("none-frame", "none-color", "gifsicle-lossy");
    public static readonly PipelineId GifsicleColor = new("none-frame", "gifsicle-color", "gifsicle-lossy");
    public static readonly PipelineId FfmpegLossy = new("none-frame", "none-color", "ffmpeg-lossy");
    public static readonly PipelineId GifsicleO3 = new("none-frame", "none-color", "gifsicle-lossy-O3");

    public static string Sha(string seed) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed)));

    public static long Size(int lossy, int colors) => 10_000 - 50 * lossy - 10 * (256 - colors);

    public static string Metrics(int lossy, int colors) => string.Create(CultureInfo.InvariantCulture,
        $$$"""{"ssim":{{{1 - lossy / 400.0}}},"psnr":{{{40 - lossy / 10.0}}},"ms_ssim":null,"composite_score":{{{1 - lossy / 200.0 - (256 - colors) / 10000.0}}},"metric_set_version":1,"null_reasons":{"ms_ssim":"frame smaller than 11x11"}}""");

    public static string Features(string sha, string name) => string.Create(CultureInfo.InvariantCulture,
        $$"""{"gif_sha":"{{sha}}","gif_name":{{System.Text.Json.JsonSerializer.Serialize(name)}},"extraction_version":"1.0.0","extracted_at":"2026-01-01T00:00:00Z","width":32,"height":24,"frame_count":3,"entropy":4.25,"edge_density":0.125}""");

    /// <summary>
    /// One GIF (name with a comma, quotes and a newline): gifsicle lossy curve with L=50 failed (tool:timeout) and
    /// L=100 never run; gifsicle colour curve complete; one ffmpeg lossy run at L=0; one gifsicle-lossy-O3 run (no engine).
    /// A second GIF has no runs and no features.
    /// </summary>
    public static async Task<string> CreateSmallAsync(string path)
    {
        await using var store = new SqliteResultStore(path);
        await store.InitializeAsync(default);
        await store.SyncToolsAsync([new ToolRow("gifsicle-lossy", "lossy_compression", "gifsicle", "gifsicle", "gifsicle", true, "/usr/bin/gifsicle", "1.94", null)], default);
        var presets = new List<ParamPreset>();
        foreach (var l in ParamPreset.DefaultLossyLevels) presets.Add(new(l, 256, 1.0));
        foreach (var c in ParamPreset.DefaultColorCounts) presets.Add(new(0, c, 1.0));
        var ids = await store.EnsurePipelinesAndPresetsAsync([GifsicleLossy, GifsicleColor, FfmpegLossy, GifsicleO3], presets, default);
        var sha = Sha("gif-a");
        const string name = "a, \"quoted\"\nname.gif";
        var gifId = await store.UpsertGifAsync(new GifRecord(sha, name, "/x/" + name, OriginalSize, 32, 24, 3, 1000, 0,
            Features(sha, name), "1.0.0", DateTimeOffset.UtcNow, "ok"), default);
        var runs = new List<RunRecord>();
        foreach (var l in ParamPreset.DefaultLossyLevels)
        {
            if (l == 100) continue;
            var preset = ids.Presets[new ParamPreset(l, 256, 1.0)];
            if (l == 50)
            {
                runs.Add(RunRecord.Failed(gifId, ids.Pipelines[GifsicleLossy], preset, durationMs: 5, metricSetVersion: 1, toolVersionsJson: null,
                    "tool:timeout", "gifsicle timed out after 120 s", permanent: false, commandLine: null));
                continue;
            }
            runs.Add(Ok(gifId, ids.Pipelines[GifsicleLossy], preset, l, 256));
        }
        foreach (var c in ParamPreset.DefaultColorCounts)
            runs.Add(Ok(gifId, ids.Pipelines[GifsicleColor], ids.Presets[new ParamPreset(0, c, 1.0)], 0, c));
        runs.Add(Ok(gifId, ids.Pipelines[FfmpegLossy], ids.Presets[new ParamPreset(0, 256, 1.0)], 0, 256));
        runs.Add(Ok(gifId, ids.Pipelines[GifsicleO3], ids.Presets[new ParamPreset(0, 256, 1.0)], 0, 256));
        await store.SaveRunsAsync(runs, default);
        await store.UpsertGifAsync(new GifRecord(Sha("gif-b"), "b.gif", "/x/b.gif", 500, null, null, null, null, null, null, null, DateTimeOffset.UtcNow, "error"), default);
        return sha;
    }

    public static RunRecord Ok(long gifId, long pipelineId, long presetId, int lossy, int colors)
    {
        var size = Size(lossy, colors);
        return RunRecord.Valid(gifId, pipelineId, presetId, durationMs: 10, metricSetVersion: 1, toolVersionsJson: null,
            outputSizeBytes: size, compressionRatio: (double)OriginalSize / size, metricsJson: Metrics(lossy, colors), validationJson: null, engineCpuMs: null);
    }
}
