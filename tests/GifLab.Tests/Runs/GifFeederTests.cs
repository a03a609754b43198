using System.Collections.Concurrent;
using GifLab.Core.Decoding;
using GifLab.Core.Encoding;
using GifLab.Core.Metrics;
using GifLab.Core.Model;
using GifLab.Engines;
using GifLab.Pipelines;
using GifLab.Runs;
using GifLab.Storage;
using GifLab.Storage.Sqlite;
using GifLab.Tests.Engines;
using Microsoft.Data.Sqlite;

namespace GifLab.Tests.Runs;

/// <summary>
/// Several GIFs are prepared at once (<see cref="GifFeeder"/>, a quarter of the jobs), their runs are queued as soon as
/// each is ready, and a GIF whose runs are capped by the memory budget does not hold up the others. No timing is
/// asserted: overlap is shown by a store that waits inside the first call of every preparation until a second
/// preparation arrives, and scheduling by the order of finished runs.
/// </summary>
public class GifFeederTests
{
    private static readonly PipelineId PassThrough = new("none-frame", "none-color", "none-lossy");

    [Theory]
    [InlineData(1, 1)]
    [InlineData(4, 1)]
    [InlineData(8, 2)]
    [InlineData(16, 4)]
    public void Preparers_AQuarterOfTheJobs_AtLeastOne(int jobs, int preparers) => Assert.Equal(preparers, GifFeeder.PreparersFor(jobs));

    [Fact(Timeout = 120_000)]
    public async Task EightJobs_TwoGifsPreparedInOverlap_NeverMore_AndEveryRunStoredOnce()
    {
        using var dir = new TempDir();
        var gifs = WriteGifs(dir, ("a", 40, 30, 6), ("b", 36, 30, 6), ("c", 32, 30, 6), ("d", 30, 30, 6), ("e", 28, 30, 6));
        var plan = PassThroughPlan(6);
        var catalog = await EngineCatalog.ProbeAsync(new EngineSettings { SearchPath = "/nonexistent", UseEnvironment = false }, CancellationToken.None);

        // A preparation left alone at the end waits 3 s for a partner that does not come.
        await using var store = new OverlapStore(new SqliteResultStore(dir.File("runs.db")), meetingOf: 2, patience: TimeSpan.FromSeconds(3));
        await store.InitializeAsync(CancellationToken.None);
        var summary = await new RunExecutor(store, catalog, new PipelineExecutor(catalog, EngineSettings.Default))
            .RunAsync(new RunOptions { InputPath = gifs, Jobs = 8, TempRoot = dir.File("tmp") }, plan, CancellationToken.None);

        Assert.Equal(2, store.MaxInside);   // two preparations met inside the store; never a third
        Assert.True(store.Met > 0, "no two preparations overlapped");
        Assert.Equal(5, summary.GifsProcessed);
        Assert.Equal(5 * plan.Items.Count, summary.RunsValid);
        Assert.Equal(5 * plan.Items.Count, RowCount(dir.File("runs.db")));
    }

    [Fact(Timeout = 120_000)]
    public async Task FourJobs_OnePreparationAtATime()
    {
        using var dir = new TempDir();
        var gifs = WriteGifs(dir, ("a", 40, 30, 4), ("b", 36, 30, 4), ("c", 32, 30, 4));
        var plan = PassThroughPlan(4);
        var catalog = await EngineCatalog.ProbeAsync(new EngineSettings { SearchPath = "/nonexistent", UseEnvironment = false }, CancellationToken.None);

        // Waits up to 300 ms per preparation for a second one, which must never come.
        await using var store = new OverlapStore(new SqliteResultStore(dir.File("runs.db")), meetingOf: 2, patience: TimeSpan.FromMilliseconds(300));
        await store.InitializeAsync(CancellationToken.None);
        var summary = await new RunExecutor(store, catalog, new PipelineExecutor(catalog, EngineSettings.Default))
            .RunAsync(new RunOptions { InputPath = gifs, Jobs = 4, TempRoot = dir.File("tmp") }, plan, CancellationToken.None);

        Assert.Equal(1, store.MaxInside);
        Assert.Equal(3 * plan.Items.Count, summary.RunsValid);
    }

