using System.Collections.Concurrent;
using GifLab.Core.Model;
using GifLab.Queue;
using GifLab.Storage;
using GifLab.Storage.Postgres;
using GifLab.Tests.Storage;
using Npgsql;
using Xunit.Abstractions;

namespace GifLab.Tests.Queue;

/// <summary>The PostgreSQL work queue: disjoint claims under concurrency, leases, heartbeats, exactly-once completion.
/// One fresh schema per test; skipped (with the reason in the output) when no PostgreSQL server is available.</summary>
public sealed class PostgresWorkQueueTests(ITestOutputHelper output) : IAsyncLifetime
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

    /// <summary>Run keys for <paramref name="gifs"/> GIFs × 11 presets.</summary>
    private List<WorkKey> Keys(int gifs) =>
        [.. from g in Enumerable.Range(0, gifs)
            from preset in _ids.Presets.Values.Order()
            select new WorkKey(Sha(g), $"/corpus/{g}.gif", _ids.Pipelines[Pipeline], preset)];

    private static string Sha(int g) => g.ToString("x64");

    private async Task<RunRecord> RunFor(WorkClaim c)
    {
        var gifId = await _store!.UpsertGifAsync(new GifRecord(c.GifSha, Path.GetFileName(c.FilePath ?? "x.gif"), c.FilePath, 100,
            null, null, null, null, null, null, null, null, "ok"), default);
        return RunRecord.Valid(gifId, c.PipelineId, c.PresetId, 1, 1, null, outputSizeBytes: 50, compressionRatio: 2.0, metricsJson: "{}", null, null);
    }

    [Fact]
    public async Task Enqueue_IsIdempotent_AndProgressCountsPending()
    {
        if (_store is null) return;
        var queue = new PostgresWorkQueue(_store!.SharedDatabase);
        var keys = Keys(5);
        Assert.Equal(55, await queue.EnqueueAsync(keys, default));
        Assert.Equal(0, await queue.EnqueueAsync(keys.Concat(keys), default));
        Assert.Equal(new QueueProgress(55, 0, 0, 0, 0, 0, 0), await queue.GetProgressAsync(default));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ConcurrentClaimers_NeverGetTheSameItem_AndFinishTheQueue(bool byGif)
    {
        if (_store is null) return;
        var queue = new PostgresWorkQueue(_store!.SharedDatabase);
        var total = await queue.EnqueueAsync(Keys(100), default);
        Assert.Equal(1100, total);

        var claimed = new ConcurrentBag<long>();
        var perWorker = new ConcurrentDictionary<string, int>();
        var claimers = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            // Each claimer has its own store (own connection pool), as a separate process would.
            await using var store = new PostgresResultStore(PostgresTestServer.ConnectionString!, _schema);
            var q = new PostgresWorkQueue(store.SharedDatabase);
            var worker = await q.RegisterWorkerAsync(default);
            while (true)
            {
                var batch = byGif ? await q.ClaimGifsAsync(worker, 1, default) : await q.ClaimAsync(worker, 7, default);
                if (batch.Count == 0) break;
                foreach (var c in batch) claimed.Add(c.Id);
                perWorker.AddOrUpdate(worker, batch.Count, (_, n) => n + batch.Count);
                var result = await q.CompleteAsync(batch, default);
                Assert.Empty(result.Lost);
            }
        })).ToArray();
        await Task.WhenAll(claimers);

        Assert.Equal(total, claimed.Count);
        Assert.Equal(total, claimed.Distinct().Count());
        output.WriteLine(string.Join(", ", perWorker.Select(kv => $"{kv.Key}: {kv.Value}")));
        var progress = await queue.GetProgressAsync(default);
        Assert.Equal((0L, 0L, 1100L, 0L, 6L), (progress.Pending, progress.Claimed, progress.Done, progress.Failed, progress.WorkersSeen));
    }

    [Fact]
    public async Task ClaimGifs_TakesWholeGifs_AndConcurrentClaimersGetDifferentGifs()
    {
        if (_store is null) return;
        var queue = new PostgresWorkQueue(_store!.SharedDatabase);
        await queue.EnqueueAsync(Keys(3), default);
        var a = await queue.RegisterWorkerAsync(default);
        var b = await queue.RegisterWorkerAsync(default);
        var first = await queue.ClaimGifsAsync(a, 1, default);
        Assert.Equal(11, first.Count);
        Assert.Single(first.Select(c => c.GifSha).Distinct());
        var rest = await queue.ClaimGifsAsync(b, 5, default);
        Assert.Equal(22, rest.Count);
        Assert.Equal(2, rest.Select(c => c.GifSha).Distinct().Count());
        Assert.Empty(first.Select(c => c.Id).Intersect(rest.Select(c => c.Id)));
        Assert.Empty(await queue.ClaimGifsAsync(a, 5, default));
    }

    [Fact]
    public async Task DeadClaimer_ItemsAreReclaimedAfterTheLease_AndItsLateResultsAreNotStored()
    {
        if (_store is null) return;
        // A 3 s lease: the "still valid" check right after the claim must survive a stall of a
        // loaded CI machine (the Cli tests run beside this assembly).
        var options = WorkQueueOptions.Default with { Lease = TimeSpan.FromSeconds(3) };
        var queue = new PostgresWorkQueue(_store!.SharedDatabase, options);
        await queue.EnqueueAsync(Keys(1).Take(5), default);
        var dead = await queue.RegisterWorkerAsync(default);
        var live = await queue.RegisterWorkerAsync(default);

        var deadClaims = await queue.ClaimAsync(dead, 10, default);
        Assert.Equal(5, deadClaims.Count);
        Assert.Empty(await queue.ClaimAsync(live, 10, default)); // lease still valid

        await Task.Delay(3300); // the dead worker never heartbeats
        Assert.Equal(5, (await queue.GetProgressAsync(default)).ExpiredClaims);
        var liveClaims = await queue.ClaimAsync(live, 10, default);
        Assert.Equal(deadClaims.Select(c => c.Id), liveClaims.Select(c => c.Id));
        Assert.All(liveClaims, c => Assert.Equal(2, c.Attempt));

        // The "dead" worker wakes up and tries to store: every claim is lost, nothing stored.
        var late = await queue.SaveRunsAndCompleteAsync([.. await Task.WhenAll(deadClaims.Select(async c => new ClaimedRun(c, await RunFor(c))))], default);
        Assert.Empty(late.Completed);
        Assert.Equal(5, late.Lost.Count);
        Assert.Equal(0, (await _store.GetStatsAsync(default)).Runs);

        var done = await queue.SaveRunsAndCompleteAsync([.. await Task.WhenAll(liveClaims.Select(async c => new ClaimedRun(c, await RunFor(c))))], default);
        Assert.Equal(5, done.Completed.Count);
        Assert.Equal(5, (await _store.GetStatsAsync(default)).Runs);
        // Completing again (a retry after a lost COMMIT acknowledgement) stores nothing twice.
        var again = await queue.SaveRunsAndCompleteAsync([.. await Task.WhenAll(liveClaims.Select(async c => new ClaimedRun(c, await RunFor(c))))], default);
        Assert.Equal(5, again.Lost.Count);
        Assert.Equal(5, (await _store.GetStatsAsync(default)).Runs);
        Assert.Equal(5, (await queue.GetProgressAsync(default)).Done);
    }

    [Fact]
    public async Task Heartbeat_KeepsTheClaimPastTheLease()
    {
        if (_store is null) return;
        // Heartbeats every 250 ms for more than two 3 s leases. The lease is 12 heartbeats long so
        // that a stall of a loaded CI machine (1 s once lost the claim with a 1 s lease) cannot
        // pass for a heartbeat that failed to extend it.
        var lease = TimeSpan.FromSeconds(3);
        var queue = new PostgresWorkQueue(_store!.SharedDatabase, WorkQueueOptions.Default with { Lease = lease });
        await queue.EnqueueAsync(Keys(1).Take(3), default);
        var a = await queue.RegisterWorkerAsync(default);
        var b = await queue.RegisterWorkerAsync(default);
        var claims = await queue.ClaimAsync(a, 10, default);
        var held = System.Diagnostics.Stopwatch.StartNew();
        var beats = 0;
        while (held.Elapsed < 2.2 * lease)
        {
            await Task.Delay(250);
            Assert.Equal(3, await queue.HeartbeatAsync(a, default));
            Assert.Empty(await queue.ClaimAsync(b, 10, default));
            beats++;
        }
        Assert.True(beats >= 2, $"only {beats} heartbeats in {held.Elapsed}");
        Assert.Equal(3, (await queue.CompleteAsync(claims, default)).Completed.Count);
    }

    [Fact]
    public async Task SaveRunsAndComplete_WhenTheWriteFails_LeavesTheClaimOpenAndStoresNothing()
    {
        if (_store is null) return;
        var queue = new PostgresWorkQueue(_store!.SharedDatabase);
        await queue.EnqueueAsync(Keys(1).Take(2), default);
        var w = await queue.RegisterWorkerAsync(default);
        var claims = await queue.ClaimAsync(w, 10, default);
        var good = await RunFor(claims[0]);
        var bad = good with { PresetId = claims[1].PresetId, GifId = 999_999 }; // no such GIF: foreign key violation
        await Assert.ThrowsAsync<PostgresException>(() => queue.SaveRunsAndCompleteAsync([new(claims[0], good), new(claims[1], bad)], default));
        Assert.Equal(0, (await _store.GetStatsAsync(default)).Runs);
        Assert.Equal(2, (await queue.GetProgressAsync(default)).Claimed);
        // Same claims still valid afterwards.
        Assert.Equal(2, (await queue.SaveRunsAndCompleteAsync([new(claims[0], good), new(claims[1], await RunFor(claims[1]))], default)).Completed.Count);
    }

    [Fact]
    public async Task Fail_RetriesUntilMaxAttempts_ThenFails_AndReleaseReturnsClaims()
    {
        if (_store is null) return;
        var queue = new PostgresWorkQueue(_store!.SharedDatabase, WorkQueueOptions.Default with { MaxAttempts = 2 });
        await queue.EnqueueAsync(Keys(1).Take(2), default);
        var w = await queue.RegisterWorkerAsync(default);

        var first = await queue.ClaimAsync(w, 1, default);
        Assert.True(await queue.FailAsync(first[0], "tool timeout", retry: true, default));
        Assert.False(await queue.FailAsync(first[0], "again", retry: true, default)); // no longer claimed
        var second = await queue.ClaimAsync(w, 1, default);
        Assert.Equal((first[0].Id, 2), (second[0].Id, second[0].Attempt));
        Assert.True(await queue.FailAsync(second[0], "tool timeout", retry: true, default)); // attempts exhausted → failed

        var other = await queue.ClaimAsync(w, 5, default);
        Assert.Single(other);
        Assert.Equal(1, await queue.ReleaseAsync(w, default));
        var p = await queue.GetProgressAsync(default);
        Assert.Equal((1L, 0L, 0L, 1L), (p.Pending, p.Claimed, p.Done, p.Failed));
        Assert.Equal(1, (await queue.ClaimAsync(w, 5, default))[0].Attempt); // a clean release is not an attempt
    }

    [Fact]
    public async Task PoisonItem_ExpiringOnEveryAttempt_IsMarkedFailed()
    {
        if (_store is null) return;
        var queue = new PostgresWorkQueue(_store!.SharedDatabase, WorkQueueOptions.Default with { Lease = TimeSpan.FromMilliseconds(300), MaxAttempts = 2 });
        await queue.EnqueueAsync(Keys(1).Take(1), default);
        var w = await queue.RegisterWorkerAsync(default);
        Assert.Single(await queue.ClaimAsync(w, 1, default));
        await Task.Delay(400);
        Assert.Single(await queue.ClaimAsync(w, 1, default));
        await Task.Delay(400);
        Assert.Empty(await queue.ClaimAsync(w, 1, default));
        Assert.Equal(1, (await queue.GetProgressAsync(default)).Failed);
    }
}
