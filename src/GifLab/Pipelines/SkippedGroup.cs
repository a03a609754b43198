namespace GifLab.Pipelines;

/// <summary>Runs not planned because a tool is unavailable, grouped by engine, lossy tool and the (first) missing tool.</summary>
public sealed record SkippedGroup(string Engine, string LossyTool, string MissingTool, int Count, string Reason);