    [Fact(Timeout = 180_000)]
    public async Task StoredRows_SameWithOneJobAndWithSixteen()
    {
        using var dir = new TempDir();
        var gifs = WriteGifs(dir, ("a", 48, 40, 8), ("b", 40, 32, 5), ("c", 32, 24, 7), ("d", 24, 24, 3), ("e", 64, 16, 4), ("f", 16, 16, 2));
        var catalog = await EngineCatalog.ProbeAsync(EngineSettings.Default, CancellationToken.None);
        var items = PassThroughPlan(3).Items.ToList();
        // With gifsicle, real outputs that differ per preset (else pass-through only).
        if (catalog.Family(ToolFamilies.Gifsicle) is { Available: true })
            foreach (var lossy in new[] { 0, 40, 80 })
                foreach (var colors in new[] { 256, 16 })
                    items.Add(new PlannedItem(new PipelineId("none-frame", "gifsicle-color", "gifsicle-lossy"), new ParamPreset(lossy, colors, 1.0)));
        var plan = new RunPlan(items, [], 1, items.Count);

        async Task<List<string>> Rows(string db, int jobs)
        {
            await using (var store = new SqliteResultStore(db))
            {
                await store.InitializeAsync(CancellationToken.None);
                var summary = await new RunExecutor(store, catalog, new PipelineExecutor(catalog, EngineSettings.Default))
                    .RunAsync(new RunOptions { InputPath = gifs, Jobs = jobs, TempRoot = dir.File("tmp") }, plan, CancellationToken.None);
                Assert.Equal(6 * items.Count, summary.RunsExecuted);
            }
            return StoredRows(db);
        }

        var one = await Rows(dir.File("one.db"), 1);
        var sixteen = await Rows(dir.File("sixteen.db"), 16);
        Assert.Equal(6 * items.Count, one.Count);
        Assert.Equal(one, sixteen);
    }

    /// <summary>
    /// A large GIF whose runs must go one at a time (memory budget) comes first; a small GIF's runs run beside it on the
    /// idle workers. Before, the large GIF's queued runs held every worker waiting on its gate, so the small GIF's first
    /// run could only start once the large one's runs had all been taken (after its 16th of 20 had finished).
    /// </summary>
    [Fact(Timeout = 180_000)]
    public async Task GatedLargeGif_DoesNotHoldUpTheNextGifsRuns()
    {
        using var dir = new TempDir();
        var gifs = WriteGifs(dir, ("large", 160, 120, 12), ("small", 16, 16, 2));
        var plan = PassThroughPlan(20);
        var catalog = await EngineCatalog.ProbeAsync(new EngineSettings { SearchPath = "/nonexistent", UseEnvironment = false }, CancellationToken.None);
        var options = new RunOptions { InputPath = gifs, Jobs = 4, TempRoot = dir.File("tmp"), ShareIdenticalOutputs = false };

        // A budget that fits the large GIF with one run in flight (not two), and leaves room for the small one.
        (long Pixels, long Cache) Size(string name)
        {
            var frames = GifDecoder.Decode(File.ReadAllBytes(Path.Combine(gifs, name + ".gif")));
            Assert.False(frames.HasTransparentPixels);
            return ((long)frames.Width * frames.Height * frames.FrameCount, PreparedReference.EstimatedCacheBytes(frames, options.ToMetricOptions()));
        }
        var (large, small) = (Size("large"), Size("small"));
        var budget = MemoryBudget.EstimateBytes(large.Pixels, 1, false, large.Cache) + MemoryBudget.RunBytesPerPixel * large.Pixels / 2
                     + MemoryBudget.EstimateBytes(small.Pixels, 4, false, small.Cache);
        Assert.Equal(1, MemoryBudget.ConcurrentRuns(large.Pixels, budget, 4, 20, false, large.Cache));
        Assert.Equal(4, MemoryBudget.ConcurrentRuns(small.Pixels, budget, 4, 20, false, small.Cache));

        var observer = new FinishOrder();
        await using var store = new SqliteResultStore(dir.File("runs.db"));
        await store.InitializeAsync(CancellationToken.None);
        var summary = await new RunExecutor(store, catalog, new PipelineExecutor(catalog, EngineSettings.Default), observer)
            .RunAsync(options with { MemoryBudgetBytes = budget }, plan, CancellationToken.None);

        Assert.Equal(40, summary.RunsValid);
        var order = observer.Names.ToList();
        var firstSmall = order.IndexOf("small");
        var largeBefore = order.Take(firstSmall).Count(n => n == "large");
        Assert.True(largeBefore < 16, $"the small GIF's first run finished after {largeBefore} of the large GIF's runs: {string.Join(",", order)}");
    }

