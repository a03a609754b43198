using GifLab.Core.Model;
using GifLab.Engines;

namespace GifLab.Answers;

/// <summary>
/// A pipeline family: one stored pipeline identifier (an engine's lossy tool with its colour and frame tools), across
/// all its presets. The label drops the no-op slots: <c>gifsicle</c>, <c>gifsicle + gifsicle-color</c>.
/// </summary>
public sealed record PipelineFamily(string Pipeline, string Label, Engine? Engine)
{
    public static PipelineFamily Of(string pipeline)
    {
        PipelineId id;
        try { id = PipelineId.Parse(pipeline); }
        catch (FormatException) { return new PipelineFamily(pipeline, pipeline, null); }
        Engine? engine = ToolRegistry.TryGet(id.LossyTool, out var lossy) ? lossy.Engine : null;
        var head = engine is { } e ? e.Name() : id.LossyTool;
        var parts = new List<string> { head };
        if (!id.ColorTool.StartsWith("none-", StringComparison.Ordinal)) parts.Add(id.ColorTool);
        if (!id.FrameTool.StartsWith("none-", StringComparison.Ordinal)) parts.Add(id.FrameTool);
        return new PipelineFamily(pipeline, string.Join(" + ", parts), engine);
    }
}
