using GifLab.Discovery;

namespace GifLab.Runs;

/// <summary>Local mode: the GIFs found under the input path, read one after another (within the shard, if one is set).</summary>
internal sealed class LocalWorkSource : IWorkSource
{
    public async Task ProduceAsync(RunContext ctx, GifScanner scanner, IReadOnlyList<string> found, Func<DiscoveredGif, IGifTicket, Task> run, CancellationToken ct)
    {
        foreach (var path in RunOrder(found))
        {
            ct.ThrowIfCancellationRequested();
            if (ctx.StoreFailed) break;
            var gif = await ctx.ReadAsync(scanner, path, ct).ConfigureAwait(false);
            if (gif is null || (ctx.Options.Shard is { } shard && ShardOf(gif.Sha256, shard.N) != shard.K))
            {
                ctx.Observer.RunsNotNeeded(ctx.Plan.Items.Count);   // rejected, duplicate, or another shard's GIF
                continue;
            }
            lock (ctx.Summary) ctx.Summary.GifsDistinct++;
            await run(gif, Ticket.Instance).ConfigureAwait(false);
        }
    }

    /// <summary>The order GIFs are run in (the one place it is decided): largest first (<see cref="GifOrder.LargestFirst"/>).</summary>
    private static IEnumerable<string> RunOrder(IReadOnlyList<string> found) => GifOrder.LargestFirst(found);

    /// <summary>Stable shard (1-based) of a GIF from its SHA-256: first 8 bytes as an unsigned integer mod N.</summary>
    public static int ShardOf(string sha256, int n) =>
        (int)(Convert.ToUInt64(sha256[..16], 16) % (ulong)n) + 1;

    /// <summary>Local runs answer to nobody: every planned item may run, and there are no claims to complete.</summary>
    private sealed class Ticket : IGifTicket
    {
        public static Ticket Instance { get; } = new();
        public IReadOnlySet<(long PipelineId, long PresetId)>? Keys => null;
        public Task SkipAllButAsync(IReadOnlyList<PendingRun> pending, CancellationToken ct) => Task.CompletedTask;
        public Task FailAsync(string why, CancellationToken ct) => Task.CompletedTask;
        public void Attach(long gifId) { }
    }
}
