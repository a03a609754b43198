using GifLab.Core.Model;

namespace GifLab.Pipelines;

/// <summary>Grid and engine selection for a plan. Null lists mean the defaults.</summary>
public sealed record PlanOptions
{
    public PlanMode Mode { get; init; } = PlanMode.Single;

    /// <summary>Lossy levels (default 0, 10, …, 100).</summary>
    public IReadOnlyList<int>? LossyLevels { get; init; }

    /// <summary>Colour counts (default 256, 128, 64, 32, 16).</summary>
    public IReadOnlyList<int>? ColorCounts { get; init; }

    /// <summary>Frame ratios (default 1.0); used by full mode (single mode runs at 1.0).</summary>
    public IReadOnlyList<double>? FrameRatios { get; init; }

    /// <summary>Engines to plan (default all 7).</summary>
    public IReadOnlyList<Engine>? Engines { get; init; }

    internal IReadOnlyList<int> Levels => LossyLevels ?? ParamPreset.DefaultLossyLevels;
    internal IReadOnlyList<int> Colors => ColorCounts ?? ParamPreset.DefaultColorCounts;
    internal IReadOnlyList<double> Ratios => FrameRatios ?? [1.0];
    internal IReadOnlyList<Engine> EngineList => Engines ?? EngineNames.All;
}
