using GifLab.Storage;

namespace GifLab.Runs;

/// <summary>Local mode: runs are saved to the store.</summary>
internal sealed class StoreRunSink(IResultStore store) : IRunSink
{
    public Task SaveAsync(IReadOnlyList<RunRecord> batch, RunSummary summary, CancellationToken ct) => store.SaveRunsAsync(batch, ct);
}
