namespace GifLab.Core.Metrics;

/// <summary>
/// The version of each metric (<see cref="MetricInfo.Version"/>) in each metric set version
/// (<see cref="MetricSuite.SetVersion"/>, stored with every run as <c>metric_set_version</c>). A stored run's
/// per-metric versions are found here from its set version, so recording them changed no stored byte; exports write
/// this table into their metadata sidecar (<c>metric_versions</c>).
/// </summary>
/// <remarks>
/// Changing a metric's <see cref="MetricInfo.Version"/> means bumping <see cref="MetricSuite.SetVersion"/> and adding
/// its row here; <c>MetricSetVersionsTests</c> fails until the newest row equals the registry. Rows are never edited.
/// Set 2 changed SSIMULACRA 2 pooling (≤ 1e-12 relative) and the lpips keys without bumping those metrics' own
/// versions: the rows record the versions the code declared.
/// </remarks>
public static class MetricSetVersions
{
    private static readonly OrderedDictionary<string, int> Set1 = new(StringComparer.Ordinal)
    {
        ["ssim"] = 1, ["ms_ssim"] = 1, ["psnr"] = 1, ["mse"] = 1, ["rmse"] = 1, ["ssimulacra2"] = 1, ["lpips"] = 2,
        ["fsim"] = 1, ["gmsd"] = 1, ["chist"] = 1, ["edge_similarity"] = 1, ["texture_similarity"] = 1,
        ["sharpness_similarity"] = 1, ["temporal_consistency_delta"] = 1, ["deltae"] = 1,
        ["disposal_artifact_score"] = 1, ["transparency_artifact_score"] = 1, ["temporal_flicker_score"] = 1,
        ["temporal_pumping_score"] = 1, ["gradient_banding_score"] = 1, ["posterization_score"] = 1,
        ["dither_quality_score"] = 1, ["text_readability_score"] = 1, ["frame_count"] = 1, ["composite_score"] = 1,
        ["efficiency"] = 1,
    };

    /// <summary>Metric name → version (registry order), for each metric set version (oldest first).</summary>
    public static IReadOnlyList<(int SetVersion, IReadOnlyDictionary<string, int> Versions)> All { get; } =
    [
        (1, Set1),
        (2, Set1),
    ];

    /// <summary>Metric name → version of metric set <paramref name="setVersion"/>; null when unknown.</summary>
    public static IReadOnlyDictionary<string, int>? Of(int setVersion)
    {
        foreach (var (set, versions) in All)
            if (set == setVersion) return versions;
        return null;
    }
}
