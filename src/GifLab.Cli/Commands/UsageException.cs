namespace GifLab.Cli.Commands;

/// <summary>A bad option value found after parsing (exit code 2).</summary>
internal sealed class UsageException(string message) : Exception(message);
