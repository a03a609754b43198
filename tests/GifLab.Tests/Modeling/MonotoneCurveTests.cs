using GifLab.Modeling;

namespace GifLab.Tests.Modeling;

public class MonotoneCurveTests
{
    // Expected values worked out by hand with the pool-adjacent-violators algorithm (equal weights).
    [Theory]
    [InlineData(new[] { 3.0, 5.0, 1.0 }, new[] { 4.0, 4.0, 1.0 })]
    [InlineData(new[] { 5.0, 4.0, 3.0 }, new[] { 5.0, 4.0, 3.0 })]
    [InlineData(new[] { 1.0, 2.0, 3.0 }, new[] { 2.0, 2.0, 2.0 })]
    [InlineData(new[] { 4.0, 1.0, 2.0, 0.0 }, new[] { 4.0, 1.5, 1.5, 0.0 })]
    [InlineData(new[] { 2.0 }, new[] { 2.0 })]
    public void MakeNonIncreasing_GivesTheIsotonicFit(double[] input, double[] expected)
    {
        var values = (double[])input.Clone();
        MonotoneCurve.MakeNonIncreasing(values);
        Assert.Equal(expected, values);
    }

    [Fact]
    public void MakeNonIncreasing_SkipsNaN()
    {
        double[] values = [3, double.NaN, 5, 1];
        MonotoneCurve.MakeNonIncreasing(values);
        Assert.Equal(4, values[0]);
        Assert.True(double.IsNaN(values[1]));
        Assert.Equal(4, values[2]);
        Assert.Equal(1, values[3]);
    }

    [Fact]
    public void MakeNonIncreasing_RandomInput_IsMonotoneAndKeepsTheMean()
    {
        var rng = new Random(1);
        for (var trial = 0; trial < 200; trial++)
        {
            var values = Enumerable.Range(0, rng.Next(1, 80)).Select(_ => rng.NextDouble()).ToArray();
            var mean = values.Average();
            MonotoneCurve.MakeNonIncreasing(values);
            Assert.True(MonotoneCurve.IsNonIncreasing(values));
            Assert.Equal(mean, values.Average(), 9);
        }
    }
}
