namespace GifLab.Storage;

/// <summary>Counts for <c>giflab stats</c>.</summary>
public sealed record StoreStats(
    long Gifs, long GifsWithFeatures, long Runs, long Failures, long PermanentFailures, long TransientFailures,
    long Pipelines, long Presets, long Tools,
    IReadOnlyList<EngineRunCounts> RunsPerEngine,
    IReadOnlyList<NamedCount> RunsPerPipeline,
    IReadOnlyList<NamedCount> RunsPerGif,
    IReadOnlyList<NamedCount> FailuresByType);
