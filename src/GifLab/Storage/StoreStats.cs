namespace GifLab.Storage;

/// <summary>Counts for <c>giflab stats</c>.</summary>
public sealed record StoreStats(
    long Gifs, long GifsWithFeatures, long Runs, long Failures, long PermanentFailures, long TransientFailures,
    long Pipelines, long Presets, long Tools,
    IReadOnlyList<EngineRunCounts> RunsPerEngine,
    IReadOnlyList<NamedCount> RunsPerPipeline,
    IReadOnlyList<GifRunCount> RunsPerGif,
    IReadOnlyList<NamedCount> FailuresByType);

/// <summary>Runs of one GIF, identified by its SHA-256 (two files of one name in different folders stay apart).</summary>
public sealed record GifRunCount(string Sha256, string FileName, long Count);
