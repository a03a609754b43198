using System.Diagnostics;
using GifLab.Core.Decoding;
using GifLab.Core.Encoding;
using GifLab.Core.Model;
using GifLab.Pipelines;

namespace GifLab.Engines;

/// <summary>
/// Runs the three slots of a pipeline (frame → colour → lossy) for one preset.
/// Steps: the frame step only when the frame tool is not <c>none-frame</c> and the ratio drops at least one frame;
/// the colour step when the colour tool is not <c>none-color</c>; the lossy step when the lossy tool is not
/// <c>none-lossy</c>. Steps chain through <c>_step{i}_compressed.gif</c>; the last writes <c>compressed.gif</c>
/// (a pipeline with no step copies the source there). Every file a step creates lives in <c>workDir</c>; per-step
/// scratch (PNG frames, palettes, configs) is removed after the step, the rest is the caller's to delete.
/// </summary>
public sealed class PipelineExecutor(EngineCatalog catalog, EngineSettings settings)
{
    private readonly ToolRunner _runner = new(settings);

    public EngineCatalog Catalog { get; } = catalog;
    public EngineSettings Settings { get; } = settings;

    /// <summary>Executes the pipeline on <paramref name="source"/>, writing intermediates and the output into <paramref name="workDir"/>.</summary>
    /// <exception cref="ToolFailedException">A step failed.</exception>
    /// <exception cref="ToolUnavailableException">A step's tool is unavailable.</exception>
    public async Task<PipelineOutcome> ExecuteAsync(PipelineId pipeline, ParamPreset preset, SourceGif source, string workDir, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(preset);
        ArgumentNullException.ThrowIfNull(source);
        LossyMapping.Check(preset.LossyLevel);
        workDir = Path.GetFullPath(workDir);
        Directory.CreateDirectory(workDir);

        var steps = PipelineSteps.Active(pipeline, preset, source.Frames.FrameCount, Catalog.Registry);
        foreach (var tool in steps)
            if (!Catalog.IsAvailable(tool.Name))
                throw new ToolUnavailableException(tool.Name,
                    Catalog.Tools.FirstOrDefault(s => s.Tool.Name == tool.Name)?.Reason ?? "not in the engine catalog");

        var finalOutput = Path.Combine(workDir, "compressed.gif");
        var invocations = new List<ToolInvocation>();
        var leftBehind = new List<string>();
        double wallMs = 0, cpuMs = 0;
        if (steps.Count == 0)
        {
            File.Copy(source.Path, finalOutput, overwrite: true);
            return new PipelineOutcome(finalOutput, 0, 0, invocations) { ExpectedTimeline = Timeline.Of(source.Frames) };
        }

        var input = SafeInput(source.Path, workDir);
        var timeline = Timeline.Of(source.Frames);
        FrameSequence? inputFrames = source.Frames;
        for (var i = 0; i < steps.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var tool = steps[i];
            var status = Catalog.Get(tool.Name);
            var output = i == steps.Count - 1 ? finalOutput : Path.Combine(workDir, $"_step{i + 1}_compressed.gif");
            var request = new StepRequest(status.BinaryPath ?? tool.Family, input, output, Path.Combine(workDir, $"_step{i + 1}_"),
                preset.LossyLevel, preset.ColorCount, preset.FrameRatio, timeline)
            {
                Capabilities = Catalog.Family(tool.Family)?.Capabilities ?? new Dictionary<string, string>(),
            };
            var plan = ToolCommands.Plan(tool, request, Catalog.Registry);
            try
            {
                if (plan.PngFrames.Count > 0)
                {
                    inputFrames ??= DecodeIntermediate(tool.Name, input, plan.Invocations[0]);
                    // Frames that came through earlier steps keep the expected delays when the count still matches.
                    if (inputFrames.FrameCount != timeline.FrameCount)
                    {
                        timeline = Timeline.Of(inputFrames);
                        plan = ToolCommands.Plan(tool, request with { Input = timeline }, Catalog.Registry);
                    }
                    WritePngs(plan.PngFrames, inputFrames);
                }
                foreach (var text in plan.TextFiles) await File.WriteAllTextAsync(text.Path, text.Content, ct).ConfigureAwait(false);
                File.Delete(output);
                foreach (var invocation in plan.Invocations)
                {
                    invocations.Add(invocation);
                    var result = await _runner.RunCheckedAsync(invocation, tool.Name, workDir, Settings.Timeout, ct).ConfigureAwait(false);
                    leftBehind.AddRange(result.LeftBehind);
                    wallMs += result.WallMs;
                    cpuMs += result.CpuMs ?? 0;
                }
                var info = new FileInfo(output);
                if (!info.Exists || info.Length == 0)
                    throw new ToolFailedException(tool.Name, ToolFailureReason.NoOutput, 0, plan.Invocations[^1], "");
                // Never read a runaway output into memory (delay restore, the next step, validation).
                if (info.Length > OutputLimits.MaxBytes(source))
                    throw new ToolFailedException(tool.Name, ToolFailureReason.OutputTooLarge, 0, plan.Invocations[^1],
                        $"output {Path.GetFileName(output)} is {info.Length:N0} bytes, over the cap of {OutputLimits.MaxBytes(source):N0} bytes for this source");
                if (plan.DelayRestore != DelayRestoreMode.None) await RestoreDelaysAsync(output, plan, ct).ConfigureAwait(false);
            }
            finally
            {
                foreach (var scratch in plan.Scratch) TryDelete(scratch);
            }
            input = output;
            timeline = plan.Output;
            inputFrames = null;
            if (i < steps.Count - 1 && GifDelayPatcher.ReadDelaysCs(await File.ReadAllBytesAsync(output, ct).ConfigureAwait(false)) is { } actual
                && actual.Length != timeline.FrameCount)
            {
                // The tool merged identical frames (gifsicle, gifski): continue from what it actually wrote.
                var delays = new int[actual.Length];
                for (var k = 0; k < delays.Length; k++) delays[k] = actual[k] * 10;
                timeline = timeline with { DelaysMs = delays };
            }
        }
        return new PipelineOutcome(finalOutput, wallMs, cpuMs, invocations) { ExpectedTimeline = timeline, LeftBehind = leftBehind };
    }

