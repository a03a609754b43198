using GifLab.Core.Model;

namespace GifLab.Engines;

/// <summary>
/// The one list of the 37 pipeline tools (5 frame, 20 colour, 12 lossy), in a stable order.
/// The store, <c>giflab engines</c>, the planner and the exporters all read it.
/// </summary>
public static class ToolRegistry
{
    private static readonly string[] FfmpegDithers =
        ["atkinson", "bayer0", "bayer1", "bayer2", "bayer3", "bayer4", "bayer5", "burkes", "floyd", "heckbert", "sierra2", "sierra2-4a", "sierra3"];

    public static IReadOnlyList<ToolDescriptor> All { get; } = Build();

    private static readonly Dictionary<string, ToolDescriptor> ByName = All.ToDictionary(t => t.Name, StringComparer.Ordinal);

    private static List<ToolDescriptor> Build()
    {
        const ToolCategory F = ToolCategory.FrameReduction, C = ToolCategory.ColorReduction, L = ToolCategory.LossyCompression;
        var list = new List<ToolDescriptor>
        {
            new("none-frame", F, ToolFamilies.None, null, "Keep every frame (no frame step)"),
            new("gifsicle-frame", F, ToolFamilies.Gifsicle, null, "gifsicle --unoptimize, keep frames #i…, each with its merged delay (--delay before the input)"),
            new("animately-frame", F, ToolFamilies.Animately, null, "animately --reduce r --delay (mean merged delay)"),
            new("imagemagick-frame", F, ToolFamilies.ImageMagick, null, "ImageMagick -coalesce -delete (dropped) -set delay (merged) -layers OptimizeFrame"),
            new("ffmpeg-frame", F, ToolFamilies.Ffmpeg, null, "ffmpeg select=(kept frames), palettegen/paletteuse; kept timestamps give merged delays"),

            new("none-color", C, ToolFamilies.None, null, "Keep the palette (no colour step)"),
            new("gifsicle-color", C, ToolFamilies.Gifsicle, null, "gifsicle --colors N (no dithering)"),
            new("animately-color", C, ToolFamilies.Animately, null, "animately --colors N"),
            new("imagemagick-color", C, ToolFamilies.ImageMagick, null, "ImageMagick -coalesce +dither -colors N -layers OptimizeFrame"),
            new("imagemagick-color-floyd", C, ToolFamilies.ImageMagick, null, "ImageMagick -coalesce -dither FloydSteinberg -colors N -layers OptimizeFrame"),
            new("imagemagick-color-riemersma", C, ToolFamilies.ImageMagick, null, "ImageMagick -coalesce -dither Riemersma -colors N -layers OptimizeFrame"),
            new("ffmpeg-color", C, ToolFamilies.Ffmpeg, null, "ffmpeg palettegen max_colors=N + paletteuse, no dithering"),
        };
        foreach (var d in FfmpegDithers)
            list.Add(new($"ffmpeg-color-{d}", C, ToolFamilies.Ffmpeg, null, $"ffmpeg palettegen max_colors=N + paletteuse dither={FfmpegTools.DitherByTool[$"ffmpeg-color-{d}"]}"));

        list.AddRange(
        [
            new("none-lossy", L, ToolFamilies.None, null, "Copy (no lossy step)"),
            new("gifsicle-lossy", L, ToolFamilies.Gifsicle, Engine.Gifsicle, "gifsicle --optimize --lossy=3·L (engine curve tool)"),
            new("gifsicle-lossy-basic", L, ToolFamilies.Gifsicle, null, "gifsicle --lossy=3·L without optimisation"),
            new("gifsicle-lossy-O1", L, ToolFamilies.Gifsicle, null, "gifsicle -O1 --lossy=3·L"),
            new("gifsicle-lossy-O2", L, ToolFamilies.Gifsicle, null, "gifsicle -O2 --lossy=3·L"),
            new("gifsicle-lossy-O3", L, ToolFamilies.Gifsicle, null, "gifsicle -O3 --lossy=3·L"),
            new("animately-standard", L, ToolFamilies.Animately, Engine.AnimatelyStandard, "animately --lossy L"),
            new("animately-advanced", L, ToolFamilies.Animately, Engine.AnimatelyAdvanced, "animately --advanced-lossy config.json (PNG frames + delays, lossy L)"),
            new("animately-hard", L, ToolFamilies.Animately, Engine.AnimatelyHard, "animately --hard --lossy L"),
            new("imagemagick-lossy", L, ToolFamilies.ImageMagick, Engine.ImageMagick, "ImageMagick quality 100−L → -dither Riemersma -colors N(L) on coalesced frames"),
            new("ffmpeg-lossy", L, ToolFamilies.Ffmpeg, Engine.Ffmpeg, "ffmpeg q=1+round(L·30/100) → palettegen max_colors=N + paletteuse sierra2_4a"),
            new("gifski-lossy", L, ToolFamilies.Gifski, Engine.Gifski, "gifski --quality max(1,100−L) from our composited PNG frames, delays and loop kept"),
        ]);
        return list;
    }

    /// <summary>The tool with this stored name.</summary>
    public static ToolDescriptor Get(string name) =>
        ByName.TryGetValue(name, out var t) ? t : throw new ArgumentException($"Unknown tool '{name}'.", nameof(name));

    public static bool TryGet(string name, out ToolDescriptor tool) => ByName.TryGetValue(name, out tool!);

    public static IEnumerable<ToolDescriptor> InCategory(ToolCategory category) => All.Where(t => t.Category == category);

    /// <summary>The lossy tool whose runs make an engine's curves.</summary>
    public static ToolDescriptor LossyToolFor(Engine engine) => All.First(t => t.Category == ToolCategory.LossyCompression && t.Engine == engine);

    /// <summary>The colour tool of an engine's family used for its colour curve, or null (gifski).</summary>
    public static ToolDescriptor? ColorToolFor(Engine engine)
    {
        var family = LossyToolFor(engine).Family;
        return ByName.GetValueOrDefault($"{family}-color");
    }

    /// <summary>The engine whose curves a pipeline's runs belong to (its lossy tool's engine), or null.</summary>
    public static Engine? EngineOf(PipelineId pipeline) =>
        TryGet(pipeline.LossyTool, out var t) ? t.Engine : null;
}
