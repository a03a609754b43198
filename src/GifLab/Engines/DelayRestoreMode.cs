namespace GifLab.Engines;

/// <summary>How the executor restores the expected delays in a step's output.</summary>
public enum DelayRestoreMode
{
    /// <summary>The tool keeps delays itself.</summary>
    None,
    /// <summary>Write the expected delays when the output has exactly the expected number of frames.</summary>
    ExactCount,
    /// <summary>The tool ran at 100 fps over <see cref="StepPlan.Listing"/>; map merged 1 cs frames back to source delays.</summary>
    MergedListings,
}
