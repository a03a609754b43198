using GifLab.Discovery;

namespace GifLab.Runs;

/// <summary>Where a run's GIFs come from: the files found (local mode) or a shared work queue (queue mode).</summary>
internal interface IWorkSource
{
    /// <summary>
    /// Hands every GIF this process should run to <paramref name="run"/>, one after another, until there is no more
    /// work, the store has failed (<see cref="RunContext.StoreFailed"/>) or <paramref name="ct"/> is cancelled.
    /// <paramref name="run"/> (<see cref="GifFeeder.StartAsync"/>) returns once the GIF's preparation has started:
    /// several GIFs are prepared at once, in the order they are handed over.
    /// </summary>
    Task ProduceAsync(RunContext ctx, GifScanner scanner, IReadOnlyList<string> found, Func<DiscoveredGif, IGifTicket, Task> run, CancellationToken ct);
}
