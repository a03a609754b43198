namespace GifLab.Pipelines;

/// <summary>How a run expands into pipelines and presets.</summary>
public enum PlanMode
{
    /// <summary>Per engine: a lossy curve (none-frame|none-color|lossy tool at every level) and a colour curve.</summary>
    Single,
    /// <summary>Every frame × colour × lossy tool combination (5 × 20 × 12 = 1,200 pipelines) × every preset.</summary>
    Full,
}
