using GifLab.Core.Model;

namespace GifLab.Engines;

/// <summary>Static facts about one pipeline tool (what the <c>tools</c> table stores).</summary>
/// <param name="Name">Stored tool name, e.g. <c>gifsicle-lossy</c>, <c>ffmpeg-color-bayer3</c>, <c>none-frame</c>.</param>
/// <param name="Category">Pipeline slot.</param>
/// <param name="Family">Binary family: gifsicle, animately, imagemagick, ffmpeg, gifski or none.</param>
/// <param name="Engine">For lossy tools, the engine whose curves it feeds (null for variants and no-op tools).</param>
/// <param name="Description">One line for <c>giflab engines</c> and the <c>tools.description</c> column.</param>
public sealed record ToolDescriptor(string Name, ToolCategory Category, string Family, Engine? Engine, string Description)
{
    /// <summary>True for the pass-through tools <c>none-frame</c>, <c>none-color</c>, <c>none-lossy</c>.</summary>
    public bool IsNoOp => Family == ToolFamilies.None;
}

/// <summary>Tool family names (one per external binary, plus the no-op family).</summary>
public static class ToolFamilies
{
    public const string Gifsicle = "gifsicle";
    public const string Animately = "animately";
    public const string ImageMagick = "imagemagick";
    public const string Ffmpeg = "ffmpeg";
    public const string Gifski = "gifski";
    public const string None = "none";
}
