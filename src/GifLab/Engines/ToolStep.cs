namespace GifLab.Engines;

/// <summary>Timing facts of a step's input (or expected output): per-frame delays, NETSCAPE loop count, canvas size.</summary>
/// <param name="DelaysMs">Delay of each frame in ms (multiples of 10: GIF stores centiseconds).</param>
/// <param name="LoopCount">0 = forever, n = n repeats, -1 = no loop extension (play once).</param>
public sealed record Timeline(IReadOnlyList<int> DelaysMs, int LoopCount, int Width, int Height)
{
    public int FrameCount => DelaysMs.Count;

    public int DurationMs
    {
        get
        {
            var total = 0;
            foreach (var d in DelaysMs) total += d;
            return total;
        }
    }

    public static Timeline Of(Core.Model.FrameSequence frames)
    {
        var delays = new int[frames.FrameCount];
        for (var i = 0; i < delays.Length; i++) delays[i] = frames.Frames[i].DelayMs;
        return new Timeline(delays, frames.Info.LoopCount, frames.Width, frames.Height);
    }
}

/// <summary>Everything a tool needs to build its command lines for one step.</summary>
/// <param name="Executable">Resolved binary of the tool's family (ignored by no-op tools).</param>
/// <param name="InputPath">Absolute input GIF path.</param>
/// <param name="OutputPath">Absolute output GIF path.</param>
/// <param name="ScratchPrefix">Absolute path prefix (inside the run's work directory) for any temporary file of this step.</param>
/// <param name="Input">Timing facts of the input.</param>
public sealed record StepRequest(string Executable, string InputPath, string OutputPath, string ScratchPrefix,
    int LossyLevel, int ColorCount, double FrameRatio, Timeline Input)
{
    /// <summary>Names of FFmpeg dithers the installed binary supports (null = not probed; assume all).</summary>
    public IReadOnlySet<string>? FfmpegDithers { get; init; }

    /// <summary>Whether the installed FFmpeg gif muxer has <c>-final_delay</c> (null = assume yes).</summary>
    public bool FfmpegFinalDelay { get; init; } = true;
}

/// <summary>A PNG the executor must write before running the step: frame <paramref name="FrameIndex"/> of the step's input.</summary>
public sealed record PngFrameFile(string Path, int FrameIndex);

/// <summary>A text file the executor must write before running the step.</summary>
public sealed record TextFile(string Path, string Content);

/// <summary>How the executor restores the expected delays in a step's output.</summary>
public enum DelayRestoreMode
{
    /// <summary>The tool keeps delays itself.</summary>
    None,
    /// <summary>Write the expected delays when the output has exactly the expected number of frames.</summary>
    ExactCount,
    /// <summary>The tool ran at 100 fps over <see cref="StepPlan.Listing"/>; map merged 1 cs frames back to source delays.</summary>
    MergedListings,
}

/// <summary>A pure description of one step: files to write, processes to run in order, and the expected output timing.</summary>
/// <param name="Invocations">Processes to run, in order; each must exit 0.</param>
/// <param name="Output">Timing the output should have.</param>
/// <param name="CopyInput">True for no-op tools: copy input to output, run nothing.</param>
public sealed record StepPlan(IReadOnlyList<ToolInvocation> Invocations, Timeline Output, bool CopyInput = false)
{
    public IReadOnlyList<PngFrameFile> PngFrames { get; init; } = [];
    public IReadOnlyList<TextFile> TextFiles { get; init; } = [];
    /// <summary>Delay restoration the executor applies to the output (see <see cref="GifDelayPatcher"/>).</summary>
    public DelayRestoreMode DelayRestore { get; init; }

    /// <summary>For <see cref="DelayRestoreMode.MergedListings"/>: the input frame index of each image given to the tool.</summary>
    public IReadOnlyList<int> Listing { get; init; } = [];

    /// <summary>Directories/files created only for this step, removed after it.</summary>
    public IReadOnlyList<string> Scratch { get; init; } = [];
}
