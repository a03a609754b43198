using GifLab.Core.Model;

namespace GifLab.Engines;

/// <summary>Every tool's availability, probed once per process.</summary>
public sealed class EngineCatalog
{
    private readonly Dictionary<string, ToolStatus> _byName;
    private readonly Dictionary<string, FamilyStatus> _families;

    public EngineCatalog(IEnumerable<ToolStatus> statuses) : this(statuses, []) { }

    public EngineCatalog(IEnumerable<ToolStatus> statuses, IEnumerable<FamilyStatus> families)
    {
        Tools = statuses.ToList();
        _byName = Tools.ToDictionary(s => s.Tool.Name, StringComparer.Ordinal);
        Families = families.ToList();
        _families = Families.ToDictionary(f => f.Family, StringComparer.Ordinal);
    }

    /// <summary>Statuses in registry order.</summary>
    public IReadOnlyList<ToolStatus> Tools { get; }

    /// <summary>The families whose tools these are (planning, execution and validation read their tools and rules from it).</summary>
    public FamilyRegistry Registry { get; init; } = FamilyRegistry.Default;

    /// <summary>Binary families as probed, in registry order (gifsicle, animately, imagemagick, ffmpeg, gifski).</summary>
    public IReadOnlyList<FamilyStatus> Families { get; }

    public ToolStatus Get(string toolName) => _byName[toolName];

    public bool IsAvailable(string toolName) => _byName.TryGetValue(toolName, out var s) && s.Available;

    /// <summary>
    /// Why an engine's lossy tool cannot run, null when it can: the probe's reason (not installed, failed its probe), or
    /// "not probed" when the catalog's registry has no such engine (a catalog probed for some families only).
    /// </summary>
    public string? EngineUnavailableReason(Engine engine)
    {
        var tool = Registry.Tools.FirstOrDefault(t => t.Category == ToolCategory.LossyCompression && t.Engine == engine);
        if (tool is null) return "not probed";
        return IsAvailable(tool.Name) ? null : _byName.GetValueOrDefault(tool.Name)?.Reason ?? "not installed";
    }

    /// <summary>The probed family, or null when it was not probed.</summary>
    public FamilyStatus? Family(string family) => _families.GetValueOrDefault(family);

    /// <summary>Finds binaries, probes versions and capabilities of every registered tool (one probe per family).</summary>
    public static Task<EngineCatalog> ProbeAsync(EngineSettings settings, CancellationToken ct) =>
        ProbeAsync(settings, FamilyRegistry.Default, ct);

    /// <summary>Probes the families of <paramref name="registry"/> (e.g. the default ones plus a test family).</summary>
    public static async Task<EngineCatalog> ProbeAsync(EngineSettings settings, FamilyRegistry registry, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var families = await EngineProbe.ProbeFamiliesAsync(settings, registry, ct).ConfigureAwait(false);
        var byFamily = families.ToDictionary(f => f.Family, StringComparer.Ordinal);
        return new EngineCatalog(registry.Tools.Select(t => EngineProbe.StatusOf(t, byFamily, registry)), families) { Registry = registry };
    }
}