    /// <summary>
    /// The source path if every character is plain (letters, digits, '.', '_', '-', '/', not starting a name with '-'),
    /// else a copy inside <paramref name="workDir"/>: ImageMagick reads '[…]' and FFmpeg reads '%' and ':' specially.
    /// </summary>
    private static string SafeInput(string path, string workDir)
    {
        var full = Path.GetFullPath(path);
        var safe = true;
        foreach (var c in full)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '/')) { safe = false; break; }
        if (safe && full.Contains("/-", StringComparison.Ordinal)) safe = false;
        if (safe) return full;
        var copy = Path.Combine(workDir, "_source.gif");
        File.Copy(full, copy, overwrite: true);
        return copy;
    }

    /// <summary>Writes the expected delays into the output's GCEs (see <see cref="DelayRestoreMode"/>); leaves it untouched when they cannot be mapped.</summary>
    private static async Task RestoreDelaysAsync(string output, StepPlan plan, CancellationToken ct)
    {
        var bytes = await File.ReadAllBytesAsync(output, ct).ConfigureAwait(false);
        int[]? target = null;
        if (plan.DelayRestore == DelayRestoreMode.ExactCount)
        {
            target = new int[plan.Output.FrameCount];
            for (var i = 0; i < target.Length; i++) target[i] = plan.Output.DelaysMs[i] / 10;
        }
        else if (GifDelayPatcher.ReadDelaysCs(bytes) is { } current)
        {
            target = GifDelayPatcher.MapMergedListings(current, plan.Listing, plan.Output.DelaysMs);
        }
        if (target is null) return;
        var before = GifDelayPatcher.ReadDelaysCs(bytes);
        if (before is not null && before.AsSpan().SequenceEqual(target)) return;
        if (GifDelayPatcher.TryWriteDelaysCs(bytes, target))
            await File.WriteAllBytesAsync(output, bytes, ct).ConfigureAwait(false);
    }

    private static FrameSequence DecodeIntermediate(string toolName, string path, ToolInvocation context)
    {
        try
        {
            return GifDecoder.Decode(File.ReadAllBytes(path));
        }
        catch (GifFormatException e)
        {
            throw new ToolFailedException(toolName, ToolFailureReason.NoOutput, null, context,
                $"previous step's output {Path.GetFileName(path)} does not decode: {e.Message}");
        }
    }

    private static void WritePngs(IReadOnlyList<PngFrameFile> files, FrameSequence frames)
    {
        foreach (var file in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file.Path)!);
            var frame = frames.Frames[file.FrameIndex];
            File.WriteAllBytes(file.Path, PngEncoder.EncodeRgba(frame.Rgba, frames.Width, frames.Height));
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
            else if (File.Exists(path)) File.Delete(path);
        }
        catch (IOException) { Debug.WriteLine($"could not delete {path}"); }
        catch (UnauthorizedAccessException) { Debug.WriteLine($"could not delete {path}"); }
    }
}
