namespace GifLab.Pipelines;

/// <summary>A row of the dry-run summary: per engine and lossy tool, planned and skipped runs (per GIF).</summary>
public sealed record PlanSummaryRow(string Engine, string Tool, int Planned, int Skipped, string? Reason);
