namespace GifLab.Pipelines;

/// <summary>A tool whose items were left out of the plan.</summary>
public sealed record SkippedTool(string ToolName, int ItemsPerGif, string Reason);
