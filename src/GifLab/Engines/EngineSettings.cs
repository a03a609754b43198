namespace GifLab.Engines;

/// <summary>How engines are found and run.</summary>
public sealed record EngineSettings
{
    public static EngineSettings Default { get; } = new();

    /// <summary>Wall-clock limit per external process (one limit for every engine; the process tree is killed at it).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Cap on external processes running at once (default: cores). Shared by all runners built from this instance.</summary>
    public int MaxConcurrentProcesses { get; init; } = Environment.ProcessorCount;

    /// <summary>Explicit animately binary (else <c>GIFLAB_ANIMATELY_PATH</c>, else PATH).</summary>
    public string? AnimatelyPath { get; init; }

    /// <summary>Explicit gifsicle binary (else <c>GIFLAB_GIFSICLE_PATH</c>, else PATH).</summary>
    public string? GifsiclePath { get; init; }

    /// <summary>Explicit ImageMagick binary, <c>magick</c> or <c>convert</c> (else <c>GIFLAB_IMAGEMAGICK_PATH</c>, else PATH).</summary>
    public string? ImageMagickPath { get; init; }

    /// <summary>Explicit ffmpeg binary (else <c>GIFLAB_FFMPEG_PATH</c>, else PATH).</summary>
    public string? FfmpegPath { get; init; }

    /// <summary>Explicit gifski binary (else <c>GIFLAB_GIFSKI_PATH</c>, else PATH).</summary>
    public string? GifskiPath { get; init; }

    /// <summary>PATH used for discovery (null: the process's PATH). Lets tests hide binaries.</summary>
    public string? SearchPath { get; init; }

    /// <summary>Whether <c>GIFLAB_*_PATH</c> environment variables are read (tests turn it off).</summary>
    public bool UseEnvironment { get; init; } = true;

    /// <summary>Limit for version and capability probes.</summary>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
