using System.Diagnostics;
using System.Threading.Channels;
using GifLab.Core.Decoding;
using GifLab.Core.Metrics;
using GifLab.Core.Model;
using GifLab.Engines;
using GifLab.Storage;
using GifLab.Validation;

namespace GifLab.Runs;

/// <summary>
/// One worker's loop and one run step: execute the pipeline → validate the output → measure it → the record to store.
/// Failures become records too (tool, unavailable, rejected output, internal error); a cancelled run leaves none, so a
/// rerun does it.
/// </summary>
internal sealed class RunStep(RunContext ctx, PipelineExecutor executor)
{
    /// <summary>Decoded bytes of a source GIF above which a full (non-compacting) collection follows each of its runs.</summary>
    internal const long LargeGifBytes = 256L << 20;

    private readonly MetricOptions _metricOptions = ctx.Options.ToMetricOptions();

    public async Task WorkAsync(ChannelReader<RunWork> reader, ChannelWriter<RunRecord> results, CancellationToken ct)
    {
        var summary = ctx.Summary;
        await foreach (var w in reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            try
            {
                if (ct.IsCancellationRequested || ctx.StoreFailed) continue;
                var record = await RunAsync(w.Gif, w.Run, ct).ConfigureAwait(false);
                if (record is null) continue;
                Interlocked.Increment(ref summary.RunsExecuted);
                switch (record.ValidationStatus)
                {
                    case "valid": Interlocked.Increment(ref summary.RunsValid); break;
                    case "corrupted": Interlocked.Increment(ref summary.RunsCorrupted); break;
                    default: Interlocked.Increment(ref summary.RunsError); break;
                }
                await results.WriteAsync(record, CancellationToken.None).ConfigureAwait(false);
                ctx.Observer.RunFinished(w.Gif.Source.Path, w.Run.Key.Pipeline, w.Run.Key.Preset, record.ValidationStatus);
            }
            finally
            {
                w.Gif.RunGate?.Release(); // taken by GifFeeder when it queued this run
                w.Gif.Complete();
                CollectAfterLargeRun(w.Gif.Source.Frames);
            }
        }
    }

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

    private async Task<RunRecord?> RunAsync(PreparedGif gif, PendingRun run, CancellationToken ct)
    {
        // Check free space before writing: a run that cannot have room in the temp folder is not started, and the
        // whole command stops (exit 5) instead of storing failures that are no property of the GIF.
        var need = TempSpace.NeededFreeBytes(gif.Source.FileSizeBytes);
        if (ctx.Temp.FreeBytes is var free && free >= 0 && free < need)
        {
            ctx.StopForEnvironment(TempFullMessage(free, need));
            return null;
        }
        var record = await ExecuteAsync(gif, run, need, ct).ConfigureAwait(false);
        // Interrupted (Ctrl+C, SIGTERM) or stopped by an environment problem while in flight: whatever the run saw (an
        // engine killed under it, a failed write) is no property of the GIF, so nothing is stored and a rerun does it.
        return ct.IsCancellationRequested ? null : record;
    }

    private static string TempFullMessage(long free, long need) =>
        $"temp folder full: {free / 1024:N0} KiB free, a run needs {need / 1024:N0} KiB (use --temp-dir on a larger file system, or free space)";

    /// <summary>
    /// Whether a run that did not produce a valid output was the victim of a full temp folder: the engine or GifLab
    /// said so (ENOSPC, EDQUOT), or the folder has less room now than a run needs (measured before its folder is
    /// removed). Engines do not always say it: gifsicle writes a truncated file and exits 0, ImageMagick says only
    /// "unable to write file", ffmpeg prints "No space left on device" and exits 0.
    /// </summary>
    private bool TempFull(string? evidence, long need, out string reason)
    {
        var free = ctx.Temp.FreeBytes;
        reason = TempFullMessage(Math.Max(free, 0), need);
        if (evidence is not null && (evidence.Contains("No space left on device", StringComparison.OrdinalIgnoreCase)
                                     || evidence.Contains("ENOSPC", StringComparison.Ordinal)
                                     || evidence.Contains("Disk quota exceeded", StringComparison.OrdinalIgnoreCase)))
            return true;
        return free >= 0 && free < need;
    }

