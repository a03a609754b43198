using GifLab.Storage;

namespace GifLab.Queue;

/// <summary>One unit of queued work: a run key (GIF content × stored pipeline id × stored preset id) and where the
/// enqueuer saw the file (workers share the file system).</summary>
public sealed record WorkKey(string GifSha, string? FilePath, long PipelineId, long PresetId);

/// <summary>A claimed work item. <paramref name="Attempt"/> is the claim number: a claim is valid only while the item
/// is still claimed by <paramref name="WorkerId"/> with this attempt number (a re-claim after lease expiry bumps it).</summary>
public sealed record WorkClaim(long Id, string GifSha, string? FilePath, long PipelineId, long PresetId, int Attempt, string WorkerId)
{
    public WorkKey Key => new(GifSha, FilePath, PipelineId, PresetId);
}

/// <summary>A claim and the run it produced.</summary>
public sealed record ClaimedRun(WorkClaim Claim, RunRecord Run);

/// <summary>Outcome of completing claims: <see cref="Completed"/> were ours and are done (their runs stored);
/// <see cref="Lost"/> had been re-claimed by another worker after our lease expired (their runs were not stored).</summary>
public sealed record CompletionResult(IReadOnlyList<long> Completed, IReadOnlyList<long> Lost);

/// <summary>Live progress of the queue (for <c>giflab stats</c>).</summary>
/// <param name="ExpiredClaims">Claimed items whose lease has run out (their worker stopped heartbeating); re-claimable.</param>
/// <param name="WorkersActive">Workers seen within <see cref="WorkQueueOptions.ActiveWindow"/>.</param>
public sealed record QueueProgress(long Pending, long Claimed, long ExpiredClaims, long Done, long Failed, long WorkersSeen, long WorkersActive)
{
    public long Total => Pending + Claimed + Done + Failed;

    public string Describe() =>
        $"Work queue: {Total} items: {Done} done, {Claimed} claimed ({ExpiredClaims} with expired lease), {Pending} pending, {Failed} failed; " +
        $"workers: {WorkersSeen} seen, {WorkersActive} active";
}

/// <summary>A worker as the queue sees it: when it was last seen (heartbeat) and what it holds.</summary>
/// <param name="Claimed">Items it holds now.</param>
/// <param name="Expired">Of those, items whose lease ran out (it stopped heartbeating: dead or hung); others take them over.</param>
public sealed record WorkerInfo(string Id, string Host, int Pid, DateTimeOffset StartedAt, DateTimeOffset LastSeen, TimeSpan SinceSeen, long Claimed, long Expired, long Done);

/// <summary>Queue tuning.</summary>
/// <param name="Lease">How long a claim stays valid without a heartbeat (heartbeats come every quarter of it).</param>
/// <param name="MaxAttempts">Claims of one item before it is marked failed (a poison item that kills its workers).</param>
/// <param name="ActiveWindow">A worker seen within this window counts as active.</param>
public sealed record WorkQueueOptions(TimeSpan Lease, int MaxAttempts, TimeSpan ActiveWindow)
{
    /// <summary>60 s lease, heartbeat every 15 s: a dead worker's claims are taken over within about a minute.</summary>
    public static WorkQueueOptions Default { get; } = new(TimeSpan.FromSeconds(60), 3, TimeSpan.FromMinutes(2));

    /// <summary>How often a worker heartbeats: a quarter of the lease (15 s for the default 60 s).</summary>
    public TimeSpan HeartbeatEvery => Lease / 4;

    /// <summary>How often an idle worker looks again while others hold claims: a quarter of the lease, at most 5 s.</summary>
    public TimeSpan PollEvery => TimeSpan.FromTicks(Math.Clamp((Lease / 4).Ticks, TimeSpan.FromMilliseconds(200).Ticks, TimeSpan.FromSeconds(5).Ticks));
}

/// <summary>
/// A work queue shared by many workers. Items are run keys; each is claimed by one worker at a time under a lease that
/// heartbeats extend; an expired lease makes the item claimable again. Exactly-once result storage: results are stored
/// in the same transaction that completes the claim, and only if the claim is still the worker's.
/// </summary>
public interface IWorkQueue
{
    /// <summary>Registers this process as a worker and returns its id (host:pid:random).</summary>
    Task<string> RegisterWorkerAsync(CancellationToken ct);

    /// <summary>Adds items; keys already queued (in any state) are left alone. Returns how many were added.</summary>
    Task<int> EnqueueAsync(IEnumerable<WorkKey> keys, CancellationToken ct);

    /// <summary>Claims up to <paramref name="max"/> pending or lease-expired items (FOR UPDATE SKIP LOCKED).</summary>
    Task<IReadOnlyList<WorkClaim>> ClaimAsync(string workerId, int max, CancellationToken ct);

    /// <summary>Claims every claimable item of up to <paramref name="maxGifs"/> GIFs (oldest first), so one worker decodes
    /// each GIF once for all its run keys. Under contention a GIF's items can still be split between two claimers.</summary>
    Task<IReadOnlyList<WorkClaim>> ClaimGifsAsync(string workerId, int maxGifs, CancellationToken ct);

    /// <summary>Extends the lease of every item the worker holds and marks the worker seen; returns how many.</summary>
    Task<int> HeartbeatAsync(string workerId, CancellationToken ct);

    /// <summary>Stores the runs and completes their claims in one transaction; runs of lost claims are not stored.</summary>
    Task<CompletionResult> SaveRunsAndCompleteAsync(IReadOnlyList<ClaimedRun> runs, CancellationToken ct);

    /// <summary>Completes claims that produced no run (e.g. the key turned out to be stored already).</summary>
    Task<CompletionResult> CompleteAsync(IReadOnlyList<WorkClaim> claims, CancellationToken ct);

    /// <summary>Gives up on a claim: back to pending when <paramref name="retry"/> and attempts remain, else failed.
    /// Returns false when the claim was no longer ours.</summary>
    Task<bool> FailAsync(WorkClaim claim, string error, bool retry, CancellationToken ct);

    /// <summary>Returns the worker's unfinished claims to pending (clean shutdown, Ctrl+C); returns how many.</summary>
    Task<int> ReleaseAsync(string workerId, CancellationToken ct);

    Task<QueueProgress> GetProgressAsync(CancellationToken ct);

    /// <summary>Items claimed by workers other than <paramref name="workerId"/> (alive or with an expired lease).</summary>
    Task<long> CountHeldByOthersAsync(string workerId, CancellationToken ct);

    /// <summary>Every registered worker: last seen, what it holds (for <c>giflab stats</c>).</summary>
    Task<IReadOnlyList<WorkerInfo>> GetWorkersAsync(CancellationToken ct);
}
