using GifLab.Core.Model;

namespace GifLab.Engines;

/// <summary>The built-in pass-through tools <c>none-frame</c>, <c>none-color</c>, <c>none-lossy</c>: no binary, no step.</summary>
public sealed class PassthroughFamily : EngineFamily
{
    public override string Name => ToolFamilies.None;

    public override IReadOnlyList<ToolDescriptor> Tools { get; }

    public PassthroughFamily() =>
        Tools =
        [
            Tool("none-frame", ToolCategory.FrameReduction, "Keep every frame (no frame step)"),
            Tool("none-color", ToolCategory.ColorReduction, "Keep the palette (no colour step)"),
            Tool("none-lossy", ToolCategory.LossyCompression, "Copy (no lossy step)"),
        ];

    public override Task<FamilyStatus?> ProbeAsync(FamilyProbe probe, CancellationToken ct) => Task.FromResult<FamilyStatus?>(null);

    public override StepPlan Plan(ToolDescriptor tool, StepRequest request) => new([], request.Input, CopyInput: true);

    /// <summary>A pass-through step leaves the palette alone.</summary>
    public override int? MaxColors(ToolDescriptor tool, ParamPreset preset) => null;
}
