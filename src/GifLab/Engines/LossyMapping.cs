namespace GifLab.Engines;

/// <summary>
/// The normalisation contract (seed / engines-and-tools.md §2.1): public lossy level L ∈ 0–100 → each engine's native
/// value. The native values are what the contract fixes and what is recorded; where a native setting is inert for GIF
/// output it drives a setting that does change the output:
/// <list type="bullet">
/// <item>gifsicle: <c>--lossy=3L</c> (0–300; flag omitted at 0).</item>
/// <item>animately (standard, hard, advanced): L as-is.</item>
/// <item>ImageMagick: quality Q = 100 − L. <c>-quality</c> does not change GIF pixels, so Q drives the palette size
///   N = <see cref="PaletteSize"/>(100 − Q) with Riemersma dithering (the reference's calibrated replacement).</item>
/// <item>FFmpeg: q = 1 + round(30L/100) (1–31). <c>-q:v</c> does not change GIF pixels, so q drives
///   palettegen <c>max_colors</c> = <see cref="PaletteSize"/>(100·(q − 1)/30) with sierra2_4a dithering.</item>
/// <item>gifski: <c>--quality max(1, 100 − L)</c>.</item>
/// </list>
/// </summary>
public static class LossyMapping
{
    public static void Check(int lossyLevel) =>
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)lossyLevel, 100u, nameof(lossyLevel));

    /// <summary>gifsicle <c>--lossy</c> value: 3L.</summary>
    public static int Gifsicle(int lossyLevel) { Check(lossyLevel); return 3 * lossyLevel; }

    /// <summary>animately <c>--lossy</c> value: L.</summary>
    public static int Animately(int lossyLevel) { Check(lossyLevel); return lossyLevel; }

    /// <summary>ImageMagick quality: 100 − L.</summary>
    public static int ImageMagickQuality(int lossyLevel) { Check(lossyLevel); return 100 - lossyLevel; }

    /// <summary>FFmpeg q: 1 + round(30L/100), round half to even (as the reference's Python <c>round</c>).</summary>
    public static int FfmpegQ(int lossyLevel) { Check(lossyLevel); return 1 + (int)Math.Round(lossyLevel * 30 / 100.0, MidpointRounding.ToEven); }

    /// <summary>gifski quality: max(1, 100 − L).</summary>
    public static int GifskiQuality(int lossyLevel) { Check(lossyLevel); return Math.Max(1, 100 - lossyLevel); }

    /// <summary>Palette size N(L) = max(16, round(256·(16/256)^(L/100))): halves every 25 levels (256 at 0, 16 at 100).</summary>
    public static int PaletteSize(double level) =>
        Math.Max(16, (int)Math.Round(256 * Math.Pow(16.0 / 256.0, level / 100.0), MidpointRounding.ToEven));

    /// <summary>ImageMagick palette size driven by its quality: N(100 − Q).</summary>
    public static int ImageMagickColors(int lossyLevel) => PaletteSize(100 - ImageMagickQuality(lossyLevel));

    /// <summary>FFmpeg palette size driven by its q: N(100·(q − 1)/30).</summary>
    public static int FfmpegColors(int lossyLevel) => PaletteSize(100.0 * (FfmpegQ(lossyLevel) - 1) / 30.0);

    /// <summary>The native value recorded for an engine at level L.</summary>
    public static int NativeValue(Core.Model.Engine engine, int lossyLevel) => engine switch
    {
        Core.Model.Engine.Gifsicle => Gifsicle(lossyLevel),
        Core.Model.Engine.AnimatelyStandard or Core.Model.Engine.AnimatelyAdvanced or Core.Model.Engine.AnimatelyHard => Animately(lossyLevel),
        Core.Model.Engine.ImageMagick => ImageMagickQuality(lossyLevel),
        Core.Model.Engine.Ffmpeg => FfmpegQ(lossyLevel),
        Core.Model.Engine.Gifski => GifskiQuality(lossyLevel),
        _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, null),
    };
}
