namespace GifLab.Core.Model;

/// <summary>
/// A 3-slot pipeline identified by its tool names, stored as <c>frame|color|lossy</c>
/// (seed <c>pipelines.identifier</c>, e.g. <c>none-frame|none-color|gifsicle-lossy</c>).
/// </summary>
public readonly record struct PipelineId(string FrameTool, string ColorTool, string LossyTool)
{
    public string Identifier => $"{FrameTool}|{ColorTool}|{LossyTool}";

    public override string ToString() => Identifier;

    public static PipelineId Parse(string identifier)
    {
        var parts = identifier.Split('|');
        if (parts.Length != 3 || parts.Any(string.IsNullOrWhiteSpace))
            throw new FormatException($"Pipeline identifier '{identifier}' is not of the form frame|color|lossy.");
        return new PipelineId(parts[0], parts[1], parts[2]);
    }
}
