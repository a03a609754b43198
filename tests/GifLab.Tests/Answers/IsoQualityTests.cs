using GifLab.Answers;

namespace GifLab.Tests.Answers;

public sealed class IsoQualityTests
{
    private static readonly List<(double Size, double Quality)> Curve = [(100, 0.80), (200, 0.90), (400, 0.98), (300, 0.85), (500, 0.97)];

    [Fact]
    public void Frontier_DropsDominatedPoints()
    {
        // (300, 0.85) is beaten by (200, 0.90); (500, 0.97) by (400, 0.98).
        Assert.Equal([(100.0, 0.80), (200.0, 0.90), (400.0, 0.98)], IsoQuality.Frontier(Curve));
    }

    [Theory]
    [InlineData(0.70, 100)]   // below every point: the smallest point already reaches it (no extrapolation downwards)
    [InlineData(0.80, 100)]
    [InlineData(0.85, 150)]   // halfway between (100, 0.80) and (200, 0.90)
    [InlineData(0.90, 200)]
    [InlineData(0.94, 300)]   // halfway between (200, 0.90) and (400, 0.98)
    [InlineData(0.98, 400)]
    public void SizeAt_InterpolatesLinearlyBetweenFrontierNeighbours(double floor, double expected)
    {
        Assert.Equal(expected, IsoQuality.SizeAt(IsoQuality.Frontier(Curve), floor)!.Value, 9);
    }

    [Fact]
    public void SizeAt_AboveTheBestMeasuredQuality_IsNull_NeverExtrapolated()
    {
        Assert.Null(IsoQuality.SizeAt(IsoQuality.Frontier(Curve), 0.981));
        Assert.Null(IsoQuality.SizeAt([], 0.5));
    }

    [Fact]
    public void SizeAt_IsMonotoneInTheFloor()
    {
        var frontier = IsoQuality.Frontier(Curve);
        var previous = 0.0;
        for (var q = 0.70; q <= 0.98; q += 0.001)
        {
            var s = IsoQuality.SizeAt(frontier, q)!.Value;
            Assert.True(s >= previous - 1e-9);
            previous = s;
        }
    }
}
