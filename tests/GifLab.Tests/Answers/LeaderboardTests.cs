using GifLab.Answers;
using GifLab.Core.Features;
using GifLab.Storage;

namespace GifLab.Tests.Answers;

public sealed class LeaderboardTests
{
    private const string A = "none-frame|none-color|gifsicle-lossy";
    private const string B = "none-frame|none-color|imagemagick-lossy";
    private const string C = "none-frame|none-color|ffmpeg-lossy";

    private static AnswersRun Run(string pipeline, int lossy, long size, double quality, string status = "valid") =>
        new(pipeline, lossy, 256, 1.0, size, status, quality);

    private static AnswersGif Gif(long id, ContentType? type, params AnswersRun[] runs) =>
        new(id, id.ToString("x64", System.Globalization.CultureInfo.InvariantCulture), $"g{id}.gif", null, 10_000, 10, 10, 1, type, runs);

    private static AnswersOptions Options(double floor = 0.9, int samples = 200) =>
        new(QualityMetric.Resolve("composite_score", out _)!, floor, BootstrapSamples: samples);

    /// <summary>
    /// Three photo GIFs, floor 0.9:
    /// g1: A reaches at 150 (interpolated between (100, .8) and (200, 1)), B at 275 (between (250, .85) and (300, .95)), C never (max .85).
    /// g2: A at 400, B at 200, C at 200 (tie with B: they share the win).
    /// g3: A at 100, B at 100 (identical outputs: tie), C never.
    /// </summary>
    private static AnswersResult Compute(AnswersOptions? options = null)
    {
        var analysis = new AnswersAnalysis(options ?? Options());
        analysis.Add(Gif(1, ContentType.Photo, Run(A, 0, 200, 1.0), Run(A, 50, 100, 0.8), Run(B, 0, 300, 0.95), Run(B, 50, 250, 0.85),
            Run(C, 0, 90, 0.85), Run(C, 50, 1, 0.99, "corrupted")));
        analysis.Add(Gif(2, ContentType.Photo, Run(A, 0, 400, 0.95), Run(B, 0, 200, 0.92), Run(C, 0, 200, 0.90), Run(C, 50, 150, 0.5)));
        analysis.Add(Gif(3, ContentType.Photo, Run(A, 0, 100, 0.97), Run(B, 0, 100, 0.97), Run(C, 0, 50, 0.7)));
        return analysis.Finish(CancellationToken.None);
    }

    [Fact]
    public void IsoQuality_HandComputedStatistics()
    {
        var board = Compute().Leaderboards.Single(b => b.Group == "photo");
        var a = board.Rows.Single(r => r.Family.Pipeline == A);
        var b = board.Rows.Single(r => r.Family.Pipeline == B);
        var c = board.Rows.Single(r => r.Family.Pipeline == C);
        // Relative sizes: A = 1, 2, 1 → median 1; B = 275/150, 1, 1 → 1; C = ∞, 1, ∞ → ∞.
        Assert.Equal(1.0, a.MedianRelativeSize.Value);
        Assert.Equal(1.0, b.MedianRelativeSize.Value);
        Assert.Equal(double.PositiveInfinity, c.MedianRelativeSize.Value);
        // Wins: A 1 + 0 + ½; B 0 + ½ + ½; C 0 + ½ + 0.
        Assert.Equal(1.5 / 3, a.WinRate.Value!.Value, 12);
        Assert.Equal(1.0 / 3, b.WinRate.Value!.Value, 12);
        Assert.Equal(0.5 / 3, c.WinRate.Value!.Value, 12);
        Assert.Equal((3, 3, 0), (a.Gifs, a.Reached, a.NeverReaches));
        Assert.Equal((3, 1, 2), (c.Gifs, c.Reached, c.NeverReaches));
        Assert.Equal(1.0 / 3, c.ReachShare.Value!.Value, 12);
        // A ranks first (same median as B, more wins); C last.
        Assert.Equal([A, B, C], board.Rows.Select(r => r.Family.Pipeline));
        Assert.Equal([1, 2, 3], board.Rows.Select(r => r.Rank));
    }

    [Fact]
    public void ParetoFrequency_CountsOnlyPointsAFamilyAloneProduced()
    {
        var board = Compute().Leaderboards.Single(b => b.Group == "photo");
        // g1 frontier: (90, .85) C; (100, .8) is dominated by it; (200, 1.0) A. → A, C.
        // g2 frontier: (150,.5) C, (200,.92) B and C tie at 200? B .92 beats C .90 → B; (400,.95) A. → A, B, C.
        // g3 frontier: (50,.7) C, (100,.97) produced by both A and B → counts for neither. → C.
        Assert.Equal(2.0 / 3, board.Rows.Single(r => r.Family.Pipeline == A).ParetoFrequency.Value!.Value, 12);
        Assert.Equal(1.0 / 3, board.Rows.Single(r => r.Family.Pipeline == B).ParetoFrequency.Value!.Value, 12);
        Assert.Equal(1.0, board.Rows.Single(r => r.Family.Pipeline == C).ParetoFrequency.Value!.Value, 12);
        // C: iso rank 3, Pareto rank 1 → flagged.
        var c = board.Rows.Single(r => r.Family.Pipeline == C);
        Assert.Equal(1, c.ParetoRank);
        Assert.True(c.Disagrees);
        Assert.Contains("most often on the frontier is ffmpeg", board.Disagreement);
    }

