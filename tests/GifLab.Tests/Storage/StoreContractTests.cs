using GifLab.Core.Model;
using GifLab.Storage;
using Xunit.Abstractions;

namespace GifLab.Tests.Storage;

/// <summary>
/// The storage contract (STYLE.md §8): every <see cref="IResultStore"/> passes these tests. Subclasses provide a fresh,
/// empty store per test (<see cref="OpenAsync"/>) and may return null to skip (the reason goes to the test output).
/// </summary>
public abstract class StoreContractTests(ITestOutputHelper output) : IAsyncLifetime
{
    protected static readonly PipelineId Gifsicle = new("none-frame", "none-color", "gifsicle-lossy");
    protected static readonly PipelineId Lossy = new("none-frame", "none-color", "animately-lossy");

    protected ITestOutputHelper Output { get; } = output;

    private IResultStore? _store;

    /// <summary>A fresh store for this test, or null (with the reason written to the output) to skip.</summary>
    protected abstract Task<IResultStore?> OpenAsync();

    /// <summary>Opens a second store on the same database (another process, or a restart).</summary>
    protected abstract Task<IResultStore> ReopenAsync();

    /// <summary>Removes the test's database.</summary>
    protected abstract Task CleanupAsync();

    public async Task InitializeAsync() => _store = await OpenAsync();

    public async Task DisposeAsync()
    {
        if (_store is not null) await _store.DisposeAsync();
        await CleanupAsync();
    }

    private bool Skipped(out IResultStore store)
    {
        store = _store!;
        return _store is null;
    }

