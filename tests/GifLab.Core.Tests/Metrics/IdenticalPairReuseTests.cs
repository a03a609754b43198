using GifLab.Core.Metrics;
using GifLab.Core.Metrics.Kernels;
using GifLab.Core.Model;

namespace GifLab.Core.Tests.Metrics;

/// <summary>
/// Pairs byte-identical to the previous pair reuse its per-pair values (and share flattened frames). The fast
/// path must never change a stored number: every key is compared exactly with a run that computes every pair.
/// </summary>
public sealed class IdenticalPairReuseTests
{
    /// <summary>Frames 0-1-1-1-2-2-3 (static stretches, as in screen recordings).</summary>
    private static FrameSequence WithStaticRuns(FrameSequence source, int[] order, bool transparent = false)
    {
        var frames = new List<Frame>();
        foreach (var k in order)
        {
            var rgba = (byte[])source.Frames[k].Rgba.Clone(); // distinct arrays, equal content
            if (transparent) for (int i = 3; i < rgba.Length; i += 4 * 7) rgba[i] = 0;
            frames.Add(new Frame(rgba, 80, DisposalMethod.DoNotDispose, new FrameRect(0, 0, source.Width, source.Height)));
        }
        return new FrameSequence(source.Width, source.Height, frames, GifInfo.Synthetic);
    }

