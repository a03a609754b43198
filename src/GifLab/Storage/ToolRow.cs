namespace GifLab.Storage;

/// <summary>A row of <c>tools</c>.</summary>
public sealed record ToolRow(string Name, string Category, string? Engine, string Description, string Family,
                             bool Available, string? BinaryPath, string? Version, string? UnavailableReason);
