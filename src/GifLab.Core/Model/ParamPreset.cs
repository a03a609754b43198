using System.Globalization;

namespace GifLab.Core.Model;

/// <summary>One parameter combination of the grid (seed table <c>param_presets</c>).</summary>
/// <param name="LossyLevel">Normalised lossy level 0–100 (0 = no lossy step).</param>
/// <param name="ColorCount">Palette size 2–256 (256 = no colour step).</param>
/// <param name="FrameRatio">Share of frames kept, (0, 1] (1 = no frame step).</param>
public sealed record ParamPreset(int LossyLevel, int ColorCount, double FrameRatio)
{
    /// <summary>The single-mode lossy levels 0, 10, …, 100.</summary>
    public static IReadOnlyList<int> DefaultLossyLevels { get; } = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100];

    /// <summary>The colour-curve palette sizes.</summary>
    public static IReadOnlyList<int> DefaultColorCounts { get; } = [256, 128, 64, 32, 16];

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"lossy={LossyLevel} colors={ColorCount} frames={FrameRatio:0.###}");
}