    [Fact]
    public async Task Initialize_AgainFromAnotherStore_IsIdempotentAndKeepsData()
    {
        if (Skipped(out var store)) return;
        var (gifId, ids) = await Seed(store);
        await store.SaveRunsAsync([Run(gifId, ids.Pipelines[Gifsicle], ids.Presets[Preset(0)], "valid", null)], default);
        await using var again = await ReopenAsync();
        await again.InitializeAsync(default);
        await again.InitializeAsync(default);
        var stats = await again.GetStatsAsync(default);
        Assert.Equal((1L, 1L), (stats.Gifs, stats.Runs));
        Assert.DoesNotContain("password", again.Location, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SaveRuns_SameKeyTwice_KeepsOneRowWithLatestValues_AndClearsFailure()
    {
        if (Skipped(out var store)) return;
        var (gifId, ids) = await Seed(store);
        var (pid, rid) = (ids.Pipelines[Gifsicle], ids.Presets[Preset(0)]);

        await store.SaveRunsAsync([Run(gifId, pid, rid, "error", new FailureRecord(gifId, pid, rid, "tool:timeout", "boom", Permanent: false))], default);
        var states = await store.GetRunStatesAsync(gifId, default);
        Assert.Equal(new RunState(true, "error", 1, false), states[(pid, rid)]);

        await store.SaveRunsAsync([Run(gifId, pid, rid, "valid", null)], default);
        await store.SaveRunsAsync([Run(gifId, pid, rid, "valid", null)], default);
        var stats = await store.GetStatsAsync(default);
        Assert.Equal((1L, 0L), (stats.Runs, stats.Failures));
        Assert.Equal(new RunState(true, "valid", 1, null), (await store.GetRunStatesAsync(gifId, default))[(pid, rid)]);
    }

    [Fact]
    public async Task SaveRuns_KeyRepeatedInOneBatch_KeepsTheLastRecordAndOnlyItsFailure()
    {
        if (Skipped(out var store)) return;
        var (gifId, ids) = await Seed(store);
        var (pid, rid) = (ids.Pipelines[Gifsicle], ids.Presets[Preset(10)]);
        await store.SaveRunsAsync([
            Run(gifId, pid, rid, "error", new FailureRecord(gifId, pid, rid, "tool:exit", "first", true)),
            Run(gifId, pid, rid, "corrupted", new FailureRecord(gifId, pid, rid, "output:corrupted", "second", true)),
        ], default);
        var stats = await store.GetStatsAsync(default);
        Assert.Equal((1L, 1L), (stats.Runs, stats.Failures));
        Assert.Equal("output:corrupted", Assert.Single(stats.FailuresByType).Name);
        Assert.Equal("corrupted", (await store.GetRunStatesAsync(gifId, default))[(pid, rid)].ValidationStatus);
    }

    [Fact]
    public async Task SaveRuns_EmptyBatch_ChangesNothing()
    {
        if (Skipped(out var store)) return;
        await Seed(store);
        await store.SaveRunsAsync([], default);
        Assert.Equal(0, (await store.GetStatsAsync(default)).Runs);
    }

    [Fact]
    public async Task SaveRuns_LargeBatch_StoresEveryRun()
    {
        if (Skipped(out var store)) return;
        var (_, ids) = await Seed(store);
        var runs = new List<RunRecord>();
        for (var g = 0; g < 100; g++)
        {
            var gifId = await store.UpsertGifAsync(Gif(g.ToString("x64"), $"g{g}.gif"), default);
            foreach (var pipeline in new[] { Gifsicle, Lossy })
                foreach (var level in ParamPreset.DefaultLossyLevels)
                    runs.Add(Run(gifId, ids.Pipelines[pipeline], ids.Presets[Preset(level)], "valid", null));
        }
        await store.SaveRunsAsync(runs, default);
        var stats = await store.GetStatsAsync(default);
        Assert.Equal(2200, stats.Runs);
        Assert.Equal(2, stats.RunsPerEngine.Count);
        Assert.All(stats.RunsPerEngine, e => Assert.Equal((1100L, 1100L), (e.Runs, e.Valid)));
    }

    [Fact]
    public async Task Stats_CountsRunsPerEngineAndFailuresByType()
    {
        if (Skipped(out var store)) return;
        var (gifId, ids) = await Seed(store);
        var pid = ids.Pipelines[Gifsicle];
        var runs = ParamPreset.DefaultLossyLevels.Select((l, i) =>
            Run(gifId, pid, ids.Presets[Preset(l)], i == 0 ? "error" : i == 1 ? "corrupted" : "valid",
                i == 0 ? new FailureRecord(gifId, pid, ids.Presets[Preset(l)], "tool:exit", "exit 1", true) : null)).ToList();
        await store.SaveRunsAsync(runs, default);
        await store.RecordFileFailureAsync(new FailureRecord(null, null, null, "file:not-a-gif", "x.gif: missing signature", true, FilePath: "/x.gif"), default);
        await store.RecordFileFailureAsync(new FailureRecord(null, null, null, "file:not-a-gif", "x.gif: missing signature", true, FilePath: "/x.gif"), default);
        await store.RecordFileFailureAsync(new FailureRecord(null, null, null, "file:unreadable", "y.gif: EACCES", false, FilePath: "/y.gif"), default);

        var stats = await store.GetStatsAsync(default);
        Assert.Equal(11, stats.Runs);
        var engine = Assert.Single(stats.RunsPerEngine);
        Assert.Equal(("gifsicle", 11L, 9L, 1L, 1L), (engine.Engine, engine.Runs, engine.Valid, engine.Corrupted, engine.Error));
        Assert.Equal((3L, 2L, 1L), (stats.Failures, stats.PermanentFailures, stats.TransientFailures));
        Assert.Contains(stats.FailuresByType, f => f.Name == "file:not-a-gif" && f.Count == 1);
        Assert.Equal(11, Assert.Single(stats.RunsPerGif).Count);
        Assert.Equal(new NamedCount(Gifsicle.Identifier, 11), Assert.Single(stats.RunsPerPipeline));
        Assert.Equal((2L, 11L), (stats.Pipelines, stats.Presets));
        Assert.Equal(4, stats.Tools); // three synced + animately-lossy registered by its pipeline
    }

    [Fact]
    public async Task ClearFileFailures_RemovesOnlyThatPathsFileLevelFailures()
    {
        if (Skipped(out var store)) return;
        var (gifId, ids) = await Seed(store);
        var (pid, rid) = (ids.Pipelines[Gifsicle], ids.Presets[Preset(0)]);
        await store.RecordFileFailureAsync(new FailureRecord(null, null, null, "file:not-a-gif", "a", true, FilePath: "/a.gif"), default);
        await store.RecordFileFailureAsync(new FailureRecord(null, null, null, "file:not-a-gif", "b", true, FilePath: "/b.gif"), default);
        await store.SaveRunsAsync([Run(gifId, pid, rid, "error", new FailureRecord(gifId, pid, rid, "tool:exit", "x", true, FilePath: "/a.gif"))], default);
        await store.ClearFileFailuresAsync("/a.gif", default);
        var stats = await store.GetStatsAsync(default);
        Assert.Equal(2, stats.Failures); // b's file failure and the run failure remain
        Assert.True((await store.GetRunStatesAsync(gifId, default))[(pid, rid)].FailurePermanent);
    }

    [Fact]
    public async Task RunStates_FailureWithoutRun_ReportsPermanence_TransientWinsWhenMixed()
    {
        if (Skipped(out var store)) return;
        var (gifId, ids) = await Seed(store);
        var pid = ids.Pipelines[Gifsicle];
        var (r0, r1) = (ids.Presets[Preset(0)], ids.Presets[Preset(10)]);
        await store.RecordFileFailureAsync(new FailureRecord(gifId, pid, r0, "tool:exit", "a", Permanent: true), default);
        await store.RecordFileFailureAsync(new FailureRecord(gifId, pid, r1, "tool:exit", "b", Permanent: true), default);
        await store.RecordFileFailureAsync(new FailureRecord(gifId, pid, r1, "tool:timeout", "c", Permanent: false), default);
        var states = await store.GetRunStatesAsync(gifId, default);
        Assert.Equal(new RunState(false, null, null, true), states[(pid, r0)]);
        Assert.Equal(new RunState(false, null, null, false), states[(pid, r1)]);
        Assert.Equal(2, states.Count);
        Assert.Empty(await store.GetRunStatesAsync(gifId + 1000, default));
    }

    [Fact]
    public async Task EnsurePipelinesAndPresets_Twice_ReturnsTheSameIds()
    {
        if (Skipped(out var store)) return;
        var (_, first) = await Seed(store);
        var second = await store.EnsurePipelinesAndPresetsAsync([Lossy, Gifsicle, Gifsicle], [Preset(100), Preset(0), new ParamPreset(0, 64, 0.5)], default);
        Assert.Equal(first.Pipelines[Gifsicle], second.Pipelines[Gifsicle]);
        Assert.Equal(first.Pipelines[Lossy], second.Pipelines[Lossy]);
        Assert.Equal(first.Presets[Preset(100)], second.Presets[Preset(100)]);
        Assert.Equal(3, second.Presets.Count);
        Assert.DoesNotContain(second.Presets[new ParamPreset(0, 64, 0.5)], first.Presets.Values);
        Assert.Equal(12, (await store.GetStatsAsync(default)).Presets);
    }

    [Fact]
    public async Task Gif_RoundTripsEveryField_UnknownIsNull_UpdateKeepsFeatures()
    {
        if (Skipped(out var store)) return;
        Assert.Null(await store.GetGifAsync(new string('f', 64), default));
        var at = new DateTimeOffset(2026, 3, 4, 5, 6, 7, 891, TimeSpan.Zero);
        var gif = new GifRecord(new string('a', 64), "a.gif", "/data/a.gif", 12345, 320, 240, 17, 1700, 0, "{\"x\":1}", "1.0.0", at, "ok");
        var id = await store.UpsertGifAsync(gif, default);
        var stored = await store.GetGifAsync(gif.Sha256, default);
        Assert.Equal(id, stored!.Value.Id);
        Assert.Equal(gif, stored.Value.Gif);

        var id2 = await store.UpsertGifAsync(gif with { FeaturesJson = null, FeatureVersion = null, FilePath = "/b.gif", ProcessedAt = null, DecodeStatus = "error" }, default);
        Assert.Equal(id, id2);
        var updated = (await store.GetGifAsync(gif.Sha256, default))!.Value.Gif;
        Assert.Equal(("{\"x\":1}", "1.0.0", "/b.gif", (DateTimeOffset?)null, "error"),
            (updated.FeaturesJson, updated.FeatureVersion, updated.FilePath, updated.ProcessedAt, updated.DecodeStatus));
    }

    protected static ParamPreset Preset(int lossy) => new(lossy, 256, 1.0);

    protected static GifRecord Gif(string sha, string name) =>
        new(sha, name, "/" + name, 1000, 10, 10, 2, 200, 0, null, null, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), "ok");

    protected static async Task<(long GifId, StoredIds Ids)> Seed(IResultStore store)
    {
        await store.SyncToolsAsync([
            new ToolRow("none-frame", "frame_reduction", null, "", "none", true, null, "builtin", null),
            new ToolRow("none-color", "color_reduction", null, "", "none", true, null, "builtin", null),
            new ToolRow("gifsicle-lossy", "lossy_compression", "gifsicle", "", "gifsicle", true, "/usr/bin/gifsicle", "1.93", null),
        ], default);
        var ids = await store.EnsurePipelinesAndPresetsAsync([Gifsicle, Lossy], ParamPreset.DefaultLossyLevels.Select(Preset), default);
        var gifId = await store.UpsertGifAsync(Gif(new string('a', 64), "a.gif"), default);
        return (gifId, ids);
    }

    protected static RunRecord Run(long gif, long pipeline, long preset, string status, FailureRecord? failure) =>
        new()
        {
            GifId = gif, PipelineId = pipeline, PresetId = preset, ValidationStatus = status, DurationMs = 12, MetricSetVersion = 1,
            OutputSizeBytes = status == "valid" ? 500 : null, CompressionRatio = status == "valid" ? 2.0 : null,
            MetricsJson = status == "valid" ? "{\"ssim\":0.9}" : null, EngineCpuMs = 5.0, ToolVersionsJson = "{}", Failure = failure,
        };
}

/// <summary>The contract suite on SQLite (always runs).</summary>
public sealed class SqliteStoreContractTests(ITestOutputHelper output) : StoreContractTests(output)
{
    private readonly TempDir _dir = new();

    protected override async Task<IResultStore?> OpenAsync()
    {
        var store = new GifLab.Storage.Sqlite.SqliteResultStore(_dir.File("contract.db"));
        await store.InitializeAsync(default);
        return store;
    }

    protected override Task<IResultStore> ReopenAsync() =>
        Task.FromResult<IResultStore>(new GifLab.Storage.Sqlite.SqliteResultStore(_dir.File("contract.db")));

    protected override Task CleanupAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }
}
