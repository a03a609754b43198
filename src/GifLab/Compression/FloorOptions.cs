using GifLab.Core.Model;

namespace GifLab.Compression;

/// <summary>How <see cref="GifCompressor.CompressToQualityAsync"/> searches.</summary>
/// <param name="Floor">The quality floor the output must meet.</param>
public sealed record FloorOptions(QualityFloor Floor)
{
    /// <summary>The default try budget.</summary>
    public const int DefaultMaxTries = 8;

    /// <summary>At most this many compressions per GIF (≥ 1).</summary>
    public int MaxTries { get; init; } = DefaultMaxTries;

    /// <summary>Engines the search may use (null: every available engine). The 2–3 most promising are searched.</summary>
    public IReadOnlyList<Engine>? Engines { get; init; }

    /// <summary>Prediction models folder (null: the shipped models, <see cref="Modeling.ShippedModels.Directory"/>); set
    /// <see cref="UseModels"/> false to always start from the coarse search.</summary>
    public string? ModelsDirectory { get; init; }

    /// <summary>Whether to start from the predictor's candidates when models cover the GIF.</summary>
    public bool UseModels { get; init; } = true;

    /// <summary>Models cover a GIF only when none of its inputs lies outside their training range (tests turn it off
    /// to use models trained on synthetic features).</summary>
    internal bool RequireTrainingRange { get; init; } = true;
}
