using System.Diagnostics;
using GifLab.Core.Decoding;
using GifLab.Core.Features;
using GifLab.Core.Metrics;
using GifLab.Core.Model;
using GifLab.Discovery;
using GifLab.Engines;
using GifLab.Storage;

namespace GifLab.Runs;

/// <summary>
/// Gets one GIF ready for its runs: works out which runs are pending, decodes it once (for features, every run's
/// validation reference and the metric reference), extracts features when needed, reserves its memory, stores its row
/// and prepares its metric reference. A GIF that does not decode is recorded, quarantined and reported instead.
/// </summary>
internal static class GifPreparation
{
    /// <summary>The prepared GIF, or null when it has nothing to run (complete, failed, or only its features were due).</summary>
    public static async Task<PreparedGif?> PrepareAsync(RunContext ctx, DiscoveredGif gif, IGifTicket ticket, MemoryBudget.Lease lease, CancellationToken ct)
    {
        var (store, options, summary) = (ctx.Store, ctx.Options, ctx.Summary);
        var stored = await store.GetGifAsync(gif.Sha256, ct).ConfigureAwait(false);
        // Several GIFs are prepared at once (GifFeeder): the summary's counters are updated under its lock.
        if (stored is null) lock (summary) summary.GifsNew++;
        if (RerunPolicy.SkipsUndecodable(stored?.Gif, options))
        {
            lock (summary)
            {
                summary.GifsFailed++;
                summary.GifFailures.Add($"{gif.Path}: failed to decode earlier (use --retry-failed to try again)");
            }
            ctx.Observer.RunsNotNeeded(ticket.Keys?.Count ?? ctx.Plan.Items.Count);
            return null;
        }

        var states = await RerunPolicy.StatesAsync(ctx, stored?.Id, ct).ConfigureAwait(false);
        var pending = RerunPolicy.Pending(ctx, gif.Sha256, states, ticket.Keys);
        var considered = ticket.Keys?.Count ?? ctx.Plan.Items.Count;
        lock (summary)
        {
            summary.RunsPlanned += considered;
            summary.RunsSkippedExisting += considered - pending.Count;
        }
        ctx.Observer.RunsNotNeeded(considered - pending.Count);
        // Claimed keys that no longer need a run (stored meanwhile by another worker) are completed without running.
        await ticket.SkipAllButAsync(pending, ct).ConfigureAwait(false);

        var needFeatures = stored is null || stored.Value.Gif.FeaturesJson is null || options.Force
            || (options.Upgrade && SemanticVersion.IsOlder(stored.Value.Gif.FeatureVersion, FeatureExtractor.Version));
        if (pending.Count == 0 && !needFeatures)
        {
            lock (summary) summary.GifsSkippedComplete++;
            if (stored is not null) await store.ClearFileFailuresAsync(gif.Path, CancellationToken.None).ConfigureAwait(false);
            return null;
        }

        // Gate the decode with the memory budget: its frames (4 B per canvas pixel per image, counted from the block
        // structure without decoding) and the metric view built next (7 B) must fit before decoding starts.
        // (Capped at the decoder's limit: a GIF declaring more fails at once, before allocating its frames.)
        var declaredPixels = Math.Min(GifWorkEstimate.PixelFrames(new MemoryStream(gif.Bytes, writable: false)),
            GifDecoderOptions.Default.MaxDecodedBytes / 4);
        await lease.ReserveForDecodeAsync(MemoryBudget.EstimateBytes(declaredPixels, 0), ct).ConfigureAwait(false);
        var sw = Stopwatch.StartNew();
        FrameSequence frames;
        try
        {
            frames = GifDecoder.Decode(gif.Bytes);
        }
        catch (GifFormatException e)
        {
            summary.Profile.AddDecode(sw.Elapsed);
            await RecordUndecodableAsync(ctx, gif, ticket, e, ct).ConfigureAwait(false);
            ctx.Observer.RunsNotNeeded(pending.Count);
            return null;
        }
        summary.Profile.AddDecode(sw.Elapsed);
        // Estimated peak while this GIF's runs execute: its frames and metric view (distinct frames only: a repeated
        // frame shares both), plus per concurrent run a decoded candidate and its metric view. A GIF whose runs do not
        // all fit the budget runs fewer of them at once.
        var pixels = (long)frames.Width * frames.Height * frames.FrameCount;
        var distinctPixels = (long)frames.Width * frames.Height * frames.DistinctFrameCount;
        bool transparent = frames.HasTransparentPixels; // measured on white and black: two views of the original
        long cacheBytes = PreparedReference.EstimatedCacheBytes(frames, options.ToMetricOptions());
        int concurrentRuns = MemoryBudget.ConcurrentRuns(pixels, lease.BudgetBytes, options.Jobs, pending.Count, transparent, cacheBytes, distinctPixels);
        await lease.ReserveAsync(MemoryBudget.EstimateBytes(pixels, concurrentRuns, transparent, cacheBytes, distinctPixels), ct).ConfigureAwait(false);

        var (featuresJson, featureVersion) = needFeatures ? await ExtractFeaturesAsync(ctx, gif, frames, stored?.Id, ct).ConfigureAwait(false) : (null, null);
        var gifId = await store.UpsertGifAsync(new GifRecord(gif.Sha256, gif.FileName, gif.Path, gif.FileSizeBytes,
            frames.Width, frames.Height, frames.FrameCount, frames.DurationMs, frames.Info.LoopCount,
            featuresJson, featureVersion, DateTimeOffset.UtcNow, "ok"), ct).ConfigureAwait(false);
        if (featuresJson is not null || stored is null) await store.ClearFileFailuresAsync(gif.Path, ct).ConfigureAwait(false);
        ticket.Attach(gifId);
        lock (summary) summary.GifsProcessed++;
        ctx.Observer.GifStarted(gif.Path, pending.Count);
        if (pending.Count == 0) return null;

        sw.Restart();
        var reference = ctx.Metrics.Prepare(frames, new MetricOptions(Exact: options.ExactMetrics));
        summary.Profile.AddPrepare(sw.Elapsed);
        return new PreparedGif(new SourceGif(gif.Path, gif.Sha256, gif.FileSizeBytes, frames), gifId, reference, pending, lease,
            concurrentRuns < Math.Min(options.Jobs, pending.Count) ? new SemaphoreSlim(concurrentRuns, concurrentRuns) : null)
        {
            Outputs = options.ShareIdenticalOutputs ? new OutputMemo() : null,
        };
    }

