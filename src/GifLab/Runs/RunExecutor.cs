using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using GifLab.Core.Decoding;
using GifLab.Core.Features;
using GifLab.Core.Metrics;
using GifLab.Core.Model;
using GifLab.Discovery;
using GifLab.Engines;
using GifLab.Pipelines;
using GifLab.Queue;
using GifLab.Storage;
using GifLab.Validation;

namespace GifLab.Runs;

/// <summary>
/// Executes a run: discovers GIFs, decodes each once, extracts features, prepares its metric reference once, then runs
/// its pending (pipeline, preset) items with bounded parallelism. Finished runs go through a bounded channel to a single
/// writer that commits them in small batched transactions, so a crash or Ctrl+C loses at most the in-flight runs.
/// </summary>
public sealed class RunExecutor
{
    private readonly IResultStore _store;
    private readonly EngineCatalog _catalog;
    private readonly PipelineExecutor _executor;
    private readonly MetricSuite _metrics = new();
    private readonly IRunObserver _observer;
    private readonly IRunCoordinator? _coordinator;
    // Set when the single writer failed (storage unavailable): no more work is started, so the run ends promptly.
    private volatile bool _storeFailed;

    /// <param name="coordinator">
    /// A shared work queue (PostgreSQL): when given, this process first enqueues the pending run keys of every GIF it
    /// finds (idempotent, so many workers may do it), then claims GIFs from the queue until it is drained, and commits
    /// each batch of runs together with the completion of their claims. Without it, the GIFs found are processed locally.
    /// </param>
    public RunExecutor(IResultStore store, EngineCatalog catalog, PipelineExecutor executor, IRunObserver? observer = null,
                       IRunCoordinator? coordinator = null)
    {
        _store = store;
        _catalog = catalog;
        _executor = executor;
        _observer = observer ?? NullRunObserver.Instance;
        _coordinator = coordinator;
    }

    public async Task<RunSummary> RunAsync(RunOptions options, RunPlan plan, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Jobs, 1);
        _storeFailed = false;
        var summary = new RunSummary();
        summary.SkippedTools.AddRange(plan.SkippedUnavailable);
        var clock = Stopwatch.StartNew();
        var childCpuAtStart = ChildCpu.ReadMs();

        await _store.SyncToolsAsync(_catalog.Tools.Select(ToRow), ct).ConfigureAwait(false);
        var ids = await _store.EnsurePipelinesAndPresetsAsync(plan.Items.Select(i => i.Pipeline), plan.Items.Select(i => i.Preset), ct).ConfigureAwait(false);
        var toolVersions = plan.Items.Select(i => i.Pipeline).Distinct().ToDictionary(p => p, ToolVersionsJson);

        using var temp = new TempSpace(options.TempRoot);
        var scanner = new GifScanner();
        var candidates = GifScanner.FindCandidates(options.InputPath, scanner.Rejected);
        summary.FilesFound = candidates.Count;
        _observer.Discovered(candidates.Count);

