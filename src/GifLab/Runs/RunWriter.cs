using System.Diagnostics;
using System.Threading.Channels;
using GifLab.Storage;

namespace GifLab.Runs;

/// <summary>
/// The single writer: gathers finished runs from the workers and commits them to the sink in small batches (up to 64,
/// or what arrived within 200 ms), so a crash or Ctrl+C loses at most a few hundred ms of results.
/// </summary>
internal sealed class RunWriter(RunContext ctx, IRunSink sink)
{
    private const int BatchSize = 64;

    public async Task WriteAsync(ChannelReader<RunRecord> reader)
    {
        try
        {
            await WriteBatchesAsync(reader).ConfigureAwait(false);
        }
        catch
        {
            // Storage failed for good: stop starting work and keep draining, so no worker blocks on the full channel;
            // the exception reaches the caller once the workers have stopped.
            ctx.StoreFailed = true;
            while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
                while (reader.TryRead(out _)) { }
            throw;
        }
    }

    private async Task WriteBatchesAsync(ChannelReader<RunRecord> reader)
    {
        var batch = new List<RunRecord>(BatchSize);
        while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            using var window = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            try
            {
                while (batch.Count < BatchSize)
                {
                    if (reader.TryRead(out var r)) { batch.Add(r); continue; }
                    if (!await reader.WaitToReadAsync(window.Token).ConfigureAwait(false)) break;
                }
            }
            catch (OperationCanceledException) { }
            var sw = Stopwatch.StartNew();
            await sink.SaveAsync(batch, ctx.Summary, CancellationToken.None).ConfigureAwait(false);
            ctx.Summary.Profile.AddStore(sw.Elapsed);
            ctx.Observer.Committed(batch.Count);
            batch.Clear();
        }
    }
}
