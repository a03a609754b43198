namespace GifLab.Export;

/// <summary>Result of a V1 → V2 conversion.</summary>
public sealed record V1ImportSummary(long Converted, long Failed, IReadOnlyList<string> Errors);
