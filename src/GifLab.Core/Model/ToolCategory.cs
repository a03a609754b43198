namespace GifLab.Core.Model;

/// <summary>The three pipeline slots, in execution order.</summary>
public enum ToolCategory
{
    FrameReduction,
    ColorReduction,
    LossyCompression,
}

public static class ToolCategoryNames
{
    /// <summary>The stored name (<c>tools.category</c>): frame_reduction, color_reduction, lossy_compression.</summary>
    public static string Name(this ToolCategory c) => c switch
    {
        ToolCategory.FrameReduction => "frame_reduction",
        ToolCategory.ColorReduction => "color_reduction",
        ToolCategory.LossyCompression => "lossy_compression",
        _ => throw new ArgumentOutOfRangeException(nameof(c), c, null),
    };
}
