using GifLab.Queue;
using GifLab.Storage;

namespace GifLab.Runs;

/// <summary>Queue mode: runs are stored and their claims completed in one transaction; runs whose claim was lost are dropped and counted.</summary>
internal sealed class QueueRunSink(IRunCoordinator coordinator) : IRunSink
{
    public async Task SaveAsync(IReadOnlyList<RunRecord> batch, RunSummary summary, CancellationToken ct)
    {
        var result = await coordinator.CommitAsync(batch, ct).ConfigureAwait(false);
        Interlocked.Add(ref summary.RunsLostClaims, result.Lost.Count);
    }
}
