namespace GifLab.Engines;

/// <summary>
/// The normalisation contract (seed / engines-and-tools.md §2.1): public lossy level L ∈ 0–100 → each engine's native
/// value. The native values are what the contract fixes and what is recorded; each family maps its own
/// (<see cref="EngineFamily.NativeLossyValue"/>: gifsicle 3L, animately L, ImageMagick quality 100 − L, FFmpeg
/// q = 1 + round(30L/100), gifski max(1, 100 − L)). Where a native setting is inert for GIF output it drives the
/// palette size <see cref="PaletteSize"/> instead (ImageMagick, FFmpeg).
/// </summary>
public static class LossyMapping
{
    public static void Check(int lossyLevel) =>
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)lossyLevel, 100u, nameof(lossyLevel));

    /// <summary>Palette size N(L) = max(16, round(256·(16/256)^(L/100))): halves every 25 levels (256 at 0, 16 at 100).</summary>
    public static int PaletteSize(double level) =>
        Math.Max(16, (int)Math.Round(256 * Math.Pow(16.0 / 256.0, level / 100.0), MidpointRounding.ToEven));

    /// <summary>The native value recorded for an engine at level L (its family's mapping).</summary>
    public static int NativeValue(Core.Model.Engine engine, int lossyLevel, FamilyRegistry? registry = null)
    {
        registry ??= FamilyRegistry.Default;
        return registry.FamilyOf(registry.LossyToolFor(engine)).NativeLossyValue(engine, lossyLevel);
    }
}
