using GifLab.Engines;

namespace GifLab.Tests.Engines;

/// <summary>docs/engines.md carries every tool's lossy mapping as rendered from the tool registry (LossyMappingTable).</summary>
public class EnginesDocTests
{
    [Fact]
    public void EnginesDoc_LossyMapping_IsTheRegistrysTable()
    {
        var doc = File.ReadAllText(Path.Combine(TestEnvironment.RepoRoot, "docs", "engines.md")).ReplaceLineEndings("\n");
        var begin = doc.IndexOf(LossyMappingTable.BeginMarker, StringComparison.Ordinal);
        var end = doc.IndexOf(LossyMappingTable.EndMarker, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, "docs/engines.md has no lossy-mapping markers");
        var inDoc = doc[(begin + LossyMappingTable.BeginMarker.Length)..end].Trim('\n');
        var expected = LossyMappingTable.Markdown(FamilyRegistry.Default).ReplaceLineEndings("\n").Trim('\n');
        Assert.True(inDoc == expected, "docs/engines.md is out of step with the registry; the block between the markers should be:\n" + expected);
    }

    [Fact]
    public void LossyMapping_NamesEveryLossyTool_AndImageMagicksPaletteSize()
    {
        var table = LossyMappingTable.Markdown(FamilyRegistry.Default);
        foreach (var tool in FamilyRegistry.Default.InCategory(GifLab.Core.Model.ToolCategory.LossyCompression))
            Assert.Contains($"`{tool.Name}`", table);
        // ImageMagick: quality 100−L and palette N(L) = max(16, round(256·(16/256)^(L/100))): 256 at L=0, 16 at L=100.
        Assert.Contains("| imagemagick | `imagemagick-lossy` setting | 100 | 90 |", table);
        Assert.Contains("| imagemagick | palette colours N(L) | 256 |", table);
    }
}