    /// <summary>An engine failure that is an environment problem, not a property of the GIF; null otherwise.</summary>
    internal static string? EnvironmentProblem(ToolFailedException e) => e.Reason switch
    {
        ToolFailureReason.StartFailed => $"{e.ToolName} could not be started (missing or not executable)",
        // Killed by a signal GifLab did not send (SIGHUP, SIGINT, SIGQUIT, SIGKILL e.g. by the OOM killer, SIGTERM).
        ToolFailureReason.ExitCode when e.ExitCode is 129 or 130 or 131 or 137 or 143 =>
            $"{e.ToolName} was killed by signal {e.ExitCode - 128} from outside GifLab",
        _ => null,
    };

    private RunRecord? Defer(PendingRun run, PreparedGif gif, string reason)
    {
        Interlocked.Increment(ref ctx.Summary.RunsDeferred);
        if (ctx.Summary.EnvironmentNotes.Count < 20) ctx.Summary.EnvironmentNotes.Enqueue($"{run.Describe(gif.Source.Path)}: {reason}");
        return null;
    }

    private async Task<RunRecord?> ExecuteAsync(PreparedGif gif, PendingRun run, long need, CancellationToken ct)
    {
        var summary = ctx.Summary;
        var workDir = ctx.Temp.CreateWorkDir();
        var sw = Stopwatch.StartNew();
        FrameSequence? decoded = null;
        try
        {
            PipelineOutcome outcome;
            try
            {
                outcome = await executor.ExecuteAsync(run.Key.Pipeline, run.Key.Preset, gif.Source, workDir, ct).ConfigureAwait(false);
            }
            catch (ToolFailedException e)
            {
                if (TempFull(e.StderrTail, need, out var full)) { ctx.StopForEnvironment(full); return null; }
                if (EnvironmentProblem(e) is { } problem) return Defer(run, gif, problem);
                return Failed(gif, run, sw, $"tool:{e.ReasonName}", e.Message, permanent: e.Reason is not ToolFailureReason.Timeout, e.Invocation.CommandLine);
            }
            catch (ToolUnavailableException e)
            {
                return Defer(run, gif, e.Message);
            }
            foreach (var left in outcome.LeftBehind)
                if (summary.EnvironmentNotes.Count < 20) summary.EnvironmentNotes.Enqueue($"{run.Describe(gif.Source.Path)}: engine left a process behind, killed: {left}");
            var durationMs = (long)sw.Elapsed.TotalMilliseconds;
            var commandLines = RunRecord.CommandLinesToJson(outcome.Invocations.Select(i => i.CommandLine).ToList());
            summary.Profile.AddEngine(outcome.EngineWallMs, outcome.EngineCpuMs);

            var vsw = Stopwatch.StartNew();
            // Never read a runaway output whole (the executor checks every step; this covers a pipeline without one).
            var outputLength = new FileInfo(outcome.OutputPath).Length;
            var cap = OutputLimits.MaxBytes(gif.Source);
            if (outputLength > cap)
                return RunRecord.Rejected(gif.GifId, run.PipelineId, run.PresetId, durationMs, MetricSuite.SetVersion, run.ToolVersionsJson,
                    validationStatus: "corrupted", outputSizeBytes: outputLength, compressionRatio: (double)gif.Source.FileSizeBytes / outputLength,
                    validationJson: RunDocuments.ChecksJson(new Dictionary<string, object?> { ["output_bytes"] = outputLength, ["output_cap_bytes"] = cap }),
                    engineCpuMs: outcome.EngineCpuMs,
                    reason: $"{run.Describe(gif.Source.Path)}: output is {outputLength:N0} bytes, over the cap of {cap:N0} bytes (not read)",
                    commandLine: outcome.Invocations.Count > 0 ? outcome.Invocations[^1].CommandLine : null);
            var outputBytes = await File.ReadAllBytesAsync(outcome.OutputPath, ct).ConfigureAwait(false);
            // Byte-identical outputs of this GIF share their colour count, validation and metric values (exact: same
            // frames); an output whose validation and metrics are both known is not even decoded.
            var memo = gif.Outputs?.For(outputBytes) ?? new OutputMemo.Entry();
            var expectation = OutputExpectation.For(run.Key.Pipeline, run.Key.Preset, gif.Source.Frames, ctx.Catalog.Registry);
            if (!memo.TryKnownValidation(expectation, out var validation, out var checksJson))
            {
                validation = OutputValidator.Validate(outputBytes, expectation, out decoded, memo.MaxColors, FrameArrayPool.Shared);
                checksJson = RunDocuments.ChecksJson(validation.Checks);
                memo.AddValidation(expectation, validation, checksJson);
            }
            summary.Profile.AddValidate(vsw.Elapsed);
            var ratio = outputBytes.Length > 0 ? (double)gif.Source.FileSizeBytes / outputBytes.Length : (double?)null;
            if (validation.Status != ValidationStatus.Valid)
            {
                // A truncated output written into a full temp folder is the disk's doing, not the engine's.
                if (TempFull(null, need, out var full)) { ctx.StopForEnvironment(full); return null; }
                return RunRecord.Rejected(gif.GifId, run.PipelineId, run.PresetId, durationMs, MetricSuite.SetVersion, run.ToolVersionsJson,
                    validationStatus: validation.StatusName, outputSizeBytes: outputBytes.Length, compressionRatio: ratio,
                    validationJson: checksJson, engineCpuMs: outcome.EngineCpuMs,
                    reason: $"{run.Describe(gif.Source.Path)}: {validation.Reason}",
                    commandLine: outcome.Invocations.Count > 0 ? outcome.Invocations[^1].CommandLine : null, commandLinesJson: commandLines);
            }

            var msw = Stopwatch.StartNew();
            var metricsJson = memo.MetricsJson(
                () => MetricsDocument.Write(ctx.Metrics.Measure(gif.Reference,
                    decoded ?? throw new InvalidOperationException("validation reused without metric values"), // TryKnownValidation rules this out
                    _metricOptions, gif.Source.FileSizeBytes, outputBytes.Length)),
                out var reused);
            summary.Profile.AddMetrics(msw.Elapsed);
            if (reused) summary.Profile.AddMetricsReused();
            return RunRecord.Valid(gif.GifId, run.PipelineId, run.PresetId, durationMs, MetricSuite.SetVersion, run.ToolVersionsJson,
                outputSizeBytes: outputBytes.Length, compressionRatio: ratio, metricsJson: metricsJson,
                validationJson: checksJson, engineCpuMs: outcome.EngineCpuMs, commandLinesJson: commandLines);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return null; // in flight when cancelled: not stored, rerun will do it
        }
        catch (IOException e) when (e.HResult is 28 or 122 || TempFull(e.Message, need, out _))
        {
            // GifLab's own write (a copy of the source, PNG frames, a config file) hit a full temp folder.
            TempFull(e.Message, need, out var full);
            ctx.StopForEnvironment(full);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException or GifFormatException)
        {
            return Failed(gif, run, sw, $"internal:{e.GetType().Name}", $"{run.Describe(gif.Source.Path)}: {e.Message}", permanent: false, null);
        }
        finally
        {
            TempSpace.TryDelete(workDir);
            // The decoded output's frames are read by validation and the metric suite only, both done here: the next
            // output of this size decodes into the same arrays.
            if (decoded is not null) FrameArrayPool.Shared.Return(decoded);
        }
    }

    private static RunRecord Failed(PreparedGif gif, PendingRun run, Stopwatch sw, string type, string message, bool permanent, string? commandLine) =>
        RunRecord.Failed(gif.GifId, run.PipelineId, run.PresetId, (long)sw.Elapsed.TotalMilliseconds, MetricSuite.SetVersion,
            run.ToolVersionsJson, type, message, permanent, commandLine);
}
