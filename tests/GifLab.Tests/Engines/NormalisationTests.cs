using GifLab.Core.Model;
using GifLab.Engines;

namespace GifLab.Tests.Engines;

/// <summary>The normalisation contract (seed spec table; engines-and-tools.md §2.1).</summary>
public class NormalisationTests
{
    [Theory]
    [InlineData(Engine.Gifsicle, 0, 0)]
    [InlineData(Engine.Gifsicle, 50, 150)]
    [InlineData(Engine.Gifsicle, 100, 300)]
    [InlineData(Engine.AnimatelyStandard, 0, 0)]
    [InlineData(Engine.AnimatelyStandard, 50, 50)]
    [InlineData(Engine.AnimatelyStandard, 100, 100)]
    [InlineData(Engine.AnimatelyAdvanced, 50, 50)]
    [InlineData(Engine.AnimatelyHard, 100, 100)]
    [InlineData(Engine.ImageMagick, 0, 100)]
    [InlineData(Engine.ImageMagick, 50, 50)]
    [InlineData(Engine.ImageMagick, 100, 0)]
    [InlineData(Engine.Ffmpeg, 0, 1)]
    [InlineData(Engine.Ffmpeg, 50, 16)]
    [InlineData(Engine.Ffmpeg, 100, 31)]
    [InlineData(Engine.Gifski, 0, 100)]
    [InlineData(Engine.Gifski, 50, 50)]
    [InlineData(Engine.Gifski, 100, 1)]
    public void NativeValue_FollowsTheContract(Engine engine, int level, int native) =>
        Assert.Equal(native, LossyMapping.NativeValue(engine, level));

    [Theory]
    [InlineData(5, 3)]   // 1 + round(1.5) = 1 + 2 (half to even)
    [InlineData(15, 5)]  // 1 + round(4.5) = 1 + 4 (half to even)
    [InlineData(10, 4)]
    public void FfmpegQ_RoundsHalfToEvenLikePython(int level, int q) => Assert.Equal(q, FfmpegFamily.Q(level));

    // Golden table from engines-and-tools.md §2.1 (the reference's N(L), computed by the reference team).
    [Theory]
    [InlineData(0, 256)] [InlineData(1, 249)] [InlineData(10, 194)] [InlineData(20, 147)] [InlineData(25, 128)]
    [InlineData(30, 111)] [InlineData(40, 84)] [InlineData(50, 64)] [InlineData(60, 49)] [InlineData(70, 37)]
    [InlineData(75, 32)] [InlineData(80, 28)] [InlineData(90, 21)] [InlineData(100, 16)]
    public void PaletteSize_MatchesReferenceTable(int level, int n)
    {
        Assert.Equal(n, LossyMapping.PaletteSize(level));
        Assert.Equal(n, ImageMagickFamily.Colors(level));
    }

    [Theory]
    [InlineData(0, 256)]
    [InlineData(50, 64)]
    [InlineData(100, 16)]
    public void FfmpegColors_AtTheGridLevels_EqualReferencePalette(int level, int n) => Assert.Equal(n, FfmpegFamily.Colors(level));

    [Fact]
    public void Levels_OutsideRange_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => GifsicleFamily.LossyValue(101));
        Assert.Throws<ArgumentOutOfRangeException>(() => GifskiFamily.Quality(-1));
    }

    [Theory]
    [InlineData(10, 0.5, new[] { 0, 2, 4, 6, 8 })]
    [InlineData(7, 0.5, new[] { 0, 2, 4 })]
    [InlineData(4, 1.0, new[] { 0, 1, 2, 3 })]
    [InlineData(4, 0.0, new[] { 0 })]
    [InlineData(3, 0.9, new[] { 0, 1 })] // target ⌊2.7⌋ = 2
    public void FrameSelection_FollowsReferenceRule(int total, double ratio, int[] kept) =>
        Assert.Equal(kept, FrameSelection.KeptIndices(total, ratio));

    [Fact]
    public void FrameSelection_AdjustedDelays_KeepTotal()
    {
        Assert.Equal([200, 200], FrameSelection.AdjustedDelays([100, 100, 100, 100], [0, 2]));
        Assert.Equal([10, 20 + 30 + 40], FrameSelection.AdjustedDelays([10, 20, 30, 40], [0, 1]));
        Assert.Equal([100], FrameSelection.AdjustedDelays([10, 20, 30, 40], [0]));
    }
}

public class EngineEnumTests
{
    [Fact]
    public void SevenEngines_WithDataModelNames()
    {
        Assert.Equal(7, EngineNames.All.Count);
        Assert.Equal(["gifsicle", "animately-standard", "animately-advanced", "animately-hard", "imagemagick", "ffmpeg", "gifski"],
            EngineNames.All.Select(e => e.Name()));
    }

    [Fact]
    public void Parse_RoundTrips_AndRejectsV1Name()
    {
        foreach (var e in EngineNames.All) Assert.Equal(e, EngineNames.Parse(e.Name()));
        Assert.Throws<ArgumentException>(() => EngineNames.Parse("animately"));
        Assert.Throws<ArgumentException>(() => EngineNames.Parse("GIFSICLE"));
    }

    [Fact]
    public void V1Migration_MapsAnimatelyToStandard()
    {
        Assert.Equal("animately-standard", EngineNames.MigrateV1("animately"));
        Assert.Equal("gifsicle", EngineNames.MigrateV1("gifsicle"));
        Assert.True(EngineNames.TryParse("animately", out var e));
        Assert.Equal(Engine.AnimatelyStandard, e);
        Assert.False(EngineNames.TryParse(null, out _));
    }

    [Fact]
    public void EveryEngine_HasExactlyOneLossyTool_InItsFamily()
    {
        foreach (var e in EngineNames.All)
        {
            var tool = ToolRegistry.LossyToolFor(e);
            Assert.Equal(ToolCategory.LossyCompression, tool.Category);
            Assert.Equal(e, tool.Engine);
            Assert.Single(ToolRegistry.All, t => t.Engine == e);
        }
        Assert.Null(ToolRegistry.ColorToolFor(Engine.Gifski));
        Assert.Equal("animately-color", ToolRegistry.ColorToolFor(Engine.AnimatelyHard)!.Name);
        Assert.Equal(Engine.Ffmpeg, ToolRegistry.EngineOf(new PipelineId("none-frame", "gifsicle-color", "ffmpeg-lossy")));
        Assert.Null(ToolRegistry.EngineOf(new PipelineId("none-frame", "none-color", "gifsicle-lossy-O2")));
    }
}
