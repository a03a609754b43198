namespace GifLab.Modeling;

/// <summary>What a model predicts at each curve point.</summary>
public enum PredictionTarget
{
    /// <summary>Output size, learnt as log(output bytes ÷ original bytes) and reported in bytes.</summary>
    Size,
    /// <summary><c>composite_score</c> from metrics_json (0–1, higher is better).</summary>
    CompositeScore,
    /// <summary><c>ssim</c> from metrics_json.</summary>
    Ssim,
    /// <summary><c>ssimulacra2</c> from metrics_json (higher is better; 100 = identical).</summary>
    Ssimulacra2,
}

public static class PredictionTargets
{
    public static IReadOnlyList<PredictionTarget> All { get; } = [PredictionTarget.Size, PredictionTarget.CompositeScore, PredictionTarget.Ssim, PredictionTarget.Ssimulacra2];

    /// <summary>Stored name (the metrics_json key for quality targets).</summary>
    public static string Name(this PredictionTarget target) => target switch
    {
        PredictionTarget.Size => "size",
        PredictionTarget.CompositeScore => "composite_score",
        PredictionTarget.Ssim => "ssim",
        PredictionTarget.Ssimulacra2 => "ssimulacra2",
        _ => throw new ArgumentOutOfRangeException(nameof(target), target, null),
    };

    public static bool TryParse(string? name, out PredictionTarget target)
    {
        foreach (var t in All)
            if (t.Name() == name) { target = t; return true; }
        target = default;
        return false;
    }
}

/// <summary>Model structure per (engine, curve type, target).</summary>
public enum ModelStructure
{
    /// <summary>One model over (features, curve position) shared by every position.</summary>
    Shared,
    /// <summary>One independent model per curve position (the reference's structure).</summary>
    PerPoint,
}

public static class ModelStructures
{
    public static string Name(this ModelStructure s) => s == ModelStructure.Shared ? "shared" : "per_point";

    public static bool TryParse(string? name, out ModelStructure s)
    {
        switch (name)
        {
            case "shared": s = ModelStructure.Shared; return true;
            case "per_point": s = ModelStructure.PerPoint; return true;
            default: s = default; return false;
        }
    }
}
