namespace GifLab.Engines;

/// <summary>Result of executing one pipeline: the final GIF and where the time went.</summary>
/// <param name="OutputPath">The final output file (inside the run's work directory).</param>
/// <param name="EngineWallMs">Wall time spent in external processes.</param>
/// <param name="EngineCpuMs">CPU time (user + system) of the external processes, best effort (see <see cref="ProcessResult.CpuMs"/>).</param>
/// <param name="Invocations">Every command executed, in order.</param>
public sealed record PipelineOutcome(string OutputPath, double EngineWallMs, double EngineCpuMs, IReadOnlyList<ToolInvocation> Invocations)
{
    /// <summary>Frame delays and loop count the output should have (source timing after frame reduction).</summary>
    public Timeline? ExpectedTimeline { get; init; }

    /// <summary>Processes the steps' tools left behind, killed by GifLab (<see cref="ProcessResult.LeftBehind"/>).</summary>
    public IReadOnlyList<string> LeftBehind { get; init; } = [];
}