    private static async Task<(string? Json, string? Version)> ExtractFeaturesAsync(RunContext ctx, DiscoveredGif gif, FrameSequence frames, long? storedId, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        try
        {
            var features = FeatureExtractor.Extract(frames, gif.Bytes, gif.Sha256, gif.FileName, DateTimeOffset.UtcNow);
            lock (ctx.Summary) ctx.Summary.FeaturesExtracted++;
            return (features.ToJson(), features.ExtractionVersion);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or ArithmeticException or IndexOutOfRangeException)
        {
            lock (ctx.Summary) ctx.Summary.GifFailures.Add($"{gif.Path}: feature extraction failed: {e.Message}");
            await ctx.Store.RecordFileFailureAsync(new FailureRecord(storedId, null, null, "features", $"{gif.Path}: {e.GetType().Name}: {e.Message}",
                Permanent: true, FilePath: gif.Path), ct).ConfigureAwait(false);
            return (null, null);
        }
        finally
        {
            ctx.Summary.Profile.AddFeatures(sw.Elapsed);
        }
    }

    /// <summary>A GIF that does not decode: stored with <c>decode_status = error</c>, a permanent failure, quarantined, its claims failed.</summary>
    private static async Task RecordUndecodableAsync(RunContext ctx, DiscoveredGif gif, IGifTicket ticket, GifFormatException e, CancellationToken ct)
    {
        lock (ctx.Summary)
        {
            ctx.Summary.GifsFailed++;
            ctx.Summary.GifFailures.Add($"{gif.Path}: {e.Message}");
        }
        var id = await ctx.Store.UpsertGifAsync(GifRecord.Undecodable(gif.Sha256, gif.FileName, gif.Path, gif.FileSizeBytes, DateTimeOffset.UtcNow), ct).ConfigureAwait(false);
        await ctx.Store.RecordFileFailureAsync(new FailureRecord(id, null, null, $"decode:{e.Kind}", $"{gif.Path}: {e.Message}",
            Permanent: true, FilePath: gif.Path), ct).ConfigureAwait(false);
        Quarantine(gif, ctx.Options);
        ctx.Observer.GifFailed(gif.Path, e.Message);
        await ticket.FailAsync($"decode:{e.Kind}: {e.Message}", ct).ConfigureAwait(false);
    }

    private static void Quarantine(DiscoveredGif gif, RunOptions options)
    {
        if (options.QuarantineDir is null) return;
        try
        {
            Directory.CreateDirectory(options.QuarantineDir);
            var target = Path.Combine(options.QuarantineDir, $"{gif.Sha256[..12]}-{gif.FileName}");
            if (!File.Exists(target)) File.WriteAllBytes(target, gif.Bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
