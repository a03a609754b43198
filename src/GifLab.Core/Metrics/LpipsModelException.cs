namespace GifLab.Core.Metrics;

/// <summary>An LPIPS model could not be loaded (bad file or contract) or failed to run; the message says which and why.</summary>
public sealed class LpipsModelException : Exception
{
    public LpipsModelException(string message) : base(message) { }

    public LpipsModelException(string message, Exception inner) : base(message, inner) { }
}
