using System.Diagnostics;
using System.Threading.Channels;
using GifLab.Core.Metrics;
using GifLab.Core.Model;
using GifLab.Discovery;
using GifLab.Engines;
using GifLab.Pipelines;
using GifLab.Queue;
using GifLab.Storage;

namespace GifLab.Runs;

/// <summary>
/// Executes a run: discovers GIFs, then takes them from a work source (<see cref="LocalWorkSource"/>, or
/// <see cref="QueueWorkSource"/> with a shared queue), prepares each once, several at a time (<see cref="GifFeeder"/>,
/// <see cref="GifPreparation"/>: rerun policy, decode, features, memory budget, metric reference), runs its pending
/// (pipeline, preset) items on bounded workers
/// (<see cref="RunStep"/>: execute → validate → measure → record), and hands finished runs through a bounded channel to
/// a single writer (<see cref="RunWriter"/>) that commits them to a run sink in small batches, so a crash or Ctrl+C
/// loses at most the in-flight runs.
/// </summary>
public sealed class RunExecutor
{
    private readonly IResultStore _store;
    private readonly EngineCatalog _catalog;
    private readonly PipelineExecutor _executor;
    private readonly MetricSuite _metrics = new();
    private readonly IRunObserver _observer;
    private readonly IWorkSource _source;
    private readonly IRunSink _sink;

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
        (_source, _sink) = coordinator is null
            ? (new LocalWorkSource(), new StoreRunSink(store))
            : ((IWorkSource)new QueueWorkSource(coordinator), (IRunSink)new QueueRunSink(coordinator));
    }

    public async Task<RunSummary> RunAsync(RunOptions options, RunPlan plan, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Jobs, 1);
        var summary = new RunSummary();
        summary.SkippedTools.AddRange(plan.SkippedUnavailable);
        var clock = Stopwatch.StartNew();
        var childCpuAtStart = ChildCpu.ReadMs();

        await _store.SyncToolsAsync(_catalog.Tools.Select(ToRow), ct).ConfigureAwait(false);
        var ids = await _store.EnsurePipelinesAndPresetsAsync(plan.Items.Select(i => i.Pipeline), plan.Items.Select(i => i.Preset), ct).ConfigureAwait(false);

        using var temp = new TempSpace(options.TempRoot);
        var scanner = new GifScanner();
        var candidates = GifScanner.FindCandidates(options.InputPath, scanner.Rejected);
        summary.FilesFound = candidates.Count;
        _observer.Discovered(candidates.Count);

        // Cancelled by the user (ct) or by an environment problem that stops the run (the temp folder full).
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var ctx = new RunContext
        {
            Stop = stop,
            Store = _store, Catalog = _catalog, Options = options, Plan = plan, Ids = ids, Summary = summary,
            Observer = _observer, Metrics = _metrics, Temp = temp,
            ToolVersions = plan.Items.Select(i => i.Pipeline).Distinct().ToDictionary(p => p, p => RunDocuments.ToolVersionsJson(_catalog, p)),
            // At most Jobs + 1 decoded GIFs in memory, within a byte budget (the original, its metric view and the
            // candidates being measured): memory stays flat as the corpus grows and large GIFs cannot multiply it.
            LiveGifs = new MemoryBudget(options.Jobs + 1, options.MemoryBudgetBytes ?? MemoryBudget.DefaultBytes()),
        };
        var work = Channel.CreateBounded<RunWork>(new BoundedChannelOptions(options.Jobs * 2) { SingleWriter = false });
        var results = Channel.CreateBounded<RunRecord>(new BoundedChannelOptions(512) { SingleReader = true });
        var writer = Task.Run(() => new RunWriter(ctx, _sink).WriteAsync(results.Reader), CancellationToken.None);
        var step = new RunStep(ctx, _executor);
        var workers = Enumerable.Range(0, options.Jobs)
            .Select(_ => Task.Run(() => step.WorkAsync(work.Reader, results.Writer, stop.Token), CancellationToken.None))
            .ToArray();

        var feeder = new GifFeeder(ctx, work.Writer, stop.Token);
        try
        {
            try
            {
                await _source.ProduceAsync(ctx, scanner, candidates, feeder.StartAsync, stop.Token).ConfigureAwait(false);
            }
            finally
            {
                await feeder.DrainAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            summary.Cancelled = ct.IsCancellationRequested;
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

    private static ToolRow ToRow(ToolStatus s) =>
        new(s.Tool.Name, s.Tool.Category.Name(), s.Tool.Engine?.Name(), s.Tool.Description, s.Tool.Family,
            s.Available, s.BinaryPath, s.Version, s.Reason);
}
