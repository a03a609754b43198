using GifLab.Compression;
using GifLab.Core.Model;

namespace GifLab.Tests.Compression;

/// <summary>The search on a modelled world: quality falls and size shrinks with the lossy level and fewer colours.</summary>
public sealed class QualitySearchTests
{
    private static readonly QualityFloor Floor = QualityFloor.Create("ssimulacra2", 70);

    /// <summary>An engine: quality = top − slope·L − colour penalty; size = start·(1 − shrink·L)·colour factor.</summary>
    private sealed record World(double Top, double Slope, long Start, double Shrink, bool Fails = false)
    {
        public double Quality(EngineSetting s) => Top - Slope * s.LossyLevel - (s.ColorCount < 256 ? 40.0 / s.ColorCount * 8 : 0);
        public long Size(EngineSetting s) => (long)(Start * (1 - Shrink * s.LossyLevel) * (s.ColorCount < 256 ? 0.9 - 0.05 * Math.Log2(128.0 / s.ColorCount) : 1));

        /// <summary>Smallest feasible size over every integer level at 256 colours (the exhaustive answer on that axis).</summary>
        public long Oracle(Engine e, QualityFloor floor) =>
            Enumerable.Range(0, 101).Select(l => new EngineSetting(e, l)).Where(s => floor.IsMet(Quality(s))).Select(Size).DefaultIfEmpty(long.MaxValue).Min();
    }

    private static Task<IReadOnlyList<CompressionAttempt>> Search(Dictionary<Engine, World> worlds, IReadOnlyList<EngineSetting> starts, int maxTries,
                                                                  QualityFloor? floor = null) =>
        QualitySearch.RunAsync(starts, floor ?? Floor, maxTries, _ => true, (s, _) =>
        {
            var w = worlds[s.Engine];
            return Task.FromResult(w.Fails
                ? new CompressionAttempt(s, 0, null, "engine failed: exit 1")
                : new CompressionAttempt(s, w.Size(s), w.Quality(s), null));
        }, CancellationToken.None);

    [Fact]
    public async Task Search_StaysWithinBudget_AndComesCloseToTheOracle()
    {
        var worlds = new Dictionary<Engine, World> { [Engine.Gifsicle] = new(100, 0.5, 100_000, 0.006) }; // feasible up to L = 60
        var attempts = await Search(worlds, [new EngineSetting(Engine.Gifsicle, QualitySearch.CoarseStartLevel)], 8);
        Assert.InRange(attempts.Count, 1, 8);
        var best = QualitySearch.Best(attempts, Floor, 200_000);
        Assert.NotNull(best);
        Assert.True(Floor.IsMet(best.Quality));
        var oracle = worlds[Engine.Gifsicle].Oracle(Engine.Gifsicle, Floor);
        Assert.True(best.OutputBytes <= oracle * 1.03, $"found {best.OutputBytes}, oracle {oracle}");
    }

    [Fact]
    public async Task Search_PrefersTheEngineWithTheSmallerFeasibleOutput()
    {
        var worlds = new Dictionary<Engine, World>
        {
            [Engine.Gifsicle] = new(100, 0.5, 100_000, 0.006),
            [Engine.ImageMagick] = new(100, 0.3, 80_000, 0.006), // feasible up to 100: much smaller
        };
        var attempts = await Search(worlds, [new EngineSetting(Engine.Gifsicle, 40), new EngineSetting(Engine.ImageMagick, 40)], 8);
        var best = QualitySearch.Best(attempts, Floor, 200_000)!;
        Assert.Equal(Engine.ImageMagick, best.Setting.Engine);
        Assert.True(attempts.Count(a => a.Setting.Engine == Engine.ImageMagick) > attempts.Count(a => a.Setting.Engine == Engine.Gifsicle),
            "the promising engine gets most of the budget");
    }

    [Fact]
    public async Task Search_UnreachableFloor_TriesDownToLevelZero_ThenStops()
    {
        var worlds = new Dictionary<Engine, World> { [Engine.Gifsicle] = new(60, 0.5, 100_000, 0.006) }; // never ≥ 70
        var attempts = await Search(worlds, [new EngineSetting(Engine.Gifsicle, 40)], 20);
        Assert.Null(QualitySearch.Best(attempts, Floor, 200_000));
        Assert.Contains(attempts, a => a.Setting.LossyLevel == 0);
        Assert.True(attempts.Count < 20, "stops once level 0 misses the floor");
    }

