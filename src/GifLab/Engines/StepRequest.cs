namespace GifLab.Engines;

/// <summary>Everything a tool needs to build its command lines for one step.</summary>
/// <param name="Executable">Resolved binary of the tool's family (ignored by no-op tools).</param>
/// <param name="InputPath">Absolute input GIF path.</param>
/// <param name="OutputPath">Absolute output GIF path.</param>
/// <param name="ScratchPrefix">Absolute path prefix (inside the run's work directory) for any temporary file of this step.</param>
/// <param name="Input">Timing facts of the input.</param>
public sealed record StepRequest(string Executable, string InputPath, string OutputPath, string ScratchPrefix,
    int LossyLevel, int ColorCount, double FrameRatio, Timeline Input)
{
    /// <summary>What probing found about the tool's family binary (e.g. FFmpeg's <c>gif.final_delay</c>); empty when not probed.</summary>
    public IReadOnlyDictionary<string, string> Capabilities { get; init; } = new Dictionary<string, string>();
}
