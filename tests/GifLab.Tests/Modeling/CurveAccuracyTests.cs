using GifLab.Core.Curves;
using GifLab.Modeling;

namespace GifLab.Tests.Modeling;

public class CurveAccuracyTests
{
    private static GifCurve Gif(long original, params (int Pos, long Size, double? Composite)[] points) =>
        new("sha", DatasetSplit.Test, original, [], points.Select(p => new MeasuredPoint(p.Pos, p.Size, p.Composite, null)).ToList());

    // Worked by hand: GIF A (1000 B): actual 500 and 400, predicted 550 and 400 → APE 10 % and 0 %.
    // GIF B (2000 B): actual 1000 at level 0 only, predicted 1200 → APE 20 % (outside 15 %).
    // MAPE over the 3 points = 10 %; per point: level 0 → 15 %, level 10 → 0 %; within share = 1 of 2 GIFs.
    [Fact]
    public void Size_MapePerPointAndWithinShare_MatchHandComputedValues()
    {
        var acc = new CurveAccuracy.Builder(PredictionTarget.Size, CurveType.Lossy);
        acc.Add(Gif(1000, (0, 500, null), (10, 400, null)), new Dictionary<int, double> { [0] = Math.Log(0.55), [10] = Math.Log(0.4) });
        acc.Add(Gif(2000, (0, 1000, null)), new Dictionary<int, double> { [0] = Math.Log(0.6), [10] = Math.Log(0.5) });
        var a = acc.Build()!;
        Assert.Equal(CurveAccuracy.MapePercent, a.Metric);
        Assert.Equal((2, 3), (a.Gifs, a.Points));
        Assert.Equal(10.0, a.Overall, 9);
        Assert.Equal(15.0, a.PerPoint[0], 9);
        Assert.Equal(0.0, a.PerPoint[10], 9);
        Assert.Equal(0.5, a.WithinShare);
        Assert.Equal(15.0, a.ThresholdPercent);
    }

    [Fact]
    public void Quality_IsMeanAbsoluteErrorOverMeasuredPoints()
    {
        var acc = new CurveAccuracy.Builder(PredictionTarget.CompositeScore, CurveType.Colors);
        acc.Add(Gif(1000, (256, 900, 0.9), (128, 800, null), (64, 700, 0.7)), new Dictionary<int, double> { [256] = 0.95, [128] = 0.1, [64] = 0.6 });
        var a = acc.Build()!;
        Assert.Equal(CurveAccuracy.Mae, a.Metric);
        Assert.Equal(2, a.Points);
        Assert.Equal(0.075, a.Overall, 9);
        Assert.Equal(new[] { 256, 64 }, a.PerPoint.Keys);
        Assert.Null(a.WithinShare);
    }

    [Fact]
    public void NoMeasuredPoints_GiveNoAccuracy() =>
        Assert.Null(new CurveAccuracy.Builder(PredictionTarget.Ssim, CurveType.Lossy).Build());
}
