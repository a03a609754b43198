namespace GifLab.Storage;

/// <summary>A failure: a run key (ids set) or a file that never became a GIF row (FilePath set).</summary>
public sealed record FailureRecord(
    long? GifId, long? PipelineId, long? PresetId, string ErrorType, string ErrorMessage,
    bool Permanent, string? CommandLine = null, string? FilePath = null);
