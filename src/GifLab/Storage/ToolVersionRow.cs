namespace GifLab.Storage;

/// <summary>A tool row's probed version (for export provenance).</summary>
public sealed record ToolVersionRow(string Name, string? Engine, string? Version, bool? Available);
