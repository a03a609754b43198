using GifLab.Discovery;
using GifLab.Queue;

namespace GifLab.Runs;

/// <summary>
/// Queue mode (PostgreSQL work queue): first enqueues the pending run keys of every GIF found (cheap: hashing and state
/// look-ups, no decoding; idempotent, so many workers may do it), then claims GIFs until the queue is drained and no
/// other worker holds claims: while others do, it waits and claims again, which takes over the items of a worker that
/// died once its lease runs out (<see cref="RunOptions.NoWait"/> stops instead). A claimed GIF may have been found by
/// another worker (same input location).
/// </summary>
internal sealed class QueueWorkSource(IRunCoordinator coordinator) : IWorkSource
{
    public async Task ProduceAsync(RunContext ctx, GifScanner scanner, IReadOnlyList<string> found, Func<DiscoveredGif, IGifTicket, Task> run, CancellationToken ct)
    {
        foreach (var path in found)
        {
            ct.ThrowIfCancellationRequested();
            var gif = await ctx.ReadAsync(scanner, path, ct).ConfigureAwait(false);
            if (gif is null) continue;
            lock (ctx.Summary) ctx.Summary.GifsDistinct++;
            var stored = await ctx.Store.GetGifAsync(gif.Sha256, ct).ConfigureAwait(false);
            if (RerunPolicy.SkipsUndecodable(stored?.Gif, ctx.Options)) continue;
            var states = await RerunPolicy.StatesAsync(ctx, stored?.Id, ct).ConfigureAwait(false);
            var pending = RerunPolicy.Pending(ctx, gif.Sha256, states, null);
            if (pending.Count > 0)
                await coordinator.EnqueueAsync(gif.Sha256, gif.Path, pending.Select(p => (p.PipelineId, p.PresetId)), ct).ConfigureAwait(false);
        }

        var reader = new GifScanner();
        long lastHeld = -1;
        while (!ctx.StoreFailed)
        {
            ct.ThrowIfCancellationRequested();
            var batch = await coordinator.NextAsync(1, ct).ConfigureAwait(false);
            if (batch.Count == 0)
            {
                // Drained for us, but not finished while others hold claims: a worker that died keeps its items until its
                // lease runs out. Wait and claim again (expired claims are claimable) unless told not to.
                var held = await coordinator.HeldByOthersAsync(ct).ConfigureAwait(false);
                if (held == 0) break;
                if (ctx.Options.NoWait)
                {
                    ctx.Summary.HeldByOthers = held;
                    break;
                }
                if (held != lastHeld) ctx.Observer.WaitingForOthers(held);
                lastHeld = held;
                await Task.Delay(coordinator.PollEvery, ct).ConfigureAwait(false);
                continue;
            }
            lastHeld = -1;
            foreach (var claimed in batch)
            {
                var ticket = new Ticket(coordinator, claimed);
                var gif = claimed.FilePath is null ? null : await reader.ReadAsync(claimed.FilePath, ct).ConfigureAwait(false);
                if (gif is null || gif.Sha256 != claimed.GifSha)
                {
                    var why = $"claimed GIF {claimed.GifSha} is not readable at {claimed.FilePath ?? "(no path)"} (missing, changed or not shared with this worker)";
                    lock (ctx.Summary) ctx.Summary.GifFailures.Add(why);
                    await ticket.FailAsync(why, ct).ConfigureAwait(false);
                    continue;
                }
                await run(gif, ticket).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The claimed run keys of one GIF.</summary>
    private sealed class Ticket(IRunCoordinator coordinator, GifWork claimed) : IGifTicket
    {
        public IReadOnlySet<(long PipelineId, long PresetId)>? Keys { get; } = claimed.Claims.Select(c => (c.PipelineId, c.PresetId)).ToHashSet();

        public async Task SkipAllButAsync(IReadOnlyList<PendingRun> pending, CancellationToken ct)
        {
            var pendingKeys = pending.Select(p => (p.PipelineId, p.PresetId)).ToHashSet();
            var done = claimed.Claims.Where(c => !pendingKeys.Contains((c.PipelineId, c.PresetId))).ToList();
            if (done.Count > 0) await coordinator.SkipAsync(done, ct).ConfigureAwait(false);
        }

        public async Task FailAsync(string why, CancellationToken ct)
        {
            foreach (var c in claimed.Claims) await coordinator.FailAsync(c, why, retry: false, ct).ConfigureAwait(false);
        }

        public void Attach(long gifId) => coordinator.Attach(claimed, gifId);
    }
}
