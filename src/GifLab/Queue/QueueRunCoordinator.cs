using GifLab.Storage;

namespace GifLab.Queue;

/// <summary>The claimed run keys of one GIF: the executor decodes the GIF once and runs these items.</summary>
public sealed record GifWork(string GifSha, string? FilePath, IReadOnlyList<WorkClaim> Claims);

/// <summary>
/// What a run loop needs from a shared work queue, shaped after <c>RunExecutor</c>'s loop: enqueue a GIF's pending
/// run keys, take the next claimed GIFs, tie a claimed GIF to its stored gif id, and commit finished runs (instead of
/// <see cref="IResultStore.SaveRunsAsync"/>) so that results are stored and claims completed in one transaction.
/// </summary>
public interface IRunCoordinator : IAsyncDisposable
{
    string WorkerId { get; }

    /// <summary>Queues a GIF's run keys (idempotent; keys queued before in any state are left alone).</summary>
    Task<int> EnqueueAsync(string gifSha, string filePath, IEnumerable<(long PipelineId, long PresetId)> keys, CancellationToken ct);

    /// <summary>Claims the queued run keys of up to <paramref name="maxGifs"/> GIFs, grouped by GIF (empty when drained).</summary>
    Task<IReadOnlyList<GifWork>> NextAsync(int maxGifs, CancellationToken ct);

    /// <summary>Records the stored gif id of a claimed GIF so its runs can be matched to their claims.</summary>
    void Attach(GifWork work, long gifId);

    /// <summary>Stores runs of attached claims and completes the claims atomically; runs whose claim was lost are dropped.</summary>
    Task<CompletionResult> CommitAsync(IReadOnlyList<RunRecord> runs, CancellationToken ct);

    /// <summary>Completes claims that need no run (already stored, skipped by the rerun policy).</summary>
    Task<CompletionResult> SkipAsync(IReadOnlyList<WorkClaim> claims, CancellationToken ct);

    /// <summary>Gives a claim back as failed: retried later when <paramref name="retry"/>, else failed for good.</summary>
    Task<bool> FailAsync(WorkClaim claim, string error, bool retry, CancellationToken ct);

    /// <summary>Items other workers still hold (alive, or dead with a lease that has not run out yet).</summary>
    Task<long> HeldByOthersAsync(CancellationToken ct) => Task.FromResult(0L);

    /// <summary>How long an idle worker waits before looking again while others hold claims.</summary>
    TimeSpan PollEvery => TimeSpan.FromSeconds(1);
}

/// <summary>
/// <see cref="IRunCoordinator"/> over an <see cref="IWorkQueue"/>: registers the worker, heartbeats in the background
/// (every quarter of the lease) while it lives, and on dispose stops heartbeating and returns unfinished claims to the queue.
/// Thread-safe: workers may call <see cref="Attach"/> / <see cref="FailAsync"/> while the writer calls <see cref="CommitAsync"/>.
/// </summary>
public sealed class QueueRunCoordinator : IRunCoordinator
{
    private readonly IWorkQueue _queue;
    private readonly Dictionary<(long GifId, long PipelineId, long PresetId), WorkClaim> _byRunKey = [];
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _heartbeat;
    private bool _disposed;

    private QueueRunCoordinator(IWorkQueue queue, string workerId, TimeSpan heartbeatEvery, TimeSpan pollEvery)
    {
        _queue = queue;
        PollEvery = pollEvery;
        WorkerId = workerId;
        _heartbeat = Task.Run(() => HeartbeatLoopAsync(heartbeatEvery, _stop.Token));
    }

    public string WorkerId { get; }

    /// <summary>Heartbeat failures seen so far (the lease may lapse; commits then report lost claims).</summary>
    public int HeartbeatFailures => Volatile.Read(ref _heartbeatFailures);

    private int _heartbeatFailures;

