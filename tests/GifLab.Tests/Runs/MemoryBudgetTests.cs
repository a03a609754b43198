using GifLab.Runs;

namespace GifLab.Tests.Runs;

/// <summary>The memory budget bounds decoded GIFs by bytes and caps one GIF's runs in flight when they do not fit.</summary>
public sealed class MemoryBudgetTests
{
    private const long MiB = 1 << 20;

    [Theory]
    // pixels, budget, jobs, pending → runs at once
    [InlineData(1_000_000, 4096 * MiB, 3, 59, 3)]     // small GIF: every job
    [InlineData(1_000_000, 4096 * MiB, 3, 2, 2)]      // fewer pending runs than jobs
    [InlineData(100_000_000, 4096 * MiB, 3, 59, 2)]   // 4 GiB − 11 B/px × 1e8 = 3.2 GB → room for 2 runs of 1.1 GB
    [InlineData(135_000_000, 4096 * MiB, 3, 59, 1)]   // a 480×360×800-frame GIF: one run at a time
    [InlineData(500_000_000, 4096 * MiB, 3, 59, 1)]   // larger than the budget on its own: still one run
    [InlineData(10, 1, 8, 59, 1)]
    public void ConcurrentRuns_FitTheBudget(long pixels, long budget, int jobs, int pending, int expected)
    {
        int runs = MemoryBudget.ConcurrentRuns(pixels, budget, jobs, pending);
        Assert.Equal(expected, runs);
        if (runs > 1) Assert.True(MemoryBudget.EstimateBytes(pixels, runs) <= budget);
    }

    [Fact]
    public void RepeatedFrames_CountOnceForTheSource_EveryFrameForEachRun()
    {
        // A 480×360×800-frame screen recording of which 80 frames differ from the one before: the source holds
        // 13.5 Mpx × 11 B = 0.15 GB (not 1.49 GB), leaving 4.29e9 − 0.15e9 for runs of 135 Mpx × 11 B = 1.49e9 → 2 runs.
        Assert.Equal(1, MemoryBudget.ConcurrentRuns(135_000_000, 4096 * MiB, 3, 59));
        Assert.Equal(2, MemoryBudget.ConcurrentRuns(135_000_000, 4096 * MiB, 3, 59, distinctPixels: 13_500_000));
        Assert.Equal(13_500_000L * 11 + 135_000_000L * 11 * 2, MemoryBudget.EstimateBytes(135_000_000, 2, distinctPixels: 13_500_000));
        Assert.Equal(MemoryBudget.EstimateBytes(135_000_000, 2), MemoryBudget.EstimateBytes(135_000_000, 2, distinctPixels: 135_000_000));
    }

    [Fact]
    public void TransparentGifs_HoldTwoViews_SoFewerRunsFit()
    {
        // 95 Mpx (928×512×200): opaque 4 GiB − 11 B/px → 3 runs of 11 B/px; transparent 4 GiB − 18 B/px → 2.
        Assert.Equal(3, MemoryBudget.ConcurrentRuns(95_000_000, 4096 * MiB, 3, 59, transparent: false));
        Assert.Equal(2, MemoryBudget.ConcurrentRuns(95_000_000, 4096 * MiB, 3, 59, transparent: true));
        Assert.Equal(95_000_000L * (18 + 22), MemoryBudget.EstimateBytes(95_000_000, 2, transparent: true));
    }

    [Fact]
    public void CachedPyramids_AreCountedToo()
    {
        // 60 Mpx, opaque, 4 GiB: 4.29e9 − 11 B/px (0.66e9) leaves room for 5 runs of 0.66e9 (capped at 3 jobs); a
        // 2000 MiB cache leaves 1.54e9 → 2 runs; a 3000 MiB cache 0.49e9 → still one run.
        Assert.Equal(3, MemoryBudget.ConcurrentRuns(60_000_000, 4096 * MiB, 3, 59, false, cacheBytes: 0));
        Assert.Equal(2, MemoryBudget.ConcurrentRuns(60_000_000, 4096 * MiB, 3, 59, false, cacheBytes: 2000 * MiB));
        Assert.Equal(1, MemoryBudget.ConcurrentRuns(60_000_000, 4096 * MiB, 3, 59, false, cacheBytes: 3000 * MiB));
        Assert.Equal(60_000_000L * 22 + 256 * MiB, MemoryBudget.EstimateBytes(60_000_000, 1, false, 256 * MiB));
    }

    [Fact]
    public async Task Reserve_WaitsForRoom_ButAdmitsAnOversizedGifAlone()
    {
        var budget = new MemoryBudget(slots: 4, bytes: 100);
        using var big = await budget.EnterAsync(default);
        await big.ReserveAsync(500, default);            // nothing else held: admitted although over budget
        Assert.Equal(500, budget.Used);

        var second = await budget.EnterAsync(default);
        var reserve = second.ReserveAsync(10, default);
        await Task.Delay(100);
        Assert.False(reserve.IsCompleted, "a second GIF must wait while the budget is exceeded");
        big.Dispose();
        await reserve.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(10, budget.Used);
        second.Dispose();
        Assert.Equal(0, budget.Used);
    }

    /// <summary>Issue #19 item 7: the decode itself is gated, and the two-step reservation can never deadlock.</summary>
    [Fact]
    public async Task DecodeReservation_WaitsForRoomBeforeDecoding_ThenGrowsWithoutDeadlock()
    {
        var budget = new MemoryBudget(slots: 4, bytes: 100);
        using var running = await budget.EnterAsync(default);
        await running.ReserveAsync(80, default);                      // a GIF whose runs are under way

        var next = await budget.EnterAsync(default);
        var decode = next.ReserveForDecodeAsync(50, default);
        await Task.Delay(100);
        Assert.False(decode.IsCompleted, "a decode that does not fit must wait before decoding");
        running.Dispose();
        await decode.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(50, budget.Used);

        // Two GIFs between decode and runs: each grows past the budget; neither waits for the other.
        var other = await budget.EnterAsync(default);
        await other.ReserveForDecodeAsync(40, default);               // fits: 90 of 100
        await next.ReserveAsync(90, default).WaitAsync(TimeSpan.FromSeconds(5));  // no final holder to wait for
        var grow = other.ReserveAsync(60, default);
        await Task.Delay(100);
        Assert.False(grow.IsCompleted, "growth past the budget waits for the GIF whose runs are under way");
        next.Dispose();
        await grow.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(60, budget.Used);
        other.Dispose();
        Assert.Equal(0, budget.Used);
    }

    [Fact]
    public async Task Slots_BoundHowManyGifsAreOpen()
    {
        var budget = new MemoryBudget(slots: 1, bytes: 1000);
        var first = await budget.EnterAsync(default);
        var second = budget.EnterAsync(default);
        await Task.Delay(50);
        Assert.False(second.IsCompleted);
        first.Dispose();
        (await second.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
    }
}
