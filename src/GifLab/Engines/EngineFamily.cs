using GifLab.Core.Model;

namespace GifLab.Engines;

/// <summary>
/// One engine family: an external binary (or the built-in pass-through) and everything GifLab knows about it — its
/// pipeline tools, how its binary is found and probed, how each tool's step is planned, how the public lossy level maps
/// to its native setting, and what its outputs should look like. <see cref="FamilyRegistry.Default"/> is the one list;
/// adding a family is one file implementing this contract plus one line there.
/// </summary>
public abstract class EngineFamily
{
    /// <summary>Family name, stored as <c>tools.family</c> (e.g. <c>gifsicle</c>); also names <c>GIFLAB_&lt;NAME&gt;_PATH</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Its tools; within each category, in the order the registry lists them.</summary>
    public abstract IReadOnlyList<ToolDescriptor> Tools { get; }

    /// <summary>Finds the binary and probes its version and capabilities (once per process); null when there is nothing to probe.</summary>
    public abstract Task<FamilyStatus?> ProbeAsync(FamilyProbe probe, CancellationToken ct);

    /// <summary>
    /// The status of one of its tools when the family itself is available: available with the family's binary and version,
    /// unless a tool needs a capability the installed binary lacks.
    /// </summary>
    public virtual ToolStatus StatusOf(ToolDescriptor tool, FamilyStatus family) =>
        new(tool, true, family.BinaryPath, family.Version, null);

    /// <summary>The step's command lines, files to write and expected output timing. Pure: no process, no file access.</summary>
    public abstract StepPlan Plan(ToolDescriptor tool, StepRequest request);

    /// <summary>
    /// The timing a step's output should have (the <see cref="StepPlan.Output"/> of its plan): frame tools drop frames
    /// and merge delays; every other tool keeps the input's.
    /// </summary>
    public virtual Timeline OutputTimeline(ToolDescriptor tool, Timeline input, double frameRatio) => input;

    /// <summary>
    /// The largest palette a step's output may show at this preset, or null when the step does not bound it: by default
    /// a colour tool's requested count (2–256); lossy tools that quantise say so.
    /// </summary>
    public virtual int? MaxColors(ToolDescriptor tool, ParamPreset preset) =>
        tool.Category == ToolCategory.ColorReduction ? Math.Clamp(preset.ColorCount, 2, 256) : null;

    /// <summary>The native setting recorded for one of its engines at public lossy level L (engines-and-tools.md §2.1).</summary>
    public virtual int NativeLossyValue(Engine engine, int lossyLevel) =>
        throw new ArgumentOutOfRangeException(nameof(engine), engine, $"{Name} has no engine {engine}.");

    /// <summary>Builds one of its tool descriptors.</summary>
    protected ToolDescriptor Tool(string name, ToolCategory category, string description, Engine? engine = null) =>
        new(name, category, Name, engine, description);
}
