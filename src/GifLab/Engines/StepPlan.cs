namespace GifLab.Engines;

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
