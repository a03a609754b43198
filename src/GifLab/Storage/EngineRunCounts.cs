namespace GifLab.Storage;

/// <summary>Runs of one engine (the lossy tool's engine; tool name for tools outside the enum) by validation status.</summary>
public sealed record EngineRunCounts(string Engine, long Runs, long Valid, long Corrupted, long Error);