    [Fact]
    public void Bootstrap_IsSeeded_AndIntervalsContainThePointEstimate()
    {
        var first = Compute();
        var second = Compute();
        foreach (var (x, y) in first.Leaderboards.SelectMany(b => b.Rows).Zip(second.Leaderboards.SelectMany(b => b.Rows)))
        {
            Assert.Equal(x, y);
            foreach (var e in new[] { x.WinRate, x.ReachShare, x.ParetoFrequency })
                Assert.InRange(e.Value!.Value, e.Low!.Value, e.High!.Value);
        }
    }

    [Fact]
    public void MedianInterval_EqualsABruteForcePercentileBootstrap()
    {
        // 31 GIFs, two families with random sizes; A misses the floor on some GIFs (+∞ relative size).
        var rng = new Random(5);
        var options = Options(samples: 300) with { By = GroupBy.None };
        var analysis = new AnswersAnalysis(options);
        for (var g = 0; g < 31; g++)
        {
            var a = 100 + rng.Next(100);
            var b = 100 + rng.Next(100);
            analysis.Add(Gif(g + 1, null, Run(A, 0, a, g % 7 == 0 ? 0.85 : 0.95), Run(B, 0, b, 0.95)));
        }
        var result = analysis.Finish(CancellationToken.None);
        var row = result.Leaderboards[0].Rows.Single(r => r.Family.Pipeline == A);

        // The same draws as Leaderboard.Compute (one Random(seed), n draws of rng.Next(n) per resample), medians by sorting.
        var rel = new double[31];
        var replay = new Random(5);
        for (var g = 0; g < 31; g++)
        {
            var a = 100 + replay.Next(100);
            var b = 100 + replay.Next(100);
            rel[g] = g % 7 == 0 ? double.PositiveInfinity : (double)a / Math.Min(a, b);
        }
        var draws = new Random(options.Seed);
        var medians = new List<double>();
        for (var s = 0; s < options.BootstrapSamples; s++)
        {
            var sample = Enumerable.Range(0, 31).Select(_ => rel[draws.Next(31)]).Order().ToArray();
            medians.Add(sample[15]);
        }
        medians.Sort();
        double Q(double p)
        {
            var pos = p * (medians.Count - 1);
            var lo = (int)Math.Floor(pos);
            var hi = Math.Min(lo + 1, medians.Count - 1);
            return double.IsPositiveInfinity(medians[hi]) && pos > lo ? double.PositiveInfinity : medians[lo] + (pos - lo) * (medians[hi] - medians[lo]);
        }
        Assert.Equal(rel.Order().ElementAt(15), row.MedianRelativeSize.Value);
        Assert.Equal(Q(0.025), row.MedianRelativeSize.Low!.Value, 12);
        Assert.Equal(Q(0.975), row.MedianRelativeSize.High!.Value, 12);
    }

    [Fact]
    public void Groups_AllPlusEachContentTypePresent_OrNoneOnly()
    {
        Assert.Equal(["all", "photo"], Compute().Leaderboards.Select(b => b.Group));
        Assert.Equal(["all"], Compute(Options() with { By = GroupBy.None }).Leaderboards.Select(b => b.Group));
    }

    [Fact]
    public void Engines_FilterKeepsOnlyTheirFamilies()
    {
        var result = Compute(Options() with { Engines = new HashSet<GifLab.Core.Model.Engine> { GifLab.Core.Model.Engine.Gifsicle, GifLab.Core.Model.Engine.Ffmpeg } });
        Assert.Equal([C, A], result.Families.Select(f => f.Pipeline).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void LowerIsBetterMetric_IsOrientedBeforeRanking()
    {
        // gmsd: lower is better. Floor 0.1: A reaches it at 50 + (0.2 / 0.25)·50 = 90 bytes, B at 200 + (0.1 / 0.12)·100.
        var options = new AnswersOptions(QualityMetric.Resolve("gmsd", out _)!, 0.1, BootstrapSamples: 100);
        var analysis = new AnswersAnalysis(options);
        analysis.Add(Gif(1, ContentType.Graphic, Run(A, 0, 100, 0.05), Run(A, 50, 50, 0.3), Run(B, 0, 300, 0.08), Run(B, 50, 200, 0.2)));
        var rows = analysis.Finish(CancellationToken.None).Leaderboards[0].Rows;
        Assert.Equal(A, rows[0].Family.Pipeline);
        Assert.Equal((200 + 100 / 1.2) / 90, rows[1].MedianRelativeSize.Value!.Value, 9);
    }

    [Fact]
    public void QualityMetric_UnknownName_SuggestsTheClosest()
    {
        Assert.Null(QualityMetric.Resolve("ssimulacra", out var error));
        Assert.Contains("did you mean 'ssimulacra2'", error);
        Assert.Null(QualityMetric.Resolve("frame_count", out error));
        Assert.Contains("informational", error);
        var m = QualityMetric.Resolve("composite_score", out _)!;
        Assert.Equal(0.9, m.DefaultFloor);
        Assert.True(m.HigherIsBetter);
    }
}
