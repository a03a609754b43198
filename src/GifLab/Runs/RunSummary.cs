using System.Collections.Concurrent;
using GifLab.Pipelines;

namespace GifLab.Runs;

/// <summary>What a run did, for the summary printed at the end and <c>--profile</c>.</summary>
public sealed class RunSummary
{
    public int FilesFound { get; set; }
    public int GifsDistinct { get; set; }
    public int GifsNew { get; set; }
    public int GifsProcessed { get; set; }
    public int GifsSkippedComplete { get; set; }
    public int GifsFailed { get; set; }
    public int FeaturesExtracted { get; set; }
    public int RunsPlanned { get; set; }
    public int RunsSkippedExisting { get; set; }
    public int RunsExecuted;
    public int RunsValid;
    public int RunsCorrupted;
    public int RunsError;
    /// <summary>Queue mode: finished runs dropped because their claim had expired and another worker took it over.</summary>
    public int RunsLostClaims;
    /// <summary>Queue mode with --no-wait: items other workers still held when this worker stopped (0 = none left).</summary>
    public long HeldByOthers { get; set; }
    public bool Cancelled { get; set; }

    /// <summary>
    /// Set when an environment problem stopped the run (the temp folder full): the command exits 5; the runs it affected
    /// were not stored, so a plain rerun does them once the problem is fixed.
    /// </summary>
    public string? EnvironmentStop { get; set; }

    /// <summary>
    /// Runs not stored because of an environment problem that is no property of the GIF (the engine was killed by a
    /// signal from outside, or could not be started): a plain rerun does them.
    /// </summary>
    public int RunsDeferred;

    /// <summary>Why runs were deferred (first few), and processes engines left behind that GifLab killed (first few).</summary>
    public ConcurrentQueue<string> EnvironmentNotes { get; } = new();
    public List<Discovery.RejectedFile> Rejected { get; } = [];
    public List<Discovery.DuplicateFile> Duplicates { get; } = [];
    public List<string> GifFailures { get; } = [];
    public List<SkippedTool> SkippedTools { get; } = [];
    public TimeProfile Profile { get; } = new();
    public TimeSpan Elapsed { get; set; }

    public int RunsFailed => RunsCorrupted + RunsError;
}

/// <summary>Where time went, accumulated across workers (milliseconds; CPU-seconds of our own stages and engine processes).</summary>
public sealed class TimeProfile
{
    private long _readTicks, _decodeTicks, _featuresTicks, _prepareTicks, _engineWallUs, _engineCpuUs, _validateTicks, _metricsTicks, _storeTicks;

    public void AddRead(TimeSpan t) => Interlocked.Add(ref _readTicks, t.Ticks);
    public void AddDecode(TimeSpan t) => Interlocked.Add(ref _decodeTicks, t.Ticks);
    public void AddFeatures(TimeSpan t) => Interlocked.Add(ref _featuresTicks, t.Ticks);
    public void AddPrepare(TimeSpan t) => Interlocked.Add(ref _prepareTicks, t.Ticks);
    public void AddEngine(double wallMs, double cpuMs)
    {
        Interlocked.Add(ref _engineWallUs, (long)(wallMs * 1000));
        Interlocked.Add(ref _engineCpuUs, (long)(cpuMs * 1000));
    }
    public void AddValidate(TimeSpan t) => Interlocked.Add(ref _validateTicks, t.Ticks);
    public void AddMetrics(TimeSpan t) => Interlocked.Add(ref _metricsTicks, t.Ticks);
    public void AddStore(TimeSpan t) => Interlocked.Add(ref _storeTicks, t.Ticks);
    public void AddMetricsReused() => Interlocked.Increment(ref _metricsReused);

    /// <summary>Valid runs whose output was byte-identical to an earlier output of the same GIF and took its metric values.</summary>
    public int MetricsReused => _metricsReused;
    private int _metricsReused;

    public double ReadMs => _readTicks / 1e4;
    public double DecodeMs => _decodeTicks / 1e4;
    public double FeaturesMs => _featuresTicks / 1e4;
    public double PrepareMs => _prepareTicks / 1e4;
    public double EngineWallMs => _engineWallUs / 1e3;
    /// <summary>Engine CPU: the exact children total from getrusage when known, else the sum of per-process samples.</summary>
    public double EngineCpuMs => ChildrenCpuMs ?? _engineCpuUs / 1e3;

    /// <summary>Sum of per-process CPU samples (/proc, 20 ms resolution; misses very short processes).</summary>
    public double EngineCpuSampledMs => _engineCpuUs / 1e3;

    /// <summary>CPU of all child processes reaped during the run (getrusage RUSAGE_CHILDREN delta), or null.</summary>
    public double? ChildrenCpuMs { get; set; }
    public double ValidateMs => _validateTicks / 1e4;
    public double MetricsMs => _metricsTicks / 1e4;
    public double StoreMs => _storeTicks / 1e4;
}
