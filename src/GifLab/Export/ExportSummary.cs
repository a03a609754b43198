namespace GifLab.Export;

/// <summary>What an export wrote.</summary>
/// <param name="Gifs">GIFs written (after the split filter).</param>
/// <param name="Runs">Compression runs written (CSV rows, JSON runs) or read (JSONL).</param>
/// <param name="Records">Training records written (JSONL), GIF objects (JSON) or rows (CSV).</param>
/// <param name="SkippedGifs">GIFs left out, with the reason (e.g. no features for a training record).</param>
public sealed record ExportSummary(long Gifs, long Runs, long Records, IReadOnlyList<string> SkippedGifs);
