using GifLab.Core.Model;

namespace GifLab.Engines;

/// <summary>
/// The engine families and their tools, in one list. <see cref="Default"/> is the list GifLab runs with; tests may build
/// another (e.g. the default families plus a test family) and hand it to <see cref="EngineCatalog.ProbeAsync(EngineSettings, FamilyRegistry, CancellationToken)"/>,
/// from which planning, execution and validation take it. Tools are listed by category (frame, colour, lossy) and
/// within a category in family order, then each family's own order: that order fixes pipeline and tool order everywhere.
/// </summary>
public sealed class FamilyRegistry
{
    /// <summary>The families GifLab runs with. Adding a family: one file implementing <see cref="EngineFamily"/> and one entry here.</summary>
    public static FamilyRegistry Default { get; } = new(
    [
        new PassthroughFamily(),
        new GifsicleFamily(),
        new AnimatelyFamily(),
        new ImageMagickFamily(),
        new FfmpegFamily(),
        new GifskiFamily(),
    ]);

    private readonly Dictionary<string, ToolDescriptor> _tools;
    private readonly Dictionary<string, EngineFamily> _families;

    public FamilyRegistry(IEnumerable<EngineFamily> families)
    {
        Families = families.ToList();
        _families = Families.ToDictionary(f => f.Name, StringComparer.Ordinal);
        Tools = new[] { ToolCategory.FrameReduction, ToolCategory.ColorReduction, ToolCategory.LossyCompression }
            .SelectMany(c => Families.SelectMany(f => f.Tools.Where(t => t.Category == c)))
            .ToList();
        foreach (var t in Tools)
            if (t.Family != _families.GetValueOrDefault(t.Family)?.Name)
                throw new ArgumentException($"Tool '{t.Name}' names family '{t.Family}', which is not registered.", nameof(families));
        _tools = Tools.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    public IReadOnlyList<EngineFamily> Families { get; }

    /// <summary>Every tool, by category then family.</summary>
    public IReadOnlyList<ToolDescriptor> Tools { get; }

    /// <summary>The tool with this stored name.</summary>
    public ToolDescriptor Get(string name) =>
        _tools.TryGetValue(name, out var t) ? t : throw new ArgumentException($"Unknown tool '{name}'.", nameof(name));

    public bool TryGet(string name, out ToolDescriptor tool) => _tools.TryGetValue(name, out tool!);

    /// <summary>The family a tool belongs to.</summary>
    public EngineFamily FamilyOf(ToolDescriptor tool) =>
        _families.TryGetValue(tool.Family, out var f) ? f : throw new ArgumentException($"Unknown tool family '{tool.Family}'.", nameof(tool));

    public IEnumerable<ToolDescriptor> InCategory(ToolCategory category) => Tools.Where(t => t.Category == category);

    /// <summary>The lossy tool whose runs make an engine's curves.</summary>
    public ToolDescriptor LossyToolFor(Engine engine) => Tools.First(t => t.Category == ToolCategory.LossyCompression && t.Engine == engine);

    /// <summary>The colour tool of an engine's family used for its colour curve (<c>&lt;family&gt;-color</c>), or null (gifski).</summary>
    public ToolDescriptor? ColorToolFor(Engine engine) => _tools.GetValueOrDefault($"{LossyToolFor(engine).Family}-color");

    /// <summary>The engine whose curves a pipeline's runs belong to (its lossy tool's engine), or null.</summary>
    public Engine? EngineOf(PipelineId pipeline) => TryGet(pipeline.LossyTool, out var t) ? t.Engine : null;
}
