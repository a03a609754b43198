namespace GifLab.Modeling;

/// <summary>
/// Prediction models are missing, unreadable, or incompatible with the running code (another feature version or
/// feature list). The CLI maps it to exit code 4 (tool or model missing).
/// </summary>
public sealed class ModelUnavailableException(string message, IReadOnlyList<string>? differences = null, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>Readable differences (feature names, versions) when the models are incompatible; empty when simply missing.</summary>
    public IReadOnlyList<string> Differences { get; } = differences ?? [];
}
