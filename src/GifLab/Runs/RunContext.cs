using System.Diagnostics;
using GifLab.Core.Metrics;
using GifLab.Core.Model;
using GifLab.Discovery;
using GifLab.Engines;
using GifLab.Pipelines;
using GifLab.Storage;

namespace GifLab.Runs;

/// <summary>
/// What the parts of one run share — the work source, GIF preparation, the run steps and the writer: what is planned,
/// where results go, and what has been counted so far. Built once per <see cref="RunExecutor.RunAsync"/>.
/// </summary>
internal sealed class RunContext
{
    public required IResultStore Store { get; init; }
    public required EngineCatalog Catalog { get; init; }
    public required RunOptions Options { get; init; }
    public required RunPlan Plan { get; init; }

    /// <summary>Stored ids of the planned pipelines and presets.</summary>
    public required StoredIds Ids { get; init; }

    /// <summary><c>tool_versions</c> JSON of each planned pipeline.</summary>
    public required IReadOnlyDictionary<PipelineId, string> ToolVersions { get; init; }

    public required RunSummary Summary { get; init; }
    public required IRunObserver Observer { get; init; }
    public required MetricSuite Metrics { get; init; }

    /// <summary>At most Jobs + 1 decoded GIFs in memory, within a byte budget: memory stays flat as the corpus grows.</summary>
    public required MemoryBudget LiveGifs { get; init; }

    public required TempSpace Temp { get; init; }

    /// <summary>Cancelled by the user's token or by <see cref="StopForEnvironment"/>: what workers and the producer watch.</summary>
    public required CancellationTokenSource Stop { get; init; }

    /// <summary>
    /// An environment problem that makes every further run pointless (the temp folder is full): remembered in the
    /// summary, and the run stops; the runs it affected are not stored (a rerun does them).
    /// </summary>
    public void StopForEnvironment(string reason)
    {
        lock (Summary) Summary.EnvironmentStop ??= reason;
        try { Stop.Cancel(); } catch (ObjectDisposedException) { }
    }

    private volatile bool _storeFailed;

    /// <summary>Set when the writer failed (storage unavailable): no more work is started, so the run ends promptly.</summary>
    public bool StoreFailed { get => _storeFailed; set => _storeFailed = value; }

    /// <summary>Reads and hashes one found file with the run's scanner (which remembers duplicates and rejects), timed.</summary>
    public async Task<DiscoveredGif?> ReadAsync(GifScanner scanner, string path, CancellationToken ct)
    {
        var read = Stopwatch.StartNew();
        var gif = await scanner.ReadAsync(path, ct).ConfigureAwait(false);
        Summary.Profile.AddRead(read.Elapsed);
        return gif;
    }
}
