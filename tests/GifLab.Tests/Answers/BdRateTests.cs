using System.Text.Json;
using GifLab.Answers;
using GifLab.Tests.Engines;

namespace GifLab.Tests.Answers;

public sealed class BdRateTests
{
    /// <summary>
    /// Published test vectors: Netflix/vmaf python/test/bd_rate_calculator_test.py (commit f85a853), whose JCTVC cases
    /// are the JCTVC-E137 example data; copied to testdata/bd-rate/vmaf-test-vectors.json with the source named there.
    /// Tolerance: the places of the original assertAlmostEqual (8 for vmaf's own sets, 4 for JCTVC-E137).
    /// </summary>
    public static TheoryData<string> Vectors()
    {
        var data = new TheoryData<string>();
        foreach (var c in Load().RootElement.GetProperty("cases").EnumerateArray()) data.Add(c.GetProperty("name").GetString()!);
        return data;
    }

    private static JsonDocument Load() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(TestEnvironment.RepoRoot, "testdata", "bd-rate", "vmaf-test-vectors.json")));

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Compute_PublishedVector_MatchesWithinItsPlaces(string name)
    {
        using var doc = Load();
        var c = doc.RootElement.GetProperty("cases").EnumerateArray().Single(x => x.GetProperty("name").GetString() == name);
        static List<(double, double)> Points(JsonElement e) => e.EnumerateArray().Select(p => (p[0].GetDouble(), p[1].GetDouble())).ToList();
        var result = BdRate.Compute(Points(c.GetProperty("anchor")), Points(c.GetProperty("test")));
        Assert.Null(result.Reason);
        var places = c.GetProperty("places").GetInt32();
        Assert.True(Math.Abs(result.Value!.Value - c.GetProperty("expected").GetDouble()) < 0.5 * Math.Pow(10, -places),
            $"{name}: {result.Value:R} vs {c.GetProperty("expected").GetDouble():R}");
    }

    [Fact]
    public void Compute_TestTwiceTheRateEverywhere_IsPlus100Percent()
    {
        // log10 rate shifts by log10(2) at every quality: the fits are shifted copies, so BD-rate is exactly +1.
        var anchor = new List<(double, double)> { (100, 30), (200, 33), (400, 36), (800, 39), (1600, 42) };
        var test = anchor.Select(p => (p.Item1 * 2, p.Item2)).ToList();
        var r = BdRate.Compute(anchor, test);
        Assert.Equal(1.0, r.Value!.Value, 12);
        Assert.Equal(30, r.OverlapLow);
        Assert.Equal(42, r.OverlapHigh);
        Assert.Equal(-0.5, BdRate.Compute(test, anchor).Value!.Value, 12);
    }

    [Fact]
    public void Compute_NoOverlap_IsNullWithReason()
    {
        var low = new List<(double, double)> { (1, 1), (2, 2), (3, 3), (4, 4) };
        var high = new List<(double, double)> { (10, 5), (20, 6), (30, 7), (40, 8) };
        var r = BdRate.Compute(low, high);
        Assert.Null(r.Value);
        Assert.Contains("no quality overlap", r.Reason);
    }

    [Fact]
    public void Compute_TooFewFrontierPoints_IsNullWithReason()
    {
        // Five points, but two are dominated (bigger and worse): three frontier points remain.
        var anchor = new List<(double, double)> { (1, 1), (2, 2), (3, 3), (5, 2.5), (6, 0.5) };
        var test = new List<(double, double)> { (1, 1), (2, 2), (3, 3), (4, 4) };
        var r = BdRate.Compute(anchor, test);
        Assert.Null(r.Value);
        Assert.Equal("anchor curve has 3 frontier point(s), 4 needed", r.Reason);
    }

    [Fact]
    public void Frontier_DropsDominatedAndInvalidPoints_OrdersByRate()
    {
        var f = BdRate.Frontier([(4, 3), (1, 1), (2, 2), (3, 1.5), (double.NaN, 9), (0, 9), (5, 5)]);
        Assert.Equal([(1.0, 1.0), (2.0, 2.0), (4.0, 3.0), (5.0, 5.0)], f);
    }
}
