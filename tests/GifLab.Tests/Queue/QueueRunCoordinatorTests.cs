using GifLab.Core.Model;
using GifLab.Queue;
using GifLab.Storage;
using GifLab.Storage.Postgres;
using GifLab.Tests.Storage;
using Xunit.Abstractions;

namespace GifLab.Tests.Queue;

/// <summary>The run-loop adapter on a real PostgreSQL queue (skipped without a server).</summary>
public sealed class QueueRunCoordinatorTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly PipelineId Pipeline = new("none-frame", "none-color", "gifsicle-lossy");
    private readonly string _schema = PostgresTestServer.NewSchemaName();
    private PostgresResultStore? _store;
    private StoredIds _ids;

    public async Task InitializeAsync()
    {
        if (PostgresTestServer.SkipReason is { } reason)
        {
            output.WriteLine(reason);
            return;
        }
        _store = await PostgresTestServer.NewStoreAsync(_schema);
        _ids = await _store!.EnsurePipelinesAndPresetsAsync([Pipeline], ParamPreset.DefaultLossyLevels.Select(l => new ParamPreset(l, 256, 1.0)), default);
    }

    public async Task DisposeAsync()
    {
        if (_store is not null) await _store.DisposeAsync();
        await PostgresTestServer.DropSchemaAsync(_schema);
    }

    private IEnumerable<(long, long)> AllKeys() => _ids.Presets.Values.Order().Select(r => (_ids.Pipelines[Pipeline], r));

    /// <summary>The call sequence the executor would make: enqueue → next → upsert GIF + attach → run → commit.</summary>
    [Fact]
    public async Task RunLoopSequence_StoresEveryRunOnce_AndDrainsTheQueue()
    {
        if (_store is null) return;
        var queue = new PostgresWorkQueue(_store!.SharedDatabase, WorkQueueOptions.Default with { Lease = TimeSpan.FromSeconds(3) });
        await using var coordinator = await QueueRunCoordinator.StartAsync(queue, default);
        string[] shas = [new('1', 64), new('2', 64), new('3', 64)];
        foreach (var sha in shas) Assert.Equal(11, await coordinator.EnqueueAsync(sha, $"/in/{sha[0]}.gif", AllKeys(), default));
        Assert.Equal(0, await coordinator.EnqueueAsync(shas[0], "/in/1.gif", AllKeys(), default)); // another worker enqueues too

        var committed = 0;
        while (await coordinator.NextAsync(2, default) is { Count: > 0 } batch)
        {
            foreach (var work in batch)
            {
                var gifId = await _store.UpsertGifAsync(new GifRecord(work.GifSha, Path.GetFileName(work.FilePath!), work.FilePath, 10,
                    null, null, null, null, null, null, null, DateTimeOffset.UtcNow, "ok"), default);
                coordinator.Attach(work, gifId);
                // The first claim of each GIF is "already stored" (rerun policy says skip); the rest run.
                await coordinator.SkipAsync([work.Claims[0]], default);
                var runs = work.Claims.Skip(1).Select(c => RunRecord.Valid(gifId, c.PipelineId, c.PresetId, 1, 1, null, outputSizeBytes: 5, compressionRatio: 2.0, metricsJson: "{}", null, null)).ToList();
                var result = await coordinator.CommitAsync(runs, default);
                Assert.Empty(result.Lost);
                committed += result.Completed.Count;
            }
        }
        Assert.Equal(30, committed);
        Assert.Equal(30, (await _store.GetStatsAsync(default)).Runs);
        var p = await queue.GetProgressAsync(default);
        Assert.Equal((0L, 0L, 33L, 1L), (p.Pending, p.Claimed, p.Done, p.WorkersActive));
    }

    [Fact]
    public async Task BackgroundHeartbeat_HoldsClaims_AndDisposeReleasesThem()
    {
        if (_store is null) return;
        // Lease 3 s, heartbeat every 1 s: holds even when a loaded machine delays the heartbeat by a second or two.
        var queue = new PostgresWorkQueue(_store!.SharedDatabase, WorkQueueOptions.Default with { Lease = TimeSpan.FromSeconds(3) });
        var other = await queue.RegisterWorkerAsync(default);
        await using (var coordinator = await QueueRunCoordinator.StartAsync(queue, default))
        {
            await coordinator.EnqueueAsync(new string('a', 64), "/in/a.gif", AllKeys(), default);
            await coordinator.EnqueueAsync(new string('b', 64), "/in/b.gif", AllKeys(), default);
            var mine = Assert.Single(await coordinator.NextAsync(1, default));
            Assert.Equal((new string('a', 64), 11), (mine.GifSha, mine.Claims.Count));
            await Task.Delay(7000); // > 2 leases: only the heartbeat keeps them
            var theirs = await queue.ClaimAsync(other, 50, default);
            Assert.Equal(11, theirs.Count);
            Assert.All(theirs, c => Assert.Equal(new string('b', 64), c.GifSha));
            Assert.Equal(0, coordinator.HeartbeatFailures);
        }
        var p = await queue.GetProgressAsync(default);
        Assert.Equal((11L, 11L), (p.Pending, p.Claimed)); // the coordinator's 11 were handed back on dispose
    }

    [Fact]
    public async Task Commit_OfARunWithoutAttachedClaim_IsABug()
    {
        if (_store is null) return;
        await using var coordinator = await QueueRunCoordinator.StartAsync(new PostgresWorkQueue(_store!.SharedDatabase), default);
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            coordinator.CommitAsync([RunRecord.Valid(1, 1, 1, 1, 1, null, outputSizeBytes: 5, compressionRatio: 2.0, metricsJson: "{}", null, null)], default));
    }
}
