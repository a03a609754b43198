namespace GifLab.Engines;

/// <summary>Pure dispatch: (tool, step request) → the step's plan. No process, no file access.</summary>
public static class ToolCommands
{
    public static StepPlan Plan(ToolDescriptor tool, StepRequest request)
    {
        ArgumentNullException.ThrowIfNull(tool);
        ArgumentNullException.ThrowIfNull(request);
        LossyMapping.Check(request.LossyLevel);
        return tool.Family switch
        {
            ToolFamilies.None => new StepPlan([], request.Input, CopyInput: true),
            ToolFamilies.Gifsicle => GifsicleTools.Plan(tool, request),
            ToolFamilies.ImageMagick => ImageMagickTools.Plan(tool, request),
            ToolFamilies.Ffmpeg => FfmpegTools.Plan(tool, request),
            ToolFamilies.Gifski => GifskiTools.Plan(tool, request),
            ToolFamilies.Animately => AnimatelyTools.Plan(tool, request),
            _ => throw new ArgumentException($"Unknown tool family '{tool.Family}'.", nameof(tool)),
        };
    }
}
