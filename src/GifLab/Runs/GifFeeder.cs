using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using GifLab.Discovery;

namespace GifLab.Runs;

/// <summary>
/// Prepares the GIFs a work source hands over, several at once (<see cref="Preparers"/>), and queues each one's pending
/// runs for the workers as soon as it is ready. One producer preparing one GIF at a time (read → decode → features →
/// metric reference) left workers idle on many cores: at 16 jobs it was ~9–10 s per corpus run, and a GIF's
/// preparation only began once the previous GIF's runs were all queued. Now up to <see cref="Preparers"/> GIFs are
/// prepared or having their runs queued at once, started in the source's order (largest first in local mode); the
/// memory budget (<see cref="RunContext.LiveGifs"/>) still bounds what is in memory.
/// <para>
/// A GIF whose runs do not all fit the memory budget at once has a run gate: its runs are queued only as gate slots free
/// (the worker that finishes a run releases its slot), so no worker waits on a gate while other GIFs' runs are queued
/// behind it. Nothing is lost or duplicated on cancellation: a run that was never queued was never started, and a rerun
/// does it, as before.
/// </para>
/// </summary>
internal sealed class GifFeeder
{
    private readonly RunContext _ctx;
    private readonly ChannelWriter<RunWork> _work;
    private readonly CancellationToken _ct;
    private readonly SemaphoreSlim _preparing;
    private readonly List<Task> _started = [];
    private Exception? _failure;

    public GifFeeder(RunContext ctx, ChannelWriter<RunWork> work, CancellationToken ct)
    {
        _ctx = ctx;
        _work = work;
        _ct = ct;
        Preparers = PreparersFor(ctx.Options.Jobs);
        _preparing = new SemaphoreSlim(Preparers, Preparers);
    }

    /// <summary>GIFs prepared at once: a quarter of the jobs, at least one. Preparation is a small share of a run's CPU
    /// (~2 % on the real corpus with gifsicle), but it comes in long serial pieces (the largest GIFs, first in the
    /// order, take seconds each) during which one preparer leaves many workers waiting; more preparers would only hold
    /// more decoded GIFs ahead of the workers.</summary>
    public static int PreparersFor(int jobs) => Math.Max(1, jobs / 4);

    /// <summary>How many GIFs may be in preparation (or have their runs being queued) at once.</summary>
    public int Preparers { get; }

    /// <summary>
    /// Waits for a preparation slot (free once an earlier GIF's runs are all queued, or it has a run gate), then
    /// prepares <paramref name="gif"/> and queues its runs in the background. Throws
    /// the first failure of an earlier GIF (a storage error) instead of starting more.
    /// </summary>
    public async Task StartAsync(DiscoveredGif gif, IGifTicket ticket)
    {
        await _preparing.WaitAsync(_ct).ConfigureAwait(false);
        if (Volatile.Read(ref _failure) is { } f)
        {
            _preparing.Release();
            ExceptionDispatchInfo.Throw(f);
        }
        var task = Task.Run(() => FeedAsync(gif, ticket), CancellationToken.None);
        lock (_started) _started.Add(task);
    }

    /// <summary>Waits until every started GIF is prepared and all its runs are queued (or given up on cancellation);
    /// rethrows the first failure other than cancellation.</summary>
    public async Task DrainAsync()
    {
        Task[] all;
        lock (_started) all = [.. _started];
        try { await Task.WhenAll(all).ConfigureAwait(false); }
        catch when (Volatile.Read(ref _failure) is null && _ct.IsCancellationRequested) { } // cancelled: nothing lost
        if (Volatile.Read(ref _failure) is { } f) ExceptionDispatchInfo.Throw(f);
    }

    private async Task FeedAsync(DiscoveredGif gif, IGifTicket ticket)
    {
        var slotHeld = true;
        void ReleaseSlot()
        {
            if (!slotHeld) return;
            slotHeld = false;
            _preparing.Release();
        }
        try
        {
            PreparedGif? prepared = null;
            try
            {
                var lease = await _ctx.LiveGifs.EnterAsync(_ct).ConfigureAwait(false);
                try
                {
                    prepared = await GifPreparation.PrepareAsync(_ctx, gif, ticket, lease, _ct).ConfigureAwait(false);
                }
                finally
                {
                    if (prepared is null) lease.Dispose();
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !_ct.IsCancellationRequested)
            {
                Interlocked.CompareExchange(ref _failure, e, null);
                throw;
            }
            if (prepared is null) return;
            // The slot is held until the GIF's runs are all queued, so at most Preparers GIFs wait decoded ahead of the
            // workers (racing further ahead only held more memory: measured on 2 cores at 16 jobs, peak RSS +2 GB).
            // A GIF capped by the memory budget queues its runs over its whole run time: it gives its slot back first.
            if (prepared.RunGate is not null) ReleaseSlot();
            await QueueRunsAsync(prepared).ConfigureAwait(false);
        }
        finally
        {
            ReleaseSlot();
        }
    }

    /// <summary>Queues the GIF's runs in plan order, each within its run gate when it has one.</summary>
    private async Task QueueRunsAsync(PreparedGif gif)
    {
        var queued = 0;
        try
        {
            foreach (var run in gif.Pending)
            {
                if (gif.RunGate is { } gate) await gate.WaitAsync(_ct).ConfigureAwait(false);
                try
                {
                    await _work.WriteAsync(new RunWork(gif, run), _ct).ConfigureAwait(false);
                }
                catch
                {
                    gif.RunGate?.Release();
                    throw;
                }
                queued++;
            }
        }
        finally
        {
            // Runs never queued (cancelled) still count down, so the GIF's memory is released.
            for (var i = queued; i < gif.Pending.Count; i++) gif.Complete();
        }
    }
}
