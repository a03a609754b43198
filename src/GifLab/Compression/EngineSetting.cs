using System.Globalization;
using GifLab.Core.Model;
using GifLab.Engines;

namespace GifLab.Compression;

/// <summary>
/// One engine at one setting: the engine's lossy step at <paramref name="LossyLevel"/> (normalised 0–100, 0 = none),
/// after its family's colour step at <paramref name="ColorCount"/> (2–256; 256 = no colour step). These are the axes of
/// <c>giflab run</c>'s grid, run through the same engine families: <see cref="Pipeline"/> and <see cref="Preset"/> name
/// the pipeline and preset <c>run</c> would record for it.
/// </summary>
/// <param name="Engine">The lossy engine (its <c>&lt;engine&gt;-lossy</c> tool; its family's <c>-color</c> tool for colours).</param>
/// <param name="LossyLevel">Normalised lossy level 0–100 (each engine maps it to its native value, see <see cref="LossyMapping"/>).</param>
/// <param name="ColorCount">Palette size 2–256; below 256 the family's colour tool runs first.</param>
public sealed record EngineSetting(Engine Engine, int LossyLevel, int ColorCount = 256)
{
    /// <summary>The pipeline that runs this setting: <c>none-frame|&lt;family&gt;-color or none-color|&lt;engine lossy tool&gt;</c>.</summary>
    /// <param name="registry">Engine families (null: <see cref="FamilyRegistry.Default"/>).</param>
    /// <exception cref="ArgumentException">The colour count is below 256 and the engine's family has no colour tool (gifski).</exception>
    public PipelineId Pipeline(FamilyRegistry? registry = null)
    {
        registry ??= FamilyRegistry.Default;
        var lossy = registry.LossyToolFor(Engine);
        var color = "none-color";
        if (ColorCount < 256)
            color = registry.ColorToolFor(Engine)?.Name
                    ?? throw new ArgumentException($"{Engine.Name()} has no colour tool; use 256 colours.", nameof(registry));
        return new PipelineId("none-frame", color, lossy.Name);
    }

    /// <summary>The preset of this setting (all frames kept).</summary>
    public ParamPreset Preset => new(LossyLevel, ColorCount, 1.0);

    /// <summary>Throws when the level or colour count is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Lossy level outside 0–100 or colour count outside 2–256.</exception>
    public void Check()
    {
        LossyMapping.Check(LossyLevel);
        ArgumentOutOfRangeException.ThrowIfLessThan(ColorCount, 2, nameof(ColorCount));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ColorCount, 256, nameof(ColorCount));
    }

    /// <summary>E.g. <c>gifsicle lossy=40 colors=256</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Engine.Name()} lossy={LossyLevel} colors={ColorCount}");
}
