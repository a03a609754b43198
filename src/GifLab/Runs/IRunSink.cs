using GifLab.Storage;

namespace GifLab.Runs;

/// <summary>Where batches of finished runs go: the store (local mode) or the work queue's commit (queue mode).</summary>
internal interface IRunSink
{
    /// <summary>Stores one batch in one transaction.</summary>
    Task SaveAsync(IReadOnlyList<RunRecord> batch, RunSummary summary, CancellationToken ct);
}
