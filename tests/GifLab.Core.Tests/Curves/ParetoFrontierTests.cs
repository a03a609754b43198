using GifLab.Core.Curves;

namespace GifLab.Core.Tests.Curves;

public class ParetoFrontierTests
{
    [Fact]
    public void Compute_HandExample_DropsDominated_SortsBySize()
    {
        // (size, quality): B(80, 0.7) is dominated by A(60, 0.8); D(120, 0.8) by A; E(60, 0.8) duplicates A (later index).
        ParetoPoint[] pts = [new(100, 0.9, 0), new(60, 0.8, 1), new(80, 0.7, 2), new(40, 0.5, 3), new(120, 0.8, 4), new(60, 0.8, 5), new(200, 0.95, 6)];
        var f = ParetoFrontier.Compute(pts);
        Assert.Equal([3, 1, 0, 6], f.Select(p => p.Index));
    }

    [Fact]
    public void Compute_IgnoresNonFinite_AndEmpty()
    {
        Assert.Empty(ParetoFrontier.Compute([]));
        var f = ParetoFrontier.Compute([new(double.NaN, 1, 0), new(10, double.PositiveInfinity, 1), new(10, 0.5, 2)]);
        Assert.Equal([2], f.Select(p => p.Index));
    }

    [Fact]
    public void Compute_MatchesQuadraticDefinition_OnRandomPoints()
    {
        var rng = new Random(7);
        for (var trial = 0; trial < 200; trial++)
        {
            var n = rng.Next(0, 40);
            var pts = Enumerable.Range(0, n).Select(i => new ParetoPoint(rng.Next(1, 20), rng.Next(0, 10) / 10.0, i)).ToArray();
            // Brute force from the definition: keep p unless some q dominates it, or q equals it with a smaller index.
            var expected = pts.Where(p => !pts.Any(q =>
                    (q.Size <= p.Size && q.Quality >= p.Quality && (q.Size < p.Size || q.Quality > p.Quality)) ||
                    (q.Size == p.Size && q.Quality == p.Quality && q.Index < p.Index)))
                .OrderBy(p => p.Size).Select(p => p.Index).ToList();
            var actual = ParetoFrontier.Compute(pts);
            Assert.Equal(expected, actual.Select(p => p.Index));
            for (var i = 1; i < actual.Count; i++)
            {
                Assert.True(actual[i].Size > actual[i - 1].Size);
                Assert.True(actual[i].Quality > actual[i - 1].Quality);
            }
        }
    }
}
