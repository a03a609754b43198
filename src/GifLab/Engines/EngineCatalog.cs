namespace GifLab.Engines;

/// <summary>Every tool's availability, probed once per process.</summary>
public sealed class EngineCatalog
{
    private readonly Dictionary<string, ToolStatus> _byName;

    public EngineCatalog(IEnumerable<ToolStatus> statuses)
    {
        Tools = statuses.ToList();
        _byName = Tools.ToDictionary(s => s.Tool.Name, StringComparer.Ordinal);
    }

    /// <summary>Statuses in registry order.</summary>
    public IReadOnlyList<ToolStatus> Tools { get; }

    public ToolStatus Get(string toolName) => _byName[toolName];

    public bool IsAvailable(string toolName) => _byName.TryGetValue(toolName, out var s) && s.Available;

    /// <summary>Finds binaries, probes versions and capabilities of every registered tool.</summary>
    public static Task<EngineCatalog> ProbeAsync(EngineSettings settings, CancellationToken ct) =>
        Task.FromResult(new EngineCatalog(ToolRegistry.All.Select(t =>
            new ToolStatus(t, t.IsNoOp, null, t.IsNoOp ? "builtin" : null, t.IsNoOp ? null : "probing not built yet"))));
}
