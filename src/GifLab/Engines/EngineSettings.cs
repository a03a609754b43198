namespace GifLab.Engines;

/// <summary>How engines are found and run.</summary>
public sealed record EngineSettings
{
    public static EngineSettings Default { get; } = new();

    /// <summary>Wall-clock limit per external process (one limit for every engine; the process tree is killed at it).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Cap on external processes running at once (default: cores). Shared by all runners built from this instance.</summary>
    public int MaxConcurrentProcesses { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Explicit binary per family name, e.g. <c>["gifsicle"] = "/opt/bin/gifsicle"</c> (else <c>GIFLAB_&lt;FAMILY&gt;_PATH</c>,
    /// else the search path). For ImageMagick, <c>magick</c> or <c>convert</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string> BinaryPaths { get; init; } = new Dictionary<string, string>();

    /// <summary>PATH used for discovery (null: the process's PATH). Lets tests hide binaries.</summary>
    public string? SearchPath { get; init; }

    /// <summary>Whether <c>GIFLAB_*_PATH</c> environment variables are read (tests turn it off).</summary>
    public bool UseEnvironment { get; init; } = true;

    /// <summary>Limit for version and capability probes.</summary>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
