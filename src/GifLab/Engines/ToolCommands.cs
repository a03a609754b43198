namespace GifLab.Engines;

/// <summary>Pure dispatch: (tool, step request) → the step's plan, by the tool's family. No process, no file access.</summary>
public static class ToolCommands
{
    public static StepPlan Plan(ToolDescriptor tool, StepRequest request, FamilyRegistry? registry = null)
    {
        ArgumentNullException.ThrowIfNull(tool);
        ArgumentNullException.ThrowIfNull(request);
        LossyMapping.Check(request.LossyLevel);
        return (registry ?? FamilyRegistry.Default).FamilyOf(tool).Plan(tool, request);
    }
}
