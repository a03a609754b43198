using GifLab.Core.Metrics;

namespace GifLab.Runs;

/// <summary>Options of one <c>giflab run</c> (immutable; built by the CLI).</summary>
public sealed record RunOptions
{
    /// <summary>Folder (searched recursively) or single GIF file.</summary>
    public required string InputPath { get; init; }

    /// <summary>Re-run every planned run and re-extract features, replacing stored rows.</summary>
    public bool Force { get; init; }

    /// <summary>Re-extract features stored with an older extraction version; re-run runs measured with an older metric set.</summary>
    public bool Upgrade { get; init; }

    /// <summary>Retry runs whose failure was recorded as permanent (deterministic) and GIFs that failed to decode.</summary>
    public bool RetryFailed { get; init; }

    /// <summary>Queue mode: when nothing is left to claim but other workers still hold items, stop at once (exit 3)
    /// instead of waiting for them to finish or for their leases to run out.</summary>
    public bool NoWait { get; init; }

    /// <summary>Work items executed at once (default <see cref="DefaultJobs"/>).</summary>
    public int Jobs { get; init; } = DefaultJobs;

    /// <summary>
    /// 1.5 × cores, rounded up. Each work item alternates between an engine process and our own decode/validate/measure
    /// steps, with gaps (process start and exit, pipes, file I/O) in which its core idles; a half-core of extra items
    /// fills them. Measured (bench/run-throughput.sh 10, 2 cores): jobs 2 → 95 % of both cores busy, jobs 3 → 97–99 %,
    /// jobs 4 → 99 % with more memory. The memory budget still bounds what runs at once.
    /// </summary>
    public static int DefaultJobs => Environment.ProcessorCount + (Environment.ProcessorCount + 1) / 2;

    /// <summary>Compute every metric on every frame pair (no SSIMULACRA2 sampling).</summary>
    public bool ExactMetrics { get; init; }

    /// <summary>The LPIPS network shared by every worker (loaded and disposed by the caller), or null: <c>lpips</c> stays null.</summary>
    public ILpipsModel? LpipsModel { get; init; }

    /// <summary>Metric options of every measurement of this run.</summary>
    public MetricOptions ToMetricOptions() => new(Exact: ExactMetrics) { LpipsModel = LpipsModel };

    /// <summary>Folder where GIFs that fail to decode are copied (originals are never modified), or null.</summary>
    public string? QuarantineDir { get; init; }

    /// <summary>Parent of the private temp folder (default: the system temp folder).</summary>
    public string? TempRoot { get; init; }

    /// <summary>Tests only: off = every output is colour-counted and measured even when a byte-identical output of the
    /// same GIF already was (<see cref="OutputMemo"/>; both ways must store the same rows).</summary>
    internal bool ShareIdenticalOutputs { get; init; } = true;

    /// <summary>Tests only: the memory budget in bytes instead of <see cref="MemoryBudget.DefaultBytes"/>.</summary>
    internal long? MemoryBudgetBytes { get; init; }

    /// <summary>Only GIFs whose SHA-256 falls in shard K of N (1-based K), or null for all.</summary>
    public (int K, int N)? Shard { get; init; }
}
