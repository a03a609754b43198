using System.Text.RegularExpressions;
using GifLab.Core.Model;
using GifLab.Engines;

namespace GifLab.Tests.Engines;

/// <summary>
/// A test-only engine family, written as a new family would be: one file implementing <see cref="EngineFamily"/>.
/// Its binary is FakeTool (probed with <c>--version</c>); both tools run <c>FakeTool copy IN OUT</c>, so outputs equal
/// their inputs and keep the source's palette and timing.
/// </summary>
public sealed partial class CopyFamily : EngineFamily
{
    public override string Name => "fakecopy";

    public override IReadOnlyList<ToolDescriptor> Tools { get; }

    public CopyFamily() =>
        Tools =
        [
            Tool("fakecopy-color", ToolCategory.ColorReduction, "FakeTool copy (keeps the palette)"),
            Tool("fakecopy-lossy", ToolCategory.LossyCompression, "FakeTool copy (lossless)"),
        ];

    public override async Task<FamilyStatus?> ProbeAsync(FamilyProbe probe, CancellationToken ct) =>
        await probe.SimpleAsync(Name, "fakecopy", ["--version"], Version(), ct).ConfigureAwait(false);

    public override StepPlan Plan(ToolDescriptor tool, StepRequest request) =>
        new([new ToolInvocation(request.Executable, ["copy", request.InputPath, request.OutputPath])], OutputTimeline(tool, request.Input, request.FrameRatio));

    /// <summary>A copy keeps every colour, so its colour tool sets no palette bound.</summary>
    public override int? MaxColors(ToolDescriptor tool, ParamPreset preset) => null;

    [GeneratedRegex(@"Version: (\S+)")] private static partial Regex Version();
}
