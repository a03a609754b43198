using GifLab.Core.Features;

namespace GifLab.Core.Tests.Features;

public class FeatureRegistryTests
{
    [Fact]
    public void Names_Are24_InSchemaOrder_AndEqualTheModelInputs()
    {
        Assert.Equal(24, FeatureRegistry.Names.Count);
        Assert.Equal(18, FeatureRegistry.VisualNames.Count);
        Assert.Equal(FeatureRegistry.ModelInputNames, FeatureRegistry.Names);
        Assert.Equal(FeatureRegistry.Names.Count, FeatureRegistry.Names.Distinct().Count());
        Assert.Equal("entropy", FeatureRegistry.VisualNames[0]);
        Assert.Equal("transparency_ratio", FeatureRegistry.Names[^1]);
        Assert.Equal(6, FeatureRegistry.IndexOf("entropy"));
        Assert.Equal(-1, FeatureRegistry.IndexOf("clip_pixel_art"));
    }

    [Fact]
    public void Version_IsSemantic_AndMarksTheBugFixes() => Assert.Equal("1.1.0", FeatureExtractor.Version);

    [Fact]
    public void Docs_HaveOneRowPerFeature()
    {
        var docs = Path.Combine(FeatureTestData.Dir, "..", "..", "docs", "features.md");
        var text = File.ReadAllText(docs);
        foreach (var name in FeatureRegistry.Names) Assert.Contains($"| `{name}` |", text);
        Assert.Contains(FeatureExtractor.Version, text);
    }
}
