namespace GifLab.Engines;

/// <summary>How engines are found and run.</summary>
public sealed record EngineSettings
{
    public static EngineSettings Default { get; } = new();

    /// <summary>Wall-clock limit per external process.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Cap on external processes running at once (default: cores).</summary>
    public int MaxConcurrentProcesses { get; init; } = Environment.ProcessorCount;

    /// <summary>Explicit animately binary (else <c>GIFLAB_ANIMATELY_PATH</c>, else PATH).</summary>
    public string? AnimatelyPath { get; init; }
}
