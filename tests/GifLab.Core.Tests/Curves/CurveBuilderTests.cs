using GifLab.Core.Curves;
using GifLab.Core.Model;

namespace GifLab.Core.Tests.Curves;

public class CurveBuilderTests
{
    private const string Sha = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private static readonly CurveSpec Gifsicle = new(Engine.Gifsicle, "none-frame|none-color|gifsicle-lossy", "none-frame|gifsicle-color|gifsicle-lossy");
    private static readonly DateTimeOffset At = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static CurveRun Lossy(int l, long? size, string status = "valid") =>
        new(Gifsicle.LossyPipeline, l, 256, 1.0, size, null, status, 0.9, 0.95);

    [Fact]
    public void Build_LossyCurve_SizesInKiB_RatioFromOriginal_MissingPointsWithReasons()
    {
        var b = new CurveBuilder(Sha, 4096, Gifsicle, CurveType.Lossy);
        foreach (var l in CurveTypes.LossyLevels)
        {
            if (l == 30) b.Add(Lossy(l, null, "error"), "tool:timeout: killed after 120 s");
            else if (l == 40) b.Add(Lossy(l, 900, "corrupted"));
            else if (l == 90) b.Add(Lossy(l, 0));
            else if (l != 100) b.Add(Lossy(l, 2048 - 10 * l));
        }
        var c = b.Build(At)!;
        Assert.Equal(7, c.Points.Count);
        Assert.Equal([0, 10, 20, 50, 60, 70, 80], c.Points.Select(p => p.X));
        // 2048 bytes = 2 KiB exactly; ratio 4096 / 2048 = 2 (hand-computed).
        Assert.Equal(2.0, c.SizeKiBAt(0));
        Assert.Equal(2048, c.Points[0].SizeBytes);
        Assert.Equal(2.0, c.Points[0].CompressionRatio);
        Assert.Equal(0.9, c.Points[0].CompositeScore);
        Assert.Equal(0.95, c.Points[0].Ssim);
        Assert.Null(c.SizeKiBAt(30));
        Assert.Equal(
            [new MissingPoint(30, "tool:timeout: killed after 120 s"), new MissingPoint(40, "validation_status=corrupted"),
             new MissingPoint(90, "empty output"), new MissingPoint(100, "not run")],
            c.Missing);
        Assert.False(c.IsComplete);
        Assert.Empty(c.Validate());
    }

    [Fact]
    public void Add_IgnoresOtherPipelinesAndPresets()
    {
        var b = new CurveBuilder(Sha, 4096, Gifsicle, CurveType.Lossy);
        Assert.False(b.Add(new CurveRun("none-frame|none-color|ffmpeg-lossy", 0, 256, 1.0, 100, null, "valid", null, null)));
        Assert.False(b.Add(new CurveRun(Gifsicle.LossyPipeline, 0, 128, 1.0, 100, null, "valid", null, null)));
        Assert.False(b.Add(new CurveRun(Gifsicle.LossyPipeline, 0, 256, 0.5, 100, null, "valid", null, null)));
        Assert.Equal(0, b.RunsSeen);
    }

    [Fact]
    public void Build_ColorCurve_InReferenceOrder_256To16()
    {
        var b = new CurveBuilder(Sha, 4096, Gifsicle, CurveType.Colors);
        foreach (var c in new[] { 16, 64, 256, 32, 128 })
            b.Add(new CurveRun(Gifsicle.ColorPipeline!, 0, c, 1.0, 10 * c, null, "valid", null, null));
        var curve = b.Build(At)!;
        Assert.Equal([256, 128, 64, 32, 16], curve.Points.Select(p => p.X));
        Assert.True(curve.IsComplete);
        Assert.Equal(2560 / 1024.0, curve.SizeKiBAt(256));
    }

    [Fact]
    public void Build_NoColourTool_NoColourCurve()
    {
        var gifski = new CurveSpec(Engine.Gifski, "none-frame|none-color|gifski-lossy", null);
        var b = new CurveBuilder(Sha, 1, gifski, CurveType.Colors);
        Assert.False(b.Applies);
        Assert.Null(b.Build(At));
    }

    [Fact]
    public void BuildAll_UsesFailureForKeyWithoutRun()
    {
        var failures = new Dictionary<PresetKey, string> { [new PresetKey(Gifsicle.LossyPipeline, 20, 256, 1.0)] = "tool:unavailable" };
        var curves = CurveBuilder.BuildAll(Sha, 100, [Gifsicle], [Lossy(0, 50)], failures, At);
        var lossy = Assert.Single(curves);
        Assert.Contains(new MissingPoint(20, "tool:unavailable"), lossy.Missing);
        Assert.Contains(new MissingPoint(10, "not run"), lossy.Missing);
    }
}
