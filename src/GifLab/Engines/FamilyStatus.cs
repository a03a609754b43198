namespace GifLab.Engines;

/// <summary>What probing found for one binary family.</summary>
/// <param name="Capabilities">Family facts found by capability probes, e.g. <c>paletteuse.dithers</c>.</param>
public sealed record FamilyStatus(string Family, bool Available, string? BinaryPath, string? Version, string? Reason,
    IReadOnlyDictionary<string, string> Capabilities);