        var work = Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(options.Jobs * 2) { SingleWriter = true });
        var results = Channel.CreateBounded<RunRecord>(new BoundedChannelOptions(512) { SingleReader = true });
        // At most Jobs + 1 decoded GIFs in memory: memory stays flat as the corpus grows.
        // ...and within a byte budget (the original, its metric view and the candidates being measured), so a run of
        // large GIFs cannot multiply peak memory.
        var liveGifs = new MemoryBudget(options.Jobs + 1, MemoryBudget.DefaultBytes());

        var writer = Task.Run(() => WriteAsync(results.Reader, summary), CancellationToken.None);
        var workers = Enumerable.Range(0, options.Jobs)
            .Select(_ => Task.Run(() => WorkAsync(work.Reader, results.Writer, temp, options, summary, ct), CancellationToken.None))
            .ToArray();

        try
        {
            if (_coordinator is null)
                await ProduceLocalAsync(candidates, scanner, plan, ids, toolVersions, options, summary, liveGifs, work.Writer, ct).ConfigureAwait(false);
            else
                await ProduceFromQueueAsync(candidates, scanner, plan, ids, toolVersions, options, summary, liveGifs, work.Writer, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            summary.Cancelled = true;
        }
        finally
        {
            work.Writer.TryComplete();
            await Task.WhenAll(workers).ConfigureAwait(false);
            results.Writer.TryComplete();
            await writer.ConfigureAwait(false);
        }

        foreach (var r in scanner.Rejected)
        {
            summary.Rejected.Add(r);
            await _store.RecordFileFailureAsync(new FailureRecord(null, null, null, $"file:{r.ErrorType}", $"{r.Path}: {r.Message}", Permanent: true, FilePath: r.Path), CancellationToken.None).ConfigureAwait(false);
        }
        summary.Duplicates.AddRange(scanner.Duplicates);
        summary.Cancelled |= ct.IsCancellationRequested;
        summary.Elapsed = clock.Elapsed;
        if (childCpuAtStart is { } c0 && ChildCpu.ReadMs() is { } c1) summary.Profile.ChildrenCpuMs = c1 - c0;
        return summary;
    }

    private async Task ProduceLocalAsync(IReadOnlyList<string> candidates, GifScanner scanner, RunPlan plan, StoredIds ids,
        IReadOnlyDictionary<PipelineId, string> toolVersions, RunOptions options, RunSummary summary, MemoryBudget liveGifs,
        ChannelWriter<WorkItem> work, CancellationToken ct)
    {
        foreach (var path in GifOrder.LargestFirst(candidates))
        {
            ct.ThrowIfCancellationRequested();
            if (_storeFailed) break;
            var gif = await ReadAsync(scanner, path, summary, ct).ConfigureAwait(false);
            if (gif is null) continue;
            if (options.Shard is { } shard && ShardOf(gif.Sha256, shard.N) != shard.K) continue;
            summary.GifsDistinct++;
            await EnqueueGifAsync(gif, null, plan, ids, toolVersions, options, summary, liveGifs, work, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Queue mode: enqueue the pending run keys of every GIF found (cheap: hashing and state look-ups, no decoding), then
    /// claim GIFs until the queue is drained. Claimed GIFs may have been found by another worker (same input location).
    /// </summary>
    private async Task ProduceFromQueueAsync(IReadOnlyList<string> candidates, GifScanner scanner, RunPlan plan, StoredIds ids,
        IReadOnlyDictionary<PipelineId, string> toolVersions, RunOptions options, RunSummary summary, MemoryBudget liveGifs,
        ChannelWriter<WorkItem> work, CancellationToken ct)
    {
        var coordinator = _coordinator!;
        foreach (var path in candidates)
        {
            ct.ThrowIfCancellationRequested();
            var gif = await ReadAsync(scanner, path, summary, ct).ConfigureAwait(false);
            if (gif is null) continue;
            summary.GifsDistinct++;
            var stored = await _store.GetGifAsync(gif.Sha256, ct).ConfigureAwait(false);
            if (stored is { Gif.DecodeStatus: "error" } && !options.Force && !options.RetryFailed) continue;
            var states = stored is { } s
                ? await _store.GetRunStatesAsync(s.Id, ct).ConfigureAwait(false)
                : new Dictionary<(long, long), RunState>();
            var pending = PendingItems(plan, ids, toolVersions, states, options, null);
            if (pending.Count > 0)
                await coordinator.EnqueueAsync(gif.Sha256, gif.Path, pending.Select(p => (p.PipelineId, p.PresetId)), ct).ConfigureAwait(false);
        }

        var reader = new GifScanner();
        while (!_storeFailed)
        {
            ct.ThrowIfCancellationRequested();
            var batch = await coordinator.NextAsync(1, ct).ConfigureAwait(false);
            if (batch.Count == 0) break;
            foreach (var claimed in batch)
            {
                var gif = claimed.FilePath is null ? null : await reader.ReadAsync(claimed.FilePath, ct).ConfigureAwait(false);
                if (gif is null || gif.Sha256 != claimed.GifSha)
                {
                    var why = $"claimed GIF {claimed.GifSha} is not readable at {claimed.FilePath ?? "(no path)"} (missing, changed or not shared with this worker)";
                    summary.GifFailures.Add(why);
                    foreach (var c in claimed.Claims) await coordinator.FailAsync(c, why, retry: false, ct).ConfigureAwait(false);
                    continue;
                }
                await EnqueueGifAsync(gif, claimed, plan, ids, toolVersions, options, summary, liveGifs, work, ct).ConfigureAwait(false);
            }
        }
    }

    private async Task<DiscoveredGif?> ReadAsync(GifScanner scanner, string path, RunSummary summary, CancellationToken ct)
    {
        var read = Stopwatch.StartNew();
        var gif = await scanner.ReadAsync(path, ct).ConfigureAwait(false);
        summary.Profile.AddRead(read.Elapsed);
        return gif;
    }

    /// <summary>Decodes/prepares one GIF (bounded number in memory) and queues its pending items for the workers.</summary>
    private async Task EnqueueGifAsync(DiscoveredGif gif, GifWork? claimed, RunPlan plan, StoredIds ids,
        IReadOnlyDictionary<PipelineId, string> toolVersions, RunOptions options, RunSummary summary, MemoryBudget liveGifs,
        ChannelWriter<WorkItem> work, CancellationToken ct)
    {
        var lease = await liveGifs.EnterAsync(ct).ConfigureAwait(false);
        GifContext? context = null;
        try
        {
            context = await PrepareGifAsync(gif, claimed, plan, ids, toolVersions, options, summary, lease, ct).ConfigureAwait(false);
        }
        finally
        {
            if (context is null) lease.Dispose();
        }
        if (context is null) return;
        foreach (var item in context.Pending)
            await work.WriteAsync(new WorkItem(context, item), ct).ConfigureAwait(false);
    }

    /// <summary>The plan items of a GIF that must (re)execute given what is stored; restricted to claimed keys in queue mode.</summary>
    private static List<PendingItem> PendingItems(RunPlan plan, StoredIds ids, IReadOnlyDictionary<PipelineId, string> toolVersions,
        IReadOnlyDictionary<(long, long), RunState> states, RunOptions options, HashSet<(long, long)>? claimedKeys)
    {
        var pending = new List<PendingItem>();
        foreach (var item in plan.Items)
        {
            var key = (ids.Pipelines[item.Pipeline], ids.Presets[item.Preset]);
            if (claimedKeys is not null && !claimedKeys.Contains(key)) continue;
            if (NeedsRun(states.GetValueOrDefault(key), options))
                pending.Add(new PendingItem(item, key.Item1, key.Item2, toolVersions[item.Pipeline]));
        }
        return pending;
    }

    /// <summary>Stable shard (1-based) of a GIF from its SHA-256: first 8 bytes as an unsigned integer mod N.</summary>
    public static int ShardOf(string sha256, int n) =>
        (int)(Convert.ToUInt64(sha256[..16], 16) % (ulong)n) + 1;

    private async Task<GifContext?> PrepareGifAsync(
        DiscoveredGif gif, GifWork? claimed, RunPlan plan, StoredIds ids, IReadOnlyDictionary<PipelineId, string> toolVersions,
        RunOptions options, RunSummary summary, MemoryBudget.Lease lease, CancellationToken ct)
    {
        var stored = await _store.GetGifAsync(gif.Sha256, ct).ConfigureAwait(false);
        if (stored is null) summary.GifsNew++;
        if (stored is { Gif.DecodeStatus: "error" } && !options.Force && !options.RetryFailed)
        {
            summary.GifsFailed++;
            summary.GifFailures.Add($"{gif.Path}: failed to decode earlier (use --retry-failed to try again)");
            return null;
        }

        var states = stored is { } s
            ? await _store.GetRunStatesAsync(s.Id, ct).ConfigureAwait(false)
            : new Dictionary<(long, long), RunState>();
        var claimedKeys = claimed?.Claims.Select(c => (c.PipelineId, c.PresetId)).ToHashSet();
        var pending = PendingItems(plan, ids, toolVersions, states, options, claimedKeys);
        var considered = claimedKeys?.Count ?? plan.Items.Count;
        summary.RunsPlanned += considered;
        summary.RunsSkippedExisting += considered - pending.Count;
        if (claimed is not null)
        {
            // Claimed keys that no longer need a run (stored meanwhile by another worker) are completed without running.
            var pendingKeys = pending.Select(p => (p.PipelineId, p.PresetId)).ToHashSet();
            var done = claimed.Claims.Where(c => !pendingKeys.Contains((c.PipelineId, c.PresetId))).ToList();
            if (done.Count > 0) await _coordinator!.SkipAsync(done, ct).ConfigureAwait(false);
        }

        var needFeatures = stored is null || stored.Value.Gif.FeaturesJson is null || options.Force
            || (options.Upgrade && SemanticVersion.IsOlder(stored.Value.Gif.FeatureVersion, FeatureExtractor.Version));
        if (pending.Count == 0 && !needFeatures)
        {
            summary.GifsSkippedComplete++;
            await ClearOldFileFailure(gif, stored).ConfigureAwait(false);
            return null;
        }

        // Decode once for features, every run's validation reference and the metric reference.
        FrameSequence frames;
        var sw = Stopwatch.StartNew();
        try
        {
            frames = GifDecoder.Decode(gif.Bytes);
        }
        catch (GifFormatException e)
        {
            summary.Profile.AddDecode(sw.Elapsed);
            summary.GifsFailed++;
            summary.GifFailures.Add($"{gif.Path}: {e.Message}");
            var id = await _store.UpsertGifAsync(new GifRecord(gif.Sha256, gif.FileName, gif.Path, gif.FileSizeBytes,
                null, null, null, null, null, null, null, DateTimeOffset.UtcNow, "error"), ct).ConfigureAwait(false);
            await _store.RecordFileFailureAsync(new FailureRecord(id, null, null, $"decode:{e.Kind}", $"{gif.Path}: {e.Message}",
                Permanent: true, FilePath: gif.Path), ct).ConfigureAwait(false);
            Quarantine(gif, options);
            _observer.GifFailed(gif.Path, e.Message);
            if (claimed is not null)
                foreach (var c in claimed.Claims) await _coordinator!.FailAsync(c, $"decode:{e.Kind}: {e.Message}", retry: false, ct).ConfigureAwait(false);
            return null;
        }
        summary.Profile.AddDecode(sw.Elapsed);
        // Estimated peak while this GIF's runs execute: its frames and metric view, plus per concurrent run a decoded
        // candidate and its metric view. A GIF whose runs do not all fit the budget runs fewer of them at once.
        var pixels = (long)frames.Width * frames.Height * frames.FrameCount;
        bool transparent = frames.HasTransparentPixels; // measured on white and black: two views of the original
        long cacheBytes = PreparedReference.EstimatedCacheBytes(frames, options.ToMetricOptions());
        int concurrentRuns = MemoryBudget.ConcurrentRuns(pixels, lease.BudgetBytes, options.Jobs, pending.Count, transparent, cacheBytes);
        await lease.ReserveAsync(MemoryBudget.EstimateBytes(pixels, concurrentRuns, transparent, cacheBytes), ct).ConfigureAwait(false);

        string? featuresJson = null;
        string? featureVersion = null;
        if (needFeatures)
        {
            sw.Restart();
            try
            {
                var features = FeatureExtractor.Extract(frames, gif.Bytes, gif.Sha256, gif.FileName, DateTimeOffset.UtcNow);
                featuresJson = features.ToJson();
                featureVersion = features.ExtractionVersion;
                summary.FeaturesExtracted++;
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or ArithmeticException or IndexOutOfRangeException)
            {
                summary.GifFailures.Add($"{gif.Path}: feature extraction failed: {e.Message}");
                await _store.RecordFileFailureAsync(new FailureRecord(stored?.Id, null, null, "features", $"{gif.Path}: {e.GetType().Name}: {e.Message}",
                    Permanent: true, FilePath: gif.Path), ct).ConfigureAwait(false);
            }
            summary.Profile.AddFeatures(sw.Elapsed);
        }

        var gifId = await _store.UpsertGifAsync(new GifRecord(gif.Sha256, gif.FileName, gif.Path, gif.FileSizeBytes,
            frames.Width, frames.Height, frames.FrameCount, frames.DurationMs, frames.Info.LoopCount,
            featuresJson, featureVersion, DateTimeOffset.UtcNow, "ok"), ct).ConfigureAwait(false);
        if (featuresJson is not null || stored is null) await _store.ClearFileFailuresAsync(gif.Path, ct).ConfigureAwait(false);
        if (claimed is not null) _coordinator!.Attach(claimed, gifId);
        summary.GifsProcessed++;
        _observer.GifStarted(gif.Path, pending.Count);
        if (pending.Count == 0) return null;

        sw.Restart();
        var reference = _metrics.Prepare(frames, new MetricOptions(Exact: options.ExactMetrics));
        summary.Profile.AddPrepare(sw.Elapsed);
        return new GifContext(new SourceGif(gif.Path, gif.Sha256, gif.FileSizeBytes, frames), gifId, reference, pending, lease,
            concurrentRuns < Math.Min(options.Jobs, pending.Count) ? new SemaphoreSlim(concurrentRuns, concurrentRuns) : null)
        {
            Outputs = options.ShareIdenticalOutputs ? new OutputMemo() : null,
        };
    }

    private async Task ClearOldFileFailure(DiscoveredGif gif, (long Id, GifRecord Gif)? stored)
    {
        if (stored is not null) await _store.ClearFileFailuresAsync(gif.Path, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Whether a stored state means the run must (re)execute.</summary>
    internal static bool NeedsRun(RunState? state, RunOptions options)
    {
        if (options.Force || state is null) return true;
        if (!state.HasRun)
            return state.FailurePermanent != true || options.RetryFailed;
        if (options.Upgrade && (state.MetricSetVersion ?? 0) < MetricSuite.SetVersion) return true;
        return state.ValidationStatus switch
        {
            "valid" => false,
            // A transient failure (timeout, internal error) is retried; a permanent one only with --retry-failed.
            "error" => state.FailurePermanent != true || options.RetryFailed,
            "corrupted" => options.RetryFailed,
            _ => true,
        };
    }

    private async Task WorkAsync(ChannelReader<WorkItem> reader, ChannelWriter<RunRecord> results, TempSpace temp,
                                 RunOptions options, RunSummary summary, CancellationToken ct)
    {
        var metricOptions = options.ToMetricOptions();
        await foreach (var w in reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            try
            {
                if (ct.IsCancellationRequested || _storeFailed) continue;
                var record = await ExecuteOneAsync(w, temp, metricOptions, summary, ct).ConfigureAwait(false);
                if (record is null) continue;
                Interlocked.Increment(ref summary.RunsExecuted);
                switch (record.ValidationStatus)
                {
                    case "valid": Interlocked.Increment(ref summary.RunsValid); break;
                    case "corrupted": Interlocked.Increment(ref summary.RunsCorrupted); break;
                    default: Interlocked.Increment(ref summary.RunsError); break;
                }
                await results.WriteAsync(record, CancellationToken.None).ConfigureAwait(false);
                _observer.RunFinished(w.Context.Source.Path, w.Item.Item.Pipeline, w.Item.Item.Preset, record.ValidationStatus);
            }
            finally
            {
                w.Context.Complete();
                CollectAfterLargeRun(w.Context.Source.Frames);
            }
        }
    }

    /// <summary>Decoded bytes of a source GIF above which a full (non-compacting) collection follows each of its runs.</summary>
    internal const long LargeGifBytes = 256L << 20;

    /// <summary>
    /// A run of a large GIF leaves its decoded output and flattened views (11 B/px, hundreds of MB) as garbage; left to
    /// the GC's own pace, the next run's arrays are allocated before it is collected and peak memory doubles (measured:
    /// 928×512×200 frames, one run at a time, 3.5 GB). A blocking gen-2 collection costs tens of milliseconds next to
    /// runs of seconds, and the freed large-object space is reused by the next run's same-sized arrays.
    /// </summary>
    private static void CollectAfterLargeRun(FrameSequence source)
    {
        if ((long)source.Width * source.Height * source.FrameCount * 4 >= LargeGifBytes)
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);
    }

    private async Task<RunRecord?> ExecuteOneAsync(WorkItem w, TempSpace temp, MetricOptions metricOptions, RunSummary summary, CancellationToken ct)
    {
        var ctx = w.Context;
        if (ctx.RunGate is not { } gate) return await ExecuteGatedAsync(w, temp, metricOptions, summary, ct).ConfigureAwait(false);
        try { await gate.WaitAsync(ct).ConfigureAwait(false); }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { return null; } // not started: a rerun does it
        try { return await ExecuteGatedAsync(w, temp, metricOptions, summary, ct).ConfigureAwait(false); }
        finally { gate.Release(); }
    }

    private async Task<RunRecord?> ExecuteGatedAsync(WorkItem w, TempSpace temp, MetricOptions metricOptions, RunSummary summary, CancellationToken ct)
    {
        var (ctx, item) = (w.Context, w.Item);
        var workDir = temp.CreateWorkDir();
        var sw = Stopwatch.StartNew();
        try
        {
            PipelineOutcome outcome;
            try
            {
                outcome = await _executor.ExecuteAsync(item.Item.Pipeline, item.Item.Preset, ctx.Source, workDir, ct).ConfigureAwait(false);
            }
            catch (ToolFailedException e)
            {
                return Failed(ctx, item, sw, $"tool:{e.ReasonName}", e.Message,
                    permanent: e.Reason is not ToolFailureReason.Timeout, e.Invocation.CommandLine);
            }
            catch (ToolUnavailableException e)
            {
                return Failed(ctx, item, sw, "tool:unavailable", e.Message, permanent: true, null);
            }
            var durationMs = (long)sw.Elapsed.TotalMilliseconds;
            summary.Profile.AddEngine(outcome.EngineWallMs, outcome.EngineCpuMs);

            var vsw = Stopwatch.StartNew();
            var outputBytes = await File.ReadAllBytesAsync(outcome.OutputPath, ct).ConfigureAwait(false);
            // Byte-identical outputs of this GIF share their colour count, validation and metric values (exact: same
            // frames); an output whose validation and metrics are both known is not even decoded.
            var memo = ctx.Outputs?.For(outputBytes) ?? new OutputMemo.Entry();
            var expectation = OutputExpectation.For(item.Item.Pipeline, item.Item.Preset, ctx.Source.Frames, _catalog.Registry);
            FrameSequence? decoded = null;
            if (!memo.TryKnownValidation(expectation, out var validation, out var checksJson))
            {
                validation = OutputValidator.Validate(outputBytes, expectation, out decoded, memo.MaxColors);
                checksJson = ChecksJson(validation.Checks);
                memo.AddValidation(expectation, validation, checksJson);
            }
            summary.Profile.AddValidate(vsw.Elapsed);
            var ratio = outputBytes.Length > 0 ? (double)ctx.Source.FileSizeBytes / outputBytes.Length : (double?)null;
            if (validation.Status != ValidationStatus.Valid)
            {
                return RunRecord.Rejected(ctx.GifId, item.PipelineId, item.PresetId, durationMs, MetricSuite.SetVersion, item.ToolVersionsJson,
                    validationStatus: validation.StatusName, outputSizeBytes: outputBytes.Length, compressionRatio: ratio,
                    validationJson: checksJson, engineCpuMs: outcome.EngineCpuMs,
                    reason: $"{ctx.Source.Path} {item.Item.Pipeline} {item.Item.Preset}: {validation.Reason}",
                    commandLine: outcome.Invocations.Count > 0 ? outcome.Invocations[^1].CommandLine : null);
            }

            var msw = Stopwatch.StartNew();
            var metricsJson = memo.MetricsJson(
                () => MetricsDocument.Write(_metrics.Measure(ctx.Reference,
                    decoded ?? throw new InvalidOperationException("validation reused without metric values"), // TryKnownValidation rules this out
                    metricOptions, ctx.Source.FileSizeBytes, outputBytes.Length)),
                out var reused);
            summary.Profile.AddMetrics(msw.Elapsed);
            if (reused) summary.Profile.AddMetricsReused();
            return RunRecord.Valid(ctx.GifId, item.PipelineId, item.PresetId, durationMs, MetricSuite.SetVersion, item.ToolVersionsJson,
                outputSizeBytes: outputBytes.Length, compressionRatio: ratio, metricsJson: metricsJson,
                validationJson: checksJson, engineCpuMs: outcome.EngineCpuMs);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return null; // in flight when cancelled: not stored, rerun will do it
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException or GifFormatException)
        {
            return Failed(ctx, item, sw, $"internal:{e.GetType().Name}", $"{ctx.Source.Path} {item.Item.Pipeline} {item.Item.Preset}: {e.Message}", permanent: false, null);
        }
        finally
        {
            TempSpace.TryDelete(workDir);
        }
    }

    private static RunRecord Failed(GifContext ctx, PendingItem item, Stopwatch sw, string type, string message, bool permanent, string? commandLine) =>
        RunRecord.Failed(ctx.GifId, item.PipelineId, item.PresetId, (long)sw.Elapsed.TotalMilliseconds, MetricSuite.SetVersion,
            item.ToolVersionsJson, type, message, permanent, commandLine);

    private async Task WriteAsync(ChannelReader<RunRecord> reader, RunSummary summary)
    {
        try
        {
            await WriteBatchesAsync(reader, summary).ConfigureAwait(false);
        }
        catch
        {
            // Storage failed for good: stop starting work and keep draining, so no worker blocks on the full channel;
            // the exception reaches the caller once the workers have stopped.
            _storeFailed = true;
            while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
                while (reader.TryRead(out _)) { }
            throw;
        }
    }

    private async Task WriteBatchesAsync(ChannelReader<RunRecord> reader, RunSummary summary)
    {
        var batch = new List<RunRecord>(64);
        while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            // Gather what is ready (up to 64) then commit: at most a few hundred ms of results are ever uncommitted.
            using var window = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            try
            {
                while (batch.Count < 64)
                {
                    if (reader.TryRead(out var r)) { batch.Add(r); continue; }
                    if (!await reader.WaitToReadAsync(window.Token).ConfigureAwait(false)) break;
                }
            }
            catch (OperationCanceledException) { }
            var sw = Stopwatch.StartNew();
            if (_coordinator is null)
                await _store.SaveRunsAsync(batch, CancellationToken.None).ConfigureAwait(false);
            else
            {
                var result = await _coordinator.CommitAsync(batch, CancellationToken.None).ConfigureAwait(false);
                Interlocked.Add(ref summary.RunsLostClaims, result.Lost.Count);
            }
            summary.Profile.AddStore(sw.Elapsed);
            _observer.Committed(batch.Count);
            batch.Clear();
        }
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

    private static ToolRow ToRow(ToolStatus s) =>
        new(s.Tool.Name, s.Tool.Category.Name(), s.Tool.Engine?.Name(), s.Tool.Description, s.Tool.Family,
            s.Available, s.BinaryPath, s.Version, s.Reason);

    private string ToolVersionsJson(PipelineId p) => JsonObject(w =>
    {
        foreach (var name in new[] { p.FrameTool, p.ColorTool, p.LossyTool })
            w.WriteString(name, _catalog.IsAvailable(name) ? _catalog.Get(name).Version : null);
    });

    /// <summary>validation_json: the validator's checks (numbers, booleans, strings) as one flat object.</summary>
    internal static string ChecksJson(IReadOnlyDictionary<string, object?> checks) => JsonObject(w =>
    {
        foreach (var (key, value) in checks)
        {
            switch (value)
            {
                case null: w.WriteNull(key); break;
                case bool b: w.WriteBoolean(key, b); break;
                case int i: w.WriteNumber(key, i); break;
                case long l: w.WriteNumber(key, l); break;
                case double d when double.IsFinite(d): w.WriteNumber(key, d); break;
                case double: w.WriteNull(key); break;
                default: w.WriteString(key, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)); break;
            }
        }
    });

    /// <summary>One compact JSON object as text; <paramref name="body"/> writes its members.</summary>
    private static string JsonObject(Action<Utf8JsonWriter> body)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private sealed record PendingItem(PlannedItem Item, long PipelineId, long PresetId, string ToolVersionsJson);

    private readonly record struct WorkItem(GifContext Context, PendingItem Item);

    /// <summary>One source GIF in memory while its runs execute; released (frames dropped) when the last one completes.</summary>
    private sealed class GifContext(SourceGif source, long gifId, PreparedReference reference, List<PendingItem> pending, MemoryBudget.Lease lease,
                                    SemaphoreSlim? runGate)
    {
        /// <summary>Caps this GIF's runs in flight when they do not all fit the memory budget (null: no cap).</summary>
        public SemaphoreSlim? RunGate { get; } = runGate;
        private int _remaining = pending.Count;
        public SourceGif Source { get; } = source;
        public long GifId { get; } = gifId;
        public PreparedReference Reference { get; } = reference;
        public List<PendingItem> Pending { get; } = pending;

        /// <summary>Colour counts and metric values of this GIF's distinct outputs (shared by byte-identical ones).</summary>
        public OutputMemo? Outputs { get; init; }

        public void Complete()
        {
            if (Interlocked.Decrement(ref _remaining) == 0) lease.Dispose();
        }
    }
}
