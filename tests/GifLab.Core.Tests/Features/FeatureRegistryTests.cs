using GifLab.Core.Features;

namespace GifLab.Core.Tests.Features;

public class FeatureRegistryTests
{
    [Fact]
    public void ReferenceNames_Are24_InSchemaOrder_AndEqualTheModelInputs()
    {
        Assert.Equal(24, FeatureRegistry.ReferenceNames.Count);
        Assert.Equal(18, FeatureRegistry.VisualNames.Count);
        Assert.Equal(FeatureRegistry.ModelInputNames, FeatureRegistry.ReferenceNames);
        Assert.Equal(FeatureRegistry.Names.Count, FeatureRegistry.Names.Distinct().Count());
        Assert.Equal("entropy", FeatureRegistry.VisualNames[0]);
        Assert.Equal("inter_frame_mse_std", FeatureRegistry.VisualNames[^3]);
        Assert.Equal("transparency_ratio", FeatureRegistry.VisualNames[^1]);
        Assert.Equal("transparency_ratio", FeatureRegistry.ReferenceNames[^1]);
        Assert.Equal(6, FeatureRegistry.IndexOf("entropy"));
        Assert.Equal(-1, FeatureRegistry.IndexOf("clip_pixel_art"));
    }

    [Fact]
    public void ExtensionNames_AreTheStructureGroup_AfterTheReference_AllNullable()
    {
        // The order is the one of the task brief (structfeat.md) / docs/features.md "Structure".
        string[] expected =
        [
            "local_palette_ratio", "palette_entries", "frame_rect_area_ratio", "disposal_background_ratio",
            "disposal_previous_ratio", "transparent_index_ratio", "lzw_bits_per_rect_pixel", "extension_bytes_ratio",
            "horizontal_equal_ratio", "horizontal_small_step_ratio", "horizontal_mid_step_ratio", "vertical_equal_ratio",
            "isolated_pixel_ratio", "top16_color_coverage", "top64_color_coverage", "top128_color_coverage", "sampled_colors",
            "reencode_estimate_ratio", "reencode_o2_estimate_ratio", "reencode_q2_ratio", "reencode_q3_ratio",
            "reencode_q4_ratio", "reencode_q5_ratio", "reencode_o1_q3_ratio", "reencode_o1_q5_ratio", "max_frame_colors",
        ];
        Assert.Equal(expected, FeatureRegistry.ExtensionNames);
        Assert.Equal([.. FeatureRegistry.ReferenceNames, .. expected], FeatureRegistry.Names);
        Assert.Equal("structure", FeatureRegistry.All[^1].Name);
        Assert.All(FeatureRegistry.ExtensionNames, n => Assert.True(FeatureRegistry.Info(n).Nullable, n));
        Assert.True(FeatureRegistry.Info("palette_entries").IsInteger);
        Assert.True(FeatureRegistry.Info("sampled_colors").IsInteger);
        Assert.Equal(24, FeatureRegistry.IndexOf("local_palette_ratio"));
    }

    [Fact]
    public void Version_IsSemantic_AndMarksTheStructureGroup() => Assert.Equal("1.3.0", FeatureExtractor.Version);

    [Fact]
    public void Docs_HaveOneRowPerFeature()
    {
        var docs = Path.Combine(FeatureTestData.Dir, "..", "..", "docs", "features.md");
        var text = File.ReadAllText(docs);
        foreach (var name in FeatureRegistry.Names) Assert.Contains($"| `{name}` |", text);
        Assert.Contains(FeatureExtractor.Version, text);
    }
}