    private static RunPlan PassThroughPlan(int presets)
    {
        var items = Enumerable.Range(0, presets).Select(i => new PlannedItem(PassThrough, new ParamPreset(0, 256 - i, 1.0))).ToList();
        return new RunPlan(items, [], 1, items.Count);
    }

    /// <summary>Writes distinct noisy GIFs (name, width, height, frames) into a folder.</summary>
    private static string WriteGifs(TempDir dir, params (string Name, int W, int H, int Frames)[] specs)
    {
        var folder = Directory.CreateDirectory(dir.File("in")).FullName;
        var seed = 1;
        foreach (var (name, w, h, n) in specs)
        {
            var rng = new Random(seed++);
            var frames = Enumerable.Range(0, n).Select(_ =>
            {
                var rgba = new byte[w * h * 4];
                rng.NextBytes(rgba);
                for (var i = 3; i < rgba.Length; i += 4) rgba[i] = 255;
                return rgba;
            }).ToList();
            File.WriteAllBytes(Path.Combine(folder, name + ".gif"), GifEncoder.Encode(w, h, frames, Enumerable.Repeat(50, n).ToList()));
        }
        return folder;
    }

    private static int RowCount(string db) => StoredRows(db).Count;

    /// <summary>Every stored run without ids or times: GIF, pipeline, preset, status, size, metrics, validation.</summary>
    private static List<string> StoredRows(string db)
    {
        using var c = new SqliteConnection($"Data Source={db};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = """
            SELECT g.sha256 || '|' || p.identifier || '|' || pp.lossy_level || '|' || pp.color_count || '|' || r.validation_status
                   || '|' || r.output_size_bytes || '|' || coalesce(r.metrics_json, '') || '|' || coalesce(r.validation_json, '')
            FROM compression_runs r JOIN gifs g ON g.id = r.gif_id JOIN pipelines p ON p.id = r.pipeline_id
            JOIN param_presets pp ON pp.id = r.param_preset_id ORDER BY 1
            """;
        using var reader = cmd.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read()) rows.Add(reader.GetString(0));
        return rows;
    }

    /// <summary>Names (file stem) of the GIFs whose runs finished, in finishing order.</summary>
    private sealed class FinishOrder : IRunObserver
    {
        public ConcurrentQueue<string> Names { get; } = new();
        public void Discovered(int files) { }
        public void GifStarted(string path, int pendingRuns) { }
        public void GifFailed(string path, string reason) { }
        public void RunFinished(string path, PipelineId pipeline, ParamPreset preset, string status) => Names.Enqueue(Path.GetFileNameWithoutExtension(path));
        public void Committed(int runs) { }
    }

    /// <summary>
    /// A real store whose <see cref="GetGifAsync"/> (the first step of every GIF's preparation) waits until
    /// <c>meetingOf</c> callers are inside at once, or <c>patience</c> has passed; counts the most callers inside at once.
    /// </summary>
    private sealed class OverlapStore(IResultStore inner, int meetingOf, TimeSpan? patience = null) : GifLab.Tests.Storage.DelegatingResultStore(inner)
    {
        private readonly Lock _lock = new();
        private int _inside;
        private TaskCompletionSource _meeting = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int MaxInside { get; private set; }
        public int Met { get; private set; }

        public override async Task<(long Id, GifRecord Gif)?> GetGifAsync(string sha256, CancellationToken ct)
        {
            Task meeting;
            lock (_lock)
            {
                _inside++;
                MaxInside = Math.Max(MaxInside, _inside);
                meeting = _meeting.Task;
                if (_inside >= meetingOf)
                {
                    Met++;
                    _meeting.TrySetResult();
                }
            }
            try
            {
                try { await meeting.WaitAsync(patience ?? TimeSpan.FromSeconds(20), ct); }
                catch (TimeoutException) { }
                return await Inner.GetGifAsync(sha256, ct);
            }
            finally
            {
                lock (_lock)
                {
                    if (--_inside == 0) _meeting = new(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }
        }
    }
}
