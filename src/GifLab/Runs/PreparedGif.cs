using GifLab.Core.Metrics;
using GifLab.Engines;

namespace GifLab.Runs;

/// <summary>One source GIF in memory while its runs execute; released (frames dropped) when the last one completes.</summary>
internal sealed class PreparedGif(SourceGif source, long gifId, PreparedReference reference, List<PendingRun> pending, MemoryBudget.Lease lease,
                                  SemaphoreSlim? runGate)
{
    private int _remaining = pending.Count;

    public SourceGif Source { get; } = source;
    public long GifId { get; } = gifId;
    public PreparedReference Reference { get; } = reference;
    public List<PendingRun> Pending { get; } = pending;

    /// <summary>Caps this GIF's runs in flight when they do not all fit the memory budget (null: no cap).</summary>
    public SemaphoreSlim? RunGate { get; } = runGate;

    /// <summary>Colour counts and metric values of this GIF's distinct outputs (shared by byte-identical ones).</summary>
    public OutputMemo? Outputs { get; init; }

    public void Complete()
    {
        if (Interlocked.Decrement(ref _remaining) == 0) lease.Dispose();
    }
}

/// <summary>One run of a prepared GIF, as queued for the workers.</summary>
internal readonly record struct RunWork(PreparedGif Gif, PendingRun Run);
