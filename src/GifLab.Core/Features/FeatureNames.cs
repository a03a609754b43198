namespace GifLab.Core.Features;

/// <summary>
/// The GifFeaturesV1 field names (snake_case): the one place these strings are defined. JSON keys, database
/// columns, CSV headers and model inputs all use them (features.md §9).
/// </summary>
public static class FeatureNames
{
    // Identity (not numeric features).
    public const string SchemaVersion = "schema_version";
    public const string GifSha = "gif_sha";
    public const string GifName = "gif_name";
    public const string ExtractionVersion = "extraction_version";
    public const string ExtractedAt = "extracted_at";

    // Metadata.
    public const string Width = "width";
    public const string Height = "height";
    public const string FrameCount = "frame_count";
    public const string DurationMs = "duration_ms";
    public const string FileSizeBytes = "file_size_bytes";
    public const string UniqueColors = "unique_colors";

    // Spatial (representative frame) and colour distribution (first 5 sampled frames).
    public const string Entropy = "entropy";
    public const string EdgeDensity = "edge_density";
    public const string ColorComplexity = "color_complexity";
    public const string GradientSmoothness = "gradient_smoothness";
    public const string ContrastScore = "contrast_score";
    public const string TextDensity = "text_density";
    public const string DctEnergyRatio = "dct_energy_ratio";
    public const string ColorHistogramEntropy = "color_histogram_entropy";
    public const string DominantColorRatio = "dominant_color_ratio";

    // Temporal.
    public const string MotionIntensity = "motion_intensity";
    public const string MotionSmoothness = "motion_smoothness";
    public const string StaticRegionRatio = "static_region_ratio";
    public const string TemporalEntropy = "temporal_entropy";
    public const string FrameSimilarity = "frame_similarity";
    public const string InterFrameMseMean = "inter_frame_mse_mean";
    public const string InterFrameMseStd = "inter_frame_mse_std";

    // Compressibility and transparency.
    public const string LosslessCompressionRatio = "lossless_compression_ratio";
    public const string TransparencyRatio = "transparency_ratio";

    // Structure (GifLab extension, 1.2.0): how the GIF is encoded and what a lossless re-encode would cost.
    public const string LocalPaletteRatio = "local_palette_ratio";
    public const string PaletteEntries = "palette_entries";
    public const string FrameRectAreaRatio = "frame_rect_area_ratio";
    public const string DisposalBackgroundRatio = "disposal_background_ratio";
    public const string DisposalPreviousRatio = "disposal_previous_ratio";
    public const string TransparentIndexRatio = "transparent_index_ratio";
    public const string LzwBitsPerRectPixel = "lzw_bits_per_rect_pixel";
    public const string ExtensionBytesRatio = "extension_bytes_ratio";
    public const string HorizontalEqualRatio = "horizontal_equal_ratio";
    public const string HorizontalSmallStepRatio = "horizontal_small_step_ratio";
    public const string HorizontalMidStepRatio = "horizontal_mid_step_ratio";
    public const string VerticalEqualRatio = "vertical_equal_ratio";
    public const string IsolatedPixelRatio = "isolated_pixel_ratio";
    public const string Top16ColorCoverage = "top16_color_coverage";
    public const string Top64ColorCoverage = "top64_color_coverage";
    public const string Top128ColorCoverage = "top128_color_coverage";
    public const string SampledColors = "sampled_colors";
    public const string ReencodeEstimateRatio = "reencode_estimate_ratio";
    public const string ReencodeO2EstimateRatio = "reencode_o2_estimate_ratio";
    public const string ReencodeQ2Ratio = "reencode_q2_ratio";
    public const string ReencodeQ3Ratio = "reencode_q3_ratio";
    public const string ReencodeQ4Ratio = "reencode_q4_ratio";
    public const string ReencodeQ5Ratio = "reencode_q5_ratio";
    public const string ReencodeO1Q3Ratio = "reencode_o1_q3_ratio";
    public const string ReencodeO1Q5Ratio = "reencode_o1_q5_ratio";
    public const string MaxFrameColors = "max_frame_colors";
}