    [Fact]
    public async Task Search_FailingEngine_IsDroppedAfterOneTry()
    {
        var worlds = new Dictionary<Engine, World>
        {
            [Engine.Ffmpeg] = new(100, 0.5, 100_000, 0.006, Fails: true),
            [Engine.Gifsicle] = new(100, 0.5, 100_000, 0.006),
        };
        var attempts = await Search(worlds, [new EngineSetting(Engine.Ffmpeg, 40), new EngineSetting(Engine.Gifsicle, 40)], 8);
        Assert.Single(attempts, a => a.Setting.Engine == Engine.Ffmpeg);
        Assert.True(attempts.Count(a => a.Setting.Engine == Engine.Gifsicle) >= 5, "the budget goes to the working engine");
    }

    [Fact]
    public async Task Search_EngineWhoseOutputChangesTheAnimation_IsDropped()
    {
        var attempts = await QualitySearch.RunAsync([new EngineSetting(Engine.Gifski, 40), new EngineSetting(Engine.Gifsicle, 40)], Floor, 8, _ => true,
            (s, _) => Task.FromResult(s.Engine == Engine.Gifski
                ? new CompressionAttempt(s, 500, null, "output changes the animation (frame_count: frames 9 of 10)")
                : new CompressionAttempt(s, 1000 - 5 * s.LossyLevel, 100 - 0.5 * s.LossyLevel, null)), CancellationToken.None);
        Assert.Single(attempts, a => a.Setting.Engine == Engine.Gifski);
        Assert.Equal(Engine.Gifsicle, QualitySearch.Best(attempts, Floor, 2000)!.Setting.Engine);
    }

    [Fact]
    public async Task Search_OneTry_TriesOnlyTheFirstStart()
    {
        var worlds = new Dictionary<Engine, World> { [Engine.Gifsicle] = new(100, 0.5, 100_000, 0.006), [Engine.Gifski] = new(100, 0.5, 100_000, 0.006) };
        var attempts = await Search(worlds, [new EngineSetting(Engine.Gifski, 30), new EngineSetting(Engine.Gifsicle, 40)], 1);
        Assert.Equal(new EngineSetting(Engine.Gifski, 30), Assert.Single(attempts).Setting);
    }

    [Fact]
    public async Task Search_TriesFewerColoursOnceTheLevelIsBracketed()
    {
        // Quality barely depends on the level here, so the bracket closes at 100 and colours are tried next.
        var worlds = new Dictionary<Engine, World> { [Engine.Gifsicle] = new(100, 0.01, 100_000, 0.002) };
        var attempts = await Search(worlds, [new EngineSetting(Engine.Gifsicle, 40)], 8);
        Assert.Contains(attempts, a => a.Setting.ColorCount < 256);
        var best = QualitySearch.Best(attempts, Floor, 200_000)!;
        Assert.True(best.Setting.ColorCount < 256);
    }

    [Fact]
    public void Best_IgnoresOutputsNotSmallerThanTheInput()
    {
        var a = new CompressionAttempt(new EngineSetting(Engine.Gifsicle, 0), 1000, 95, null);
        Assert.Null(QualitySearch.Best([a], Floor, 1000));
        Assert.Same(a, QualitySearch.Best([a], Floor, 1001));
    }

    [Fact]
    public void Floor_LowerIsBetterMetric_IsACeiling()
    {
        var f = QualityFloor.Create("gmsd", 0.1);
        Assert.True(f.IsMet(0.05));
        Assert.False(f.IsMet(0.2));
        Assert.False(f.IsMet(null));
        Assert.Throws<ArgumentException>(() => QualityFloor.Create("ssimm", null));
        Assert.Throws<ArgumentException>(() => QualityFloor.Create("fsim", null)); // no default floor
        Assert.Equal(70, QualityFloor.Create(null, null).MinQuality);
    }
}