    /// <summary>Registers a worker on the queue and starts heartbeating every <paramref name="heartbeatEvery"/>.</summary>
    public static async Task<QueueRunCoordinator> StartAsync(IWorkQueue queue, TimeSpan heartbeatEvery, CancellationToken ct, TimeSpan? pollEvery = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(heartbeatEvery, TimeSpan.Zero);
        var id = await queue.RegisterWorkerAsync(ct).ConfigureAwait(false);
        return new QueueRunCoordinator(queue, id, heartbeatEvery, pollEvery ?? TimeSpan.FromSeconds(1));
    }

    /// <summary>Starts on a PostgreSQL queue, heartbeating every quarter of its lease (15 s for the default 60 s).</summary>
    public static Task<QueueRunCoordinator> StartAsync(PostgresWorkQueue queue, CancellationToken ct) =>
        StartAsync(queue, queue.Options.HeartbeatEvery, ct, queue.Options.PollEvery);

    public TimeSpan PollEvery { get; }

    public Task<long> HeldByOthersAsync(CancellationToken ct) => _queue.CountHeldByOthersAsync(WorkerId, ct);

    private async Task HeartbeatLoopAsync(TimeSpan every, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, ct).ConfigureAwait(false);
                await _queue.HeartbeatAsync(WorkerId, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (StorageUnavailableException)
            {
                // The database is away longer than the store's retry limit; keep trying. If the lease lapses meanwhile,
                // another worker re-claims the items and our commits report them lost: nothing is stored twice.
                Interlocked.Increment(ref _heartbeatFailures);
            }
        }
    }

    public Task<int> EnqueueAsync(string gifSha, string filePath, IEnumerable<(long PipelineId, long PresetId)> keys, CancellationToken ct) =>
        _queue.EnqueueAsync(keys.Select(k => new WorkKey(gifSha, filePath, k.PipelineId, k.PresetId)), ct);

    public async Task<IReadOnlyList<GifWork>> NextAsync(int maxGifs, CancellationToken ct)
    {
        var claims = await _queue.ClaimGifsAsync(WorkerId, maxGifs, ct).ConfigureAwait(false);
        return [.. claims.GroupBy(c => c.GifSha, StringComparer.Ordinal).Select(g => new GifWork(g.Key, g.First().FilePath, [.. g]))];
    }

    public void Attach(GifWork work, long gifId)
    {
        lock (_lock)
            foreach (var c in work.Claims) _byRunKey[(gifId, c.PipelineId, c.PresetId)] = c;
    }

    public async Task<CompletionResult> CommitAsync(IReadOnlyList<RunRecord> runs, CancellationToken ct)
    {
        var claimed = new List<ClaimedRun>(runs.Count);
        lock (_lock)
        {
            foreach (var run in runs)
            {
                if (!_byRunKey.TryGetValue((run.GifId, run.PipelineId, run.PresetId), out var claim))
                    throw new InvalidOperationException($"run (gif {run.GifId}, pipeline {run.PipelineId}, preset {run.PresetId}) has no attached claim");
                claimed.Add(new ClaimedRun(claim, run));
            }
        }
        var result = await _queue.SaveRunsAndCompleteAsync(claimed, ct).ConfigureAwait(false);
        Forget(runs.Select(r => (r.GifId, r.PipelineId, r.PresetId)));
        return result;
    }

    public Task<CompletionResult> SkipAsync(IReadOnlyList<WorkClaim> claims, CancellationToken ct) => _queue.CompleteAsync(claims, ct);

    public Task<bool> FailAsync(WorkClaim claim, string error, bool retry, CancellationToken ct) => _queue.FailAsync(claim, error, retry, ct);

    private void Forget(IEnumerable<(long, long, long)> keys)
    {
        lock (_lock)
            foreach (var k in keys) _byRunKey.Remove(k);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await _stop.CancelAsync().ConfigureAwait(false);
        await _heartbeat.ConfigureAwait(false);
        _stop.Dispose();
        // Unfinished claims go back to the queue now rather than after the lease.
        try { await _queue.ReleaseAsync(WorkerId, CancellationToken.None).ConfigureAwait(false); }
        catch (StorageUnavailableException) { /* the lease will expire and the items be re-claimed */ }
    }
}
