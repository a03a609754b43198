using GifLab.Core.Model;

namespace GifLab.Engines;

/// <summary>
/// The 37 pipeline tools GifLab runs with (5 frame, 20 colour, 12 lossy), in a stable order: the tools of
/// <see cref="FamilyRegistry.Default"/>. The store, <c>giflab engines</c>, the exporters and the model read it.
/// </summary>
public static class ToolRegistry
{
    private static FamilyRegistry Registry => FamilyRegistry.Default;

    public static IReadOnlyList<ToolDescriptor> All => Registry.Tools;

    /// <summary>The tool with this stored name.</summary>
    public static ToolDescriptor Get(string name) => Registry.Get(name);

    public static bool TryGet(string name, out ToolDescriptor tool) => Registry.TryGet(name, out tool);

    public static IEnumerable<ToolDescriptor> InCategory(ToolCategory category) => Registry.InCategory(category);

    /// <summary>The lossy tool whose runs make an engine's curves.</summary>
    public static ToolDescriptor LossyToolFor(Engine engine) => Registry.LossyToolFor(engine);

    /// <summary>The colour tool of an engine's family used for its colour curve, or null (gifski).</summary>
    public static ToolDescriptor? ColorToolFor(Engine engine) => Registry.ColorToolFor(engine);

    /// <summary>The engine whose curves a pipeline's runs belong to (its lossy tool's engine), or null.</summary>
    public static Engine? EngineOf(PipelineId pipeline) => Registry.EngineOf(pipeline);
}
