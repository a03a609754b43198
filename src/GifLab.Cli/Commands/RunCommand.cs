using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using GifLab.Core.Model;
using GifLab.Engines;
using GifLab.Pipelines;
using GifLab.Runs;
using GifLab.Storage;
using GifLab.Storage.Sqlite;

namespace GifLab.Cli.Commands;

/// <summary><c>giflab run INPUT</c>: discover, decode, extract features, compress, validate, measure, store.</summary>
internal static class RunCommand
{
    private static readonly Argument<string> Input = new("input") { Description = "Folder searched recursively for *.gif (any case), or one GIF file." };
    private static readonly Option<string> Mode = CommonOptionsMode();
    private static readonly Option<bool> Force = new("--force", "-f") { Description = "Re-run every planned run and re-extract features, replacing stored rows." };
    private static readonly Option<bool> Upgrade = new("--upgrade", "-u") { Description = "Re-extract features of GIFs stored with an older feature version; re-run runs measured with an older metric set." };
    private static readonly Option<bool> RetryFailed = new("--retry-failed") { Description = "Also retry runs and GIFs whose failure was recorded as permanent." };
    private static readonly Option<int> Jobs = new("--jobs", "-j") { Description = "Work items run at once (1.5 × cores, rounded up, keeps every core busy between engine calls).", DefaultValueFactory = _ => RunOptions.DefaultJobs };
    private static readonly Option<bool> DryRun = new("--dry-run") { Description = "Print the planned runs per engine/tool and what is skipped, then exit without running." };
    private static readonly Option<string?> Levels = new("--levels") { Description = "Lossy levels 0-100, comma-separated (default 0,10,…,100)." };
    private static readonly Option<string?> Colors = new("--colors") { Description = "Colour counts 2-256, comma-separated (default 256,128,64,32,16)." };
    private static readonly Option<string?> FrameRatios = new("--frame-ratios") { Description = "Frame ratios in (0,1], comma-separated (default 1.0; full mode)." };
    private static readonly Option<string?> EnginesOpt = CommonOptions.Engines("all 7");
    private static readonly Option<int> Timeout = new("--timeout") { Description = "Seconds before an external tool is killed.", DefaultValueFactory = _ => 120 };
    private static readonly Option<bool> ExactMetrics = new("--exact-metrics") { Description = "Compute every metric on every frame pair (without it: uniformly spaced samples, e.g. SSIMULACRA2 at most 30 pairs, LPIPS at most 100)." };
    private static readonly Option<string?> QuarantineDir = new("--quarantine") { Description = "Copy GIFs that fail to decode into this folder (originals are never modified)." };
    private static readonly Option<string?> Profile = new("--profile") { Description = "Write the time breakdown and counts as JSON to this file." };
    private static readonly Option<string?> TempDir = new("--temp-dir") { Description = "Parent folder for intermediate files (default: system temp)." };
    private static readonly Option<int?> MaxProcesses = new("--max-processes") { Description = "Cap on external engine processes running at once (default: --jobs)." };
    private static readonly Option<string?> Shard = new("--shard") { Description = "Process only shard K of N (K/N, stable by SHA-256)." };
    private static readonly Option<string> Db = CommonOptions.Db();
    private static readonly Option<string> Format = CommonOptions.Format("table", "json");
    private static readonly Option<string> Progress = ProgressOption();
    private static readonly Option<bool> Quiet = CommonOptions.Quiet();
    private static readonly Option<bool> Verbose = CommonOptions.Verbose();

    private static Option<string> ProgressOption()
    {
        var o = new Option<string>("--progress")
        {
            Description = "Progress on stderr: auto = one live line on a terminal, plain lines every 10 s otherwise (or with NO_COLOR / TERM=dumb); " +
                          "plain; json = newline-delimited JSON events (docs/cli.md); none.",
            DefaultValueFactory = _ => "auto",
        };
        o.AcceptOnlyFromAmong("auto", "plain", "json", "none");
        return o;
    }
    private static readonly Option<bool> NoWait = new("--no-wait")
    {
        Description = "PostgreSQL work queue: when nothing is left to claim but other workers still hold items, exit 3 at once with how many they hold, instead of waiting for them (or for a dead worker's lease to run out and taking its items over).",
    };

