using GifLab.Core.Features.Compressibility;
using GifLab.Core.Features.Metadata;
using GifLab.Core.Features.Spatial;
using GifLab.Core.Features.Structure;
using GifLab.Core.Features.Temporal;
using GifLab.Core.Features.Transparency;

namespace GifLab.Core.Features;

/// <summary>
/// The one list of feature groups and field names. Store, export, docs and model training read it; nobody keeps a
/// parallel list. Group order = GifFeaturesV1 schema order: the reference's groups (features.md §9, fields 6–29), then
/// GifLab's extension groups (structure, since extraction 1.2.0), whose fields are nullable because older records
/// lack them.
/// </summary>
public static class FeatureRegistry
{
    /// <summary>Feature groups in schema order.</summary>
    public static IReadOnlyList<IFeature> All { get; } =
    [
        new MetadataFeatures(),
        new SpatialFeatures(),
        new ColorDistributionFeatures(),
        new TemporalFeatures(),
        new CompressibilityFeatures(),
        new TransparencyFeature(),
        new StructureFeatures(),
    ];

    /// <summary>Number of the reference's numeric fields (6 metadata + 18 visual), which come first.</summary>
    public const int ReferenceCount = 24;

    /// <summary>Every numeric field (the reference's 24, then the extension fields), in schema order.</summary>
    public static IReadOnlyList<FeatureInfo> Outputs { get; } = All.SelectMany(f => f.Outputs).ToArray();

    /// <summary>Every numeric field name in schema order (the reference's 24, then <see cref="ExtensionNames"/>):
    /// JSON keys, <c>feature_*</c> export columns and <c>giflab features</c> rows.</summary>
    public static IReadOnlyList<string> Names { get; } = Outputs.Select(o => o.Name).ToArray();

    /// <summary>The reference's 24 numeric field names in schema order (features.md §9, fields 6–29).</summary>
    public static IReadOnlyList<string> ReferenceNames { get; } = Names.Take(ReferenceCount).ToArray();

    /// <summary>GifLab's extension fields after the reference's 24 (the structure group, extraction 1.2.0); all nullable.</summary>
    public static IReadOnlyList<string> ExtensionNames { get; } = Names.Skip(ReferenceCount).ToArray();

    /// <summary>The reference's 18 visual features (its fields after the 6 metadata fields; no extension fields).</summary>
    public static IReadOnlyList<string> VisualNames { get; } = ReferenceNames.Skip(6).ToArray();

    /// <summary>The identity fields that precede the numeric ones in the record.</summary>
    public static IReadOnlyList<string> IdentityNames { get; } =
        [FeatureNames.SchemaVersion, FeatureNames.GifSha, FeatureNames.GifName, FeatureNames.ExtractionVersion, FeatureNames.ExtractedAt];

    /// <summary>All keys of the GifFeaturesV1 JSON record, in order: 5 identity, the reference's 24, the extension fields.</summary>
    public static IReadOnlyList<string> RecordFieldNames { get; } = IdentityNames.Concat(Names).ToArray();

    /// <summary>
    /// The 24 model inputs in the fixed order of prediction.md §2 (written out independently of <see cref="ReferenceNames"/>;
    /// a test checks both agree). A null <c>transparency_ratio</c> becomes NaN in a model row.
    /// </summary>
    public static IReadOnlyList<string> ModelInputNames { get; } =
    [
        "width", "height", "frame_count", "duration_ms", "file_size_bytes", "unique_colors", "entropy",
        "edge_density", "color_complexity", "gradient_smoothness", "contrast_score", "text_density",
        "dct_energy_ratio", "color_histogram_entropy", "dominant_color_ratio", "motion_intensity",
        "motion_smoothness", "static_region_ratio", "temporal_entropy", "frame_similarity",
        "inter_frame_mse_mean", "inter_frame_mse_std", "lossless_compression_ratio", "transparency_ratio",
    ];

    private static readonly Dictionary<string, int> IndexByName = Names.Select((n, i) => (n, i)).ToDictionary(t => t.n, t => t.i);

    /// <summary>Position of a numeric field in <see cref="Names"/>, or -1.</summary>
    public static int IndexOf(string name) => IndexByName.GetValueOrDefault(name, -1);

    /// <summary>The schema entry of a numeric field.</summary>
    public static FeatureInfo Info(string name) =>
        IndexByName.TryGetValue(name, out var i) ? Outputs[i] : throw new ArgumentException($"Unknown feature '{name}'.", nameof(name));
}
