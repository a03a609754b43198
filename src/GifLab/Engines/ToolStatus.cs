namespace GifLab.Engines;

/// <summary>What probing found for one tool: available or not, where, which version, and why not.</summary>
public sealed record ToolStatus(ToolDescriptor Tool, bool Available, string? BinaryPath, string? Version, string? Reason);