    private static Option<string> CommonOptionsMode()
    {
        var o = new Option<string>("--mode", "-m") { Description = "single: each engine's lossy curve (11 levels) + colour curve; full: all 1,200 pipelines × presets.", DefaultValueFactory = _ => "single" };
        o.AcceptOnlyFromAmong("single", "full");
        return o;
    }

    public static Command Create()
    {
        var command = new Command("run", "Compress every GIF under INPUT with every planned pipeline and store sizes, validation and quality metrics.")
        {
            Input, Db, Mode, Force, Upgrade, RetryFailed, Jobs, DryRun, Levels, Colors, FrameRatios, EnginesOpt, Timeout, ExactMetrics,
            QuarantineDir, Profile, TempDir, Shard, MaxProcesses, Format, Progress, Quiet, Verbose,
            QuarantineDir, Profile, TempDir, Shard, MaxProcesses, NoWait,
        };
        command.SetAction((parse, ct) => CliErrors.Guard(() => RunAsync(parse, ct)));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        var input = parse.GetValue(Input)!;
        if (!Directory.Exists(input) && !File.Exists(input))
        {
            await Console.Error.WriteLineAsync($"giflab run: input '{input}' does not exist.");
            return ExitCodes.InputError;
        }
        var jobs = parse.GetValue(Jobs);
        if (jobs < 1) throw new UsageException("--jobs must be at least 1.");
        var timeout = parse.GetValue(Timeout);
        if (timeout < 1) throw new UsageException("--timeout must be at least 1 second.");
        var grid = new GridOptions(
            parse.GetValue(Mode)!,
            GridParsing.Ints(parse.GetValue(Levels), "--levels", 0, 100),
            GridParsing.Ints(parse.GetValue(Colors), "--colors", 2, 256),
            GridParsing.Ratios(parse.GetValue(FrameRatios)),
            GridParsing.Engines(parse.GetValue(EnginesOpt)));
        // A configured LPIPS model that does not load stops the run here, before any work (exit 4 via CliErrors).
        using var lpips = GifLab.Metrics.OnnxLpipsModel.LoadFromEnvironment();
        var options = new RunOptions
        {
            InputPath = input,
            Force = parse.GetValue(Force),
            Upgrade = parse.GetValue(Upgrade),
            RetryFailed = parse.GetValue(RetryFailed),
            NoWait = parse.GetValue(NoWait),
            Jobs = jobs,
            ExactMetrics = parse.GetValue(ExactMetrics),
            QuarantineDir = parse.GetValue(QuarantineDir),
            TempRoot = parse.GetValue(TempDir),
            Shard = GridParsing.Shard(parse.GetValue(Shard)),
            LpipsModel = lpips,
        };

        var maxProcesses = parse.GetValue(MaxProcesses) ?? jobs;
        if (maxProcesses < 1) throw new UsageException("--max-processes must be at least 1.");
        var settings = EngineSettings.Default with { Timeout = TimeSpan.FromSeconds(timeout), MaxConcurrentProcesses = maxProcesses };
        var catalog = await EngineCatalog.ProbeAsync(settings, ct);
        var plan = RunPlanner.Plan(grid, catalog);

        var json = parse.GetValue(Format) == "json";
        if (parse.GetValue(DryRun))
        {
            if (json) Console.WriteLine(DryRunJson(grid, plan, input));
            else PrintDryRun(grid, plan, input);
            return ExitCodes.Ok;
        }

        var quiet = parse.GetValue(Quiet);
        var verbose = parse.GetValue(Verbose);
        if (quiet && verbose) throw new UsageException("--quiet and --verbose exclude each other.");
        var dbPath = parse.GetValue(Db)!;
        var err = Console.Error;
        // Nothing to run: said before any header or summary, and before the database is created.
        var rejected = new List<GifLab.Discovery.RejectedFile>();
        if (GifLab.Discovery.GifScanner.FindCandidates(input, rejected).Count == 0)
        {
            foreach (var r in rejected) await err.WriteLineAsync($"giflab run: {r.Path}: {r.Message}");
            await err.WriteLineAsync($"giflab run: no *.gif files found under {input}.");
            return ExitCodes.InputError;
        }
        var mode = ConsoleProgress.Resolve(parse.GetValue(Progress)!, quiet, Console.IsErrorRedirected, Environment.GetEnvironmentVariable);
        // With JSON progress, stderr carries only JSON lines (and error messages): the header is the "start" event.
        var info = quiet || mode == ProgressMode.Json ? TextWriter.Null : err;
        await info.WriteLineAsync($"GifLab run: input {input}, database {Secrets.Redact(dbPath)}, mode {grid.Mode}, jobs {jobs}");
        await info.WriteLineAsync(lpips is null ? $"  lpips: off ({Core.Metrics.Lpips.NoModelReason})" : $"  lpips: {lpips.Description}");
        await info.WriteLineAsync($"  {EngineLauncher.Description}");
        foreach (var line in UnavailableLines(plan.SkippedUnavailable))
            await info.WriteLineAsync("  " + line);
        if (plan.Items.Count == 0)
        {
            await err.WriteLineAsync("giflab run: no runnable pipeline: every planned tool is unavailable (see `giflab engines`).");
            return ExitCodes.ToolMissing;
        }

        WarnIfLowOnSpace(err, dbPath, options.TempRoot ?? TempSpace.DefaultParent());
        await using var store = StoreFactory.Create(dbPath, lockTimeout: StoreLockTimeout());
        await store.InitializeAsync(ct);
        // SQLite: one run per database file (a second one refuses, exit 5); PostgreSQL runs share the work queue instead.
        using var runLock = store.SharedDatabase is null && !StoreFactory.IsPostgres(dbPath) ? SqliteRunLock.Acquire(dbPath) : null;
        // PostgreSQL: many workers share one database through its work queue (claims with leases and heartbeats).
        await using var coordinator = store.SharedDatabase is { } shared && options.Shard is null
            ? await GifLab.Queue.QueueRunCoordinator.StartAsync(new GifLab.Queue.PostgresWorkQueue(shared, QueueOptions()), ct)
            : null;
        if (coordinator is not null) await info.WriteLineAsync($"  work queue: worker {coordinator.WorkerId}");
        using var progress = new ConsoleProgress(err, mode, plan.Items.Count, verbose);
        if (mode == ProgressMode.Json)
            progress.WriteEvent("start", w =>
            {
                w.WriteString("input", input);
                w.WriteString("database", Secrets.Redact(dbPath));
                w.WriteString("mode", grid.Mode);
                w.WriteNumber("jobs", jobs);
                w.WriteNumber("runs_per_gif", plan.Items.Count);
                w.WriteString("lpips", lpips?.Description);
                w.WriteStartArray("skipped_tools");
                foreach (var s in plan.SkippedUnavailable)
                {
                    w.WriteStartObject();
                    w.WriteString("tool", s.ToolName);
                    w.WriteNumber("runs_per_gif", s.ItemsPerGif);
                    w.WriteString("reason", s.Reason);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            });
        var summary = await new RunExecutor(store, catalog, new PipelineExecutor(catalog, settings), progress, coordinator).RunAsync(options, plan, ct);
        var exit = ExitCodeOf(summary);
        if (mode == ProgressMode.Json)
            progress.WriteEvent("finished", w =>
            {
                w.WriteNumber("runs_executed", summary.RunsExecuted);
                w.WriteNumber("runs_valid", summary.RunsValid);
                w.WriteNumber("runs_failed", summary.RunsFailed);
                w.WriteNumber("exit_code", exit);
            });
        progress.Stop();
        if (summary.HeldByOthers > 0)
            await err.WriteLineAsync($"giflab run: --no-wait: stopped with {summary.HeldByOthers} item(s) still claimed by other workers (see `giflab stats`); rerun without --no-wait to wait for them or take them over.");
        if (json) Console.WriteLine(SummaryJson(summary, store.Location, exit));
        else PrintSummary(summary, store);
        if (parse.GetValue(Profile) is { } profilePath)
            await File.WriteAllTextAsync(profilePath, ProfileJson(summary, jobs), CancellationToken.None);
        if (exit == ExitCodes.InputError)
            await err.WriteLineAsync($"giflab run: no GIF under {input} could be read and decoded (see the rejected and failed files above).");
        if (summary.EnvironmentStop is { } stopped && !summary.Cancelled)
            await err.WriteLineAsync($"giflab run: stopped: {stopped}. Nothing was stored for the runs it affected (no failure, no result); " +
                                     "committed runs are kept; fix it and rerun to finish.");
        return exit;
    }

    /// <summary>
    /// 130 cancelled; 5 when an environment problem stopped the run (the temp folder full); 6 when no file found was a decodable GIF (every file rejected or undecodable: README "input
    /// error"); 3 when some runs, GIFs or files failed; else 0.
    /// </summary>
    internal static int ExitCodeOf(RunSummary s)
    {
        if (s.Cancelled) return ExitCodes.Cancelled;
        if (s.EnvironmentStop is not null) return ExitCodes.StorageUnavailable; // e.g. the temp folder full: nothing false stored
        if (s.HeldByOthers > 0) return ExitCodes.ItemFailures; // --no-wait with items other workers still hold
        if (s.FilesFound == 0) return ExitCodes.InputError;
        if (s.GifsProcessed == 0 && s.GifsSkippedComplete == 0 && (s.GifsFailed > 0 || s.Rejected.Count > 0)) return ExitCodes.InputError;
        return s.RunsFailed > 0 || s.GifsFailed > 0 || s.Rejected.Count > 0 || s.RunsDeferred > 0 ? ExitCodes.ItemFailures : ExitCodes.Ok;
    }

    /// <summary>
    /// Unavailable tools grouped by reason, each reason printed once (an engine family that is missing makes all its
    /// tools unavailable for the same reason): a line naming the tools and a line with the reason.
    /// </summary>
    internal static IEnumerable<string> UnavailableLines(IEnumerable<SkippedTool> skipped)
    {
        foreach (var group in skipped.GroupBy(s => s.Reason).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var tools = group.OrderBy(s => s.ToolName, StringComparer.Ordinal).ToList();
            yield return $"skipped, unavailable ({tools.Sum(t => t.ItemsPerGif)} runs per GIF): {string.Join(", ", tools.Select(t => $"{t.ToolName} {t.ItemsPerGif}"))}";
            yield return $"  reason: {group.Key}";
        }
    }

    internal static string SummaryJson(RunSummary s, string database, int exitCode)
    {
        var p = s.Profile;
        var doc = new Dictionary<string, object?>
        {
            ["database"] = database,
            ["exit_code"] = exitCode,
            ["cancelled"] = s.Cancelled,
            ["files_found"] = s.FilesFound,
            ["gifs_distinct"] = s.GifsDistinct,
            ["gifs_new"] = s.GifsNew,
            ["gifs_processed"] = s.GifsProcessed,
            ["gifs_skipped_complete"] = s.GifsSkippedComplete,
            ["gifs_failed"] = s.GifsFailed,
            ["features_extracted"] = s.FeaturesExtracted,
            ["runs_executed"] = s.RunsExecuted,
            ["runs_valid"] = s.RunsValid,
            ["runs_corrupted"] = s.RunsCorrupted,
            ["runs_error"] = s.RunsError,
            ["runs_skipped_existing"] = s.RunsSkippedExisting,
            ["runs_deferred"] = s.RunsDeferred,
            ["environment_stop"] = s.EnvironmentStop,
            ["environment_notes"] = s.EnvironmentNotes.ToList(),
            ["duplicates"] = s.Duplicates.Select(d => new Dictionary<string, string> { ["path"] = d.Path, ["same_as"] = d.FirstPath }).ToList(),
            ["rejected"] = s.Rejected.Select(r => new Dictionary<string, string> { ["path"] = r.Path, ["error_type"] = r.ErrorType, ["message"] = r.Message }).ToList(),
            ["gif_failures"] = s.GifFailures.ToList(),
            ["skipped_tools"] = s.SkippedTools.Select(t => new Dictionary<string, object> { ["tool"] = t.ToolName, ["runs_per_gif"] = t.ItemsPerGif, ["reason"] = t.Reason }).ToList(),
            ["time_ms"] = new Dictionary<string, double>
            {
                ["wall"] = Math.Round(s.Elapsed.TotalMilliseconds, 1), ["engine_wall"] = p.EngineWallMs, ["engine_cpu"] = p.EngineCpuMs,
                ["read"] = p.ReadMs, ["decode"] = p.DecodeMs, ["features"] = p.FeaturesMs, ["metric_prepare"] = p.PrepareMs,
                ["validate"] = p.ValidateMs, ["metrics"] = p.MetricsMs, ["store"] = p.StoreMs,
            },
        };
        return JsonSerializer.Serialize(doc, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    internal static string DryRunJson(GridOptions grid, RunPlan plan, string input)
    {
        var files = GifLab.Discovery.GifScanner.FindCandidates(input);
        var doc = new Dictionary<string, object?>
        {
            ["mode"] = grid.Mode,
            ["grid_pipelines"] = plan.GridPipelines,
            ["grid_runs_per_gif"] = plan.GridItems,
            ["runs_per_gif"] = plan.Items.Count,
            ["pipelines"] = plan.Items.Select(i => i.Pipeline).Distinct().Count(),
            ["files"] = files.Count,
            ["total_runs"] = (long)plan.Items.Count * files.Count,
            ["rows"] = plan.Details is { } details
                ? GifLab.Pipelines.PipelinePlanner.Summarize(details).Select(r => new Dictionary<string, object?>
                  {
                      ["engine"] = r.Engine, ["tool"] = r.Tool, ["planned_per_gif"] = r.Planned, ["skipped_per_gif"] = r.Skipped, ["reason"] = r.Reason,
                  }).ToList()
                : null,
            ["skipped_tools"] = plan.SkippedUnavailable.Select(t => new Dictionary<string, object> { ["tool"] = t.ToolName, ["runs_per_gif"] = t.ItemsPerGif, ["reason"] = t.Reason }).ToList(),
        };
        return JsonSerializer.Serialize(doc, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>Work-queue options: the lease (how long a dead worker's claims stay blocked) from GIFLAB_QUEUE_LEASE seconds, default 60 s (heartbeat every quarter of it).</summary>
    internal static GifLab.Queue.WorkQueueOptions QueueOptions() =>
        int.TryParse(Environment.GetEnvironmentVariable("GIFLAB_QUEUE_LEASE"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s > 0
            ? GifLab.Queue.WorkQueueOptions.Default with { Lease = TimeSpan.FromSeconds(s) }
            : GifLab.Queue.WorkQueueOptions.Default;

    /// <summary>Lock retry limit: 30 s, or GIFLAB_LOCK_TIMEOUT seconds.</summary>
    internal static TimeSpan StoreLockTimeout() =>
        int.TryParse(Environment.GetEnvironmentVariable("GIFLAB_LOCK_TIMEOUT"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s > 0
            ? TimeSpan.FromSeconds(s) : TimeSpan.FromSeconds(30);

    /// <summary>Free-space check before a run: a clear warning under 512 MiB (the run still starts; a full disk later is reported with exit 5).</summary>
    private static void WarnIfLowOnSpace(TextWriter err, string dbPath, string tempParent)
    {
        const long low = 512L << 20;
        var dbDir = Path.GetDirectoryName(Path.GetFullPath(dbPath)) ?? ".";
        foreach (var (what, path) in new[] { ("database", Directory.Exists(dbDir) ? dbDir : "."), ("temp", tempParent) })
        {
            var free = TempSpace.SafeFreeBytes(path);
            if (free >= 0 && free < low)
                err.WriteLine($"giflab run: warning: only {free / (1 << 20)} MiB free for the {what} folder {path}; the run may stop with 'disk full' (exit 5).");
        }
    }

    private static void PrintDryRun(GridOptions grid, RunPlan plan, string input)
    {
        var files = GifLab.Discovery.GifScanner.FindCandidates(input);
        Console.WriteLine($"Dry run: mode {grid.Mode}: grid of {plan.GridPipelines} pipelines, {plan.GridItems} runs per GIF; " +
                          $"{plan.Items.Count} runs per GIF over {plan.Items.Select(i => i.Pipeline).Distinct().Count()} pipelines with available tools.");
        Console.WriteLine($"{files.Count} GIF file(s) found → up to {(long)plan.Items.Count * files.Count} runs.");
        if (plan.Details is { } details)
            foreach (var line in GifLab.Pipelines.PipelinePlanner.RenderSummary(details, Math.Max(files.Count, 1)))
                Console.WriteLine("  " + line);
        foreach (var line in UnavailableLines(plan.SkippedUnavailable))
            Console.WriteLine(line);
    }

    private static void PrintSummary(RunSummary s, IResultStore store)
    {
        var o = Console.Out;
        o.WriteLine($"GIF files found: {s.FilesFound} ({s.GifsDistinct} distinct, {s.Duplicates.Count} duplicate content, {s.Rejected.Count} rejected)");
        o.WriteLine($"GIFs: {s.GifsNew} new, {s.GifsProcessed} processed, {s.GifsSkippedComplete} already complete, {s.GifsFailed} failed; features extracted: {s.FeaturesExtracted}");
        o.WriteLine($"Runs: {s.RunsExecuted} executed ({s.RunsValid} valid, {s.RunsCorrupted} corrupted, {s.RunsError} error), {s.RunsSkippedExisting} already stored");
        foreach (var d in s.Duplicates.Take(20)) o.WriteLine($"  duplicate: {d.Path} = {d.FirstPath}");
        foreach (var r in s.Rejected.Take(50)) o.WriteLine($"  rejected ({r.ErrorType}): {r.Path}: {r.Message}");
        foreach (var f in s.GifFailures.Take(50)) o.WriteLine($"  failed: {f}");
        // Unavailable tools are named, not explained again: the reason is in the run header and `giflab engines`.
        if (s.SkippedTools.Count > 0)
            o.WriteLine($"Skipped, unavailable: {string.Join(", ", s.SkippedTools.Select(t => t.ToolName).Order(StringComparer.Ordinal))} (see `giflab engines`)");
        if (s.RunsDeferred > 0)
            o.WriteLine($"Deferred: {s.RunsDeferred} runs not stored because of an environment problem (no property of the GIF); a plain rerun does them");
        foreach (var note in s.EnvironmentNotes) o.WriteLine($"  environment: {note}");
        var p = s.Profile;
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Time: wall {s.Elapsed.TotalSeconds:0.0} s; engine wall {p.EngineWallMs / 1000:0.0} s, engine CPU {p.EngineCpuMs / 1000:0.0} s; read {p.ReadMs / 1000:0.00} s, decode {p.DecodeMs / 1000:0.00} s"));
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"      features {p.FeaturesMs / 1000:0.00} s, metric prep {p.PrepareMs / 1000:0.00} s, validate {p.ValidateMs / 1000:0.00} s, metrics {p.MetricsMs / 1000:0.00} s ({p.MetricsReused} runs reused a byte-identical output's values), store {p.StoreMs / 1000:0.00} s"));
        o.WriteLine($"Database: {store.Location}{(s.Cancelled ? " (cancelled: committed runs kept; rerun to finish)" : "")}");
    }

    /// <summary>(wall × cores − engine CPU) ÷ (wall × cores): the share of the machine not spent inside engines.</summary>
    internal static double OverheadShare(double wallMs, double engineCpuMs)
    {
        var capacity = wallMs * Environment.ProcessorCount;
        return capacity > 0 ? Math.Max(0, capacity - engineCpuMs) / capacity : 0;
    }

    /// <summary>This process's minor page faults (/proc/self/stat field 10), or null where there is no procfs.</summary>
    private static long? MinorFaults()
    {
        try
        {
            var stat = File.ReadAllText("/proc/self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[7], CultureInfo.InvariantCulture);   // field 10 counted from pid = index 7 after ")"
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    internal static string ProfileJson(RunSummary s, int jobs)
    {
        var p = s.Profile;
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        var doc = new Dictionary<string, object?>
        {
            ["wall_ms"] = s.Elapsed.TotalMilliseconds,
            ["jobs"] = jobs,
            ["cores"] = Environment.ProcessorCount,
            ["engine_wall_ms"] = p.EngineWallMs,
            ["engine_cpu_ms"] = p.EngineCpuMs,
            ["engine_cpu_sampled_ms"] = p.EngineCpuSampledMs,
            ["read_ms"] = p.ReadMs,
            ["decode_ms"] = p.DecodeMs,
            ["features_ms"] = p.FeaturesMs,
            ["metric_prepare_ms"] = p.PrepareMs,
            ["metrics_reused_runs"] = p.MetricsReused,
            ["validate_ms"] = p.ValidateMs,
            ["metrics_ms"] = p.MetricsMs,
            ["store_ms"] = p.StoreMs,
            ["gifs_processed"] = s.GifsProcessed,
            ["gifs_failed"] = s.GifsFailed,
            ["runs_executed"] = s.RunsExecuted,
            ["runs_valid"] = s.RunsValid,
            ["runs_failed"] = s.RunsFailed,
            ["runs_skipped_existing"] = s.RunsSkippedExisting,
            ["cancelled"] = s.Cancelled,
            ["giflab_cpu_ms"] = self.TotalProcessorTime.TotalMilliseconds,
            ["jit_ms"] = System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds,
            ["jit_methods"] = System.Runtime.JitInfo.GetCompiledMethodCount(),
            ["peak_rss_bytes"] = self.PeakWorkingSet64,
            // What limits scaling: user vs kernel CPU (page faults), collections and their pauses, lock contention.
            ["giflab_user_cpu_ms"] = self.UserProcessorTime.TotalMilliseconds,
            ["giflab_sys_cpu_ms"] = self.PrivilegedProcessorTime.TotalMilliseconds,
            ["minor_faults"] = MinorFaults(),
            ["gc_server"] = System.Runtime.GCSettings.IsServerGC,
            ["gc_heaps"] = GC.GetConfigurationVariables().TryGetValue("HeapCount", out var heaps) ? heaps : null,
            ["gc_pause_ms"] = GC.GetTotalPauseDuration().TotalMilliseconds,
            ["gc_count_gen0"] = GC.CollectionCount(0),
            ["gc_count_gen1"] = GC.CollectionCount(1),
            ["gc_count_gen2"] = GC.CollectionCount(2),
            ["allocated_bytes"] = GC.GetTotalAllocatedBytes(),
            ["lock_contentions"] = Monitor.LockContentionCount,
            ["thread_pool_threads"] = ThreadPool.ThreadCount,
            ["overhead_share"] = OverheadShare(s.Elapsed.TotalMilliseconds, p.EngineCpuMs),
        };
        return JsonSerializer.Serialize(doc, new JsonSerializerOptions { WriteIndented = true });
    }
}