    public static IEnumerable<object[]> Cases =>
    [
        [new[] { 0, 1, 1, 1, 2, 2, 3 }, new[] { 0, 1, 1, 1, 2, 2, 3 }, false, true],   // same runs on both sides
        [new[] { 0, 1, 1, 1, 2, 2, 3 }, new[] { 0, 1, 1, 2, 2, 2, 3 }, false, true],   // runs end at different frames
        [new[] { 0, 0, 0, 0, 1, 1, 1, 1 }, new[] { 0, 1 }, false, true],                // merged duplicates (timeline pairing)
        [new[] { 0, 1, 1, 1, 2, 2, 3 }, new[] { 0, 1, 1, 1, 2, 2, 3 }, true, true],    // transparency: both passes
        [new[] { 0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3 }, new[] { 0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3 }, false, false], // sampled
        [new[] { 0, 1, 1, 2, 3 }, new[] { 0, 1, 1, 2, 3 }, false, true, 0],     // lossless output: every pair identical
        [new[] { 0, 1, 1, 2, 3 }, new[] { 0, 1, 1, 2, 3 }, true, true, 0],      // … with transparency
        [new[] { 0, 1, 2, 3 }, new[] { 0, 1, 0, 3 }, false, true, 0],           // some pairs identical, some not
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Measure_WithReuse_EqualsEveryPairComputed(int[] originalOrder, int[] candidateOrder, bool transparent, bool exact, int noise = 9)
    {
        var source = Synthetic.Textured(40, 32, 4);
        var original = WithStaticRuns(source, originalOrder, transparent);
        var candidate = WithStaticRuns(noise == 0 ? source : Synthetic.WithNoise(source, noise), candidateOrder, transparent);
        var suite = new MetricSuite();
        var options = new MetricOptions(Exact: exact);
        var reused = suite.Measure(suite.Prepare(original, options), candidate, options, 5000, 2000);
        var full = suite.Measure(suite.Prepare(original, options), candidate, options with { ComputeIdenticalPairs = true }, 5000, 2000);
        Assert.Equal(full.Values.Keys.Order(), reused.Values.Keys.Order());
        foreach (var (key, value) in full.Values)
            Assert.True(Equals(value, reused.Values[key]), $"{key}: every pair {value}, with reuse {reused.Values[key]}");
        Assert.Equal(full.NullReasons, reused.NullReasons);
    }

    /// <summary>Smooth gradients (banding, posterization, dither blocks) beside high-contrast strokes (text-like
    /// blocks), so that the block artefact scores and ΔE add terms from every repeated pair.</summary>
    private static FrameSequence GradientsAndText(int frames) =>
        Synthetic.Build(96, 64, frames, (f, x, y) =>
        {
            if (x < 48) { byte g = (byte)(40 + x * 2 + y / 4 + f * 3); return (g, (byte)(g / 2 + 20), (byte)(200 - g / 2), 255); }
            if (y < 32) { byte t = (byte)(((x + 2 * f) / 2 + y / 3) % 5 == 0 ? 10 : 240); return (t, t, t, 255); }
            byte v = (byte)(90 + y + f); return (v, v, (byte)(v + 10), 255);
        });

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ArtifactAndSecondaryScores_WithReuse_EqualEveryPairComputed(bool exact)
    {
        int[] order = [0, 1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3];
        var source = GradientsAndText(4);
        var original = WithStaticRuns(source, order);
        var candidate = WithStaticRuns(Synthetic.WithNoise(source, 7), order);
        var suite = new MetricSuite();
        var options = new MetricOptions(Exact: exact);
        var prepared = suite.Prepare(original, options);
        var reused = suite.Measure(prepared, candidate, options, 5000, 2000);
        var full = suite.Measure(suite.Prepare(original, options), candidate, options with { ComputeIdenticalPairs = true }, 5000, 2000);
        foreach (var key in new[] { "text_readability_score", "dither_quality_score", "deltae", "fsim", "gmsd", "chist", "edge_similarity" })
            Assert.NotNull(full.Values[key]); // the case exercises them
        Assert.True(full.Values["gradient_region_count"] > 0);
        foreach (var (key, value) in full.Values)
            Assert.True(Equals(value, reused.Values[key]), $"{key}: every pair {value}, with reuse {reused.Values[key]}");
        Assert.Equal(full.NullReasons, reused.NullReasons);
        // The original's per-frame data (edge maps, histograms, block lists…) is built once per run of identical
        // frames, not once per frame: 4 distinct frames, whatever the 24 pairs sample.
        Assert.InRange(prepared.View(255).CachedFrames("chist"), 1, 4);
    }

    [Theory]
    [InlineData(37, 29)]
    [InlineData(64, 48)]
    public void Ssimulacra2Pyramid_BuiltIntoReusedPlanes_EqualsFreshOne(int w, int h)
    {
        var rng = new Random(w * h);
        byte[] Frame() { var b = new byte[3 * w * h]; rng.NextBytes(b); return b; }
        byte[] first = Frame(), second = Frame(), candidate = Frame();
        var fresh = Ssimulacra2Core.Prepare(second, w, h);
        var reused = Ssimulacra2Core.Prepare(second, w, h, Ssimulacra2Core.Prepare(first, w, h));
        Assert.Equal(fresh.Levels.Count, reused.Levels.Count);
        for (int l = 0; l < fresh.Levels.Count; l++)
            for (int c = 0; c < 3; c++)
            {
                Assert.Equal(fresh.Levels[l].Xyb[c], reused.Levels[l].Xyb[c]);
                Assert.Equal(fresh.Levels[l].Mu[c], reused.Levels[l].Mu[c]);
                Assert.Equal(fresh.Levels[l].Sigma[c], reused.Levels[l].Sigma[c]);
            }
        Assert.Equal(Ssimulacra2Core.Score(fresh, candidate), Ssimulacra2Core.Score(reused, candidate));
    }

    [Fact]
    public void ExactMeasure_KeepingOnePyramid_EqualsKeepingAll()
    {
        // `giflab measure` prepares with a sample of 1 (one pyramid kept, the others built into reused planes).
        var source = GradientsAndText(5);
        var original = WithStaticRuns(source, [0, 1, 2, 2, 3, 4, 4, 1]);
        var candidate = WithStaticRuns(Synthetic.WithNoise(source, 11), [0, 1, 2, 2, 3, 4, 4, 1]);
        var suite = new MetricSuite();
        var all = new MetricOptions(Exact: true);
        var one = new MetricOptions(Exact: true, Ssimulacra2MaxPairs: 1);
        var a = suite.Measure(suite.Prepare(original, all), candidate, all, 5000, 2000);
        var b = suite.Measure(suite.Prepare(original, one), candidate, one, 5000, 2000);
        foreach (var (key, value) in a.Values) Assert.True(Equals(value, b.Values[key]), $"{key}: {value} vs {b.Values[key]}");
    }

    [Fact]
    public void RunStarts_MarksByteIdenticalConsecutiveFrames()
    {
        var s = WithStaticRuns(Synthetic.Textured(12, 10, 3), [0, 0, 1, 1, 1, 0, 2]);
        Assert.Equal([0, 0, 2, 2, 2, 5, 6], s.RunStarts);
        Assert.Equal([false, true, false, true, true, false, false], Enumerable.Range(0, 7).Select(s.SameAsPrevious));
    }

    [Fact]
    public void Representatives_FollowRunsOnBothSides()
    {
        // reference runs 0 0 2 2 2; candidate runs 0 1 1 (pairs 0 1 1 2 2) → pair 1 differs (candidate changes),
        // pairs 2 and 3 share runs on both sides, pair 4: candidate frame 2 is in run 1 like frame 1.
        Assert.Equal([0, 1, 2, 2, 2], FramePairing.Representatives([0, 0, 2, 2, 2], [0, 1, 1], [0, 1, 1, 2, 2]));
        // pair 1: the reference changes (candidate does not); pair 2: the candidate changes (reference does not)
        Assert.Equal([0, 1, 2], FramePairing.Representatives([0, 1, 1], [0, 1, 2], [0, 0, 1]));
    }
}

/// <summary>Pooled candidate views: arrays handed back after one measurement must never change another's numbers.</summary>
public sealed class ViewArrayPoolTests
{
    [Fact]
    public void InterleavedAndConcurrentMeasurements_MatchFirstResults()
    {
        var original = Synthetic.Textured(48, 40, 6);
        var candidates = new[]
        {
            Synthetic.WithNoise(original, 6, seed: 1),
            Synthetic.WithNoise(original, 20, seed: 2),
            original, // lossless: shares the original's arrays, which must never enter the pool
            Synthetic.Build(48, 40, 6, (f, x, y) => ((byte)(x * 5), (byte)(y * 6), (byte)(f * 40), (byte)(x % 9 == 0 ? 0 : 255))),
        };
        var suite = new MetricSuite();
        var prepared = suite.Prepare(original, MetricOptions.Default);
        var first = candidates.Select(c => suite.Measure(prepared, c, MetricOptions.Default, 1000, 400)).ToArray();
        var results = new MetricResult[64];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 },
            k => results[k] = suite.Measure(prepared, candidates[k % candidates.Length], MetricOptions.Default, 1000, 400));
        for (int k = 0; k < results.Length; k++)
            foreach (var (key, value) in first[k % candidates.Length].Values)
                Assert.True(Equals(value, results[k].Values[key]), $"measurement {k}, {key}: {value} then {results[k].Values[key]}");
        // The original's own view is untouched (the lossless candidate shared it).
        var again = suite.Measure(suite.Prepare(original, MetricOptions.Default), original, MetricOptions.Default, 1000, 400);
        foreach (var (key, value) in again.Values) Assert.True(Equals(value, first[2].Values[key]), key);
    }
}
