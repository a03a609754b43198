using GifLab.Core.Model;

namespace GifLab.Pipelines;

/// <summary>Grid options of a run (null = the mode's default).</summary>
public sealed record GridOptions(
    string Mode = "single",
    IReadOnlyList<int>? Levels = null,
    IReadOnlyList<int>? Colors = null,
    IReadOnlyList<double>? FrameRatios = null,
    IReadOnlyList<Engine>? Engines = null)
{
    public PlanOptions ToPlanOptions() => new()
    {
        Mode = Mode switch
        {
            "single" => PlanMode.Single,
            "full" => PlanMode.Full,
            _ => throw new ArgumentException($"Unknown mode '{Mode}' (expected single or full)."),
        },
        LossyLevels = Levels,
        ColorCounts = Colors,
        FrameRatios = FrameRatios,
        Engines = Engines,
    };
}
