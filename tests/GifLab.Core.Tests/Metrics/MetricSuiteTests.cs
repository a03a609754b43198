using GifLab.Core.Metrics;
using GifLab.Core.Model;

namespace GifLab.Core.Tests.Metrics;

/// <summary>Hand-computable cases, key-set contract, pairing, transparency and thread safety.</summary>
public sealed class MetricSuiteTests
{
    [Fact]
    public void Measure_IdenticalFrames_GivesIdentityValues()
    {
        var a = Synthetic.Textured(48, 40, 3);
        var r = Synthetic.Measure(a, a);
        Assert.Equal(1.0, r["ssim"], 12);
        Assert.Equal(1.0, r["ms_ssim"], 12);
        Assert.Equal(Psnr.IdenticalDb, r["psnr"]);
        Assert.Equal(0.0, r["mse"]);
        Assert.Equal(0.0, r["rmse"]);
        Assert.Equal(100.0, r["ssimulacra2"]);
        Assert.Equal(0.0, r["deltae"]);
        Assert.Equal(0.0, r["gmsd"], 12);
        Assert.Equal(1.0, r["edge_similarity"]);
        Assert.Equal(0.0, r["temporal_consistency_delta"]);
        Assert.Equal(0.0, r["disposal_artifact_score"]);
        Assert.Equal(0.0, r["temporal_flicker_score"]);
        Assert.Equal(0.0, r["temporal_pumping_score"]);
        Assert.Equal(1.0, r["composite_score"], 9);
    }

    [Fact]
    public void Measure_BlackVsWhite_GivesMse65025AndPsnrZero()
    {
        var black = Synthetic.Grey(16, 16, 1, (_, _, _) => 0);
        var white = Synthetic.Grey(16, 16, 1, (_, _, _) => 255);
        var r = Synthetic.Measure(black, white);
        Assert.Equal(65025.0, r["mse"]);
        Assert.Equal(255.0, r["rmse"]);
        Assert.Equal(0.0, r["psnr"], 12);
    }

    [Fact]
    public void Measure_EveryResult_HasExactlyTheRegistryKeys_AndNoNonFinite()
    {
        var a = Synthetic.Textured(32, 24, 2);
        foreach (var result in new[]
                 {
                     Synthetic.Measure(a, Synthetic.WithNoise(a, 20)).Result,
                     Synthetic.Measure(Synthetic.Grey(1, 1, 1, (_, _, _) => 9), Synthetic.Grey(1, 1, 1, (_, _, _) => 200)).Result,
                     Synthetic.Measure(a, Synthetic.Textured(30, 24, 2)).Result,
                 })
        {
            Assert.Equal(MetricRegistry.OutputKeys.OrderBy(k => k), result.Values.Keys.OrderBy(k => k));
            foreach (var (key, value) in result.Values)
            {
                if (value is { } v) Assert.True(double.IsFinite(v), key);
                else Assert.False(string.IsNullOrWhiteSpace(result.NullReasons[key]), key);
            }
            Assert.Equal(MetricSuite.SetVersion, result.SetVersion);
        }
    }

    [Fact]
    public void Measure_TinyCanvas_GivesNullWithReasons()
    {
        var a = Synthetic.Grey(2, 2, 1, (_, x, y) => 40 * x + 10 * y);
        var r = Synthetic.Measure(a, Synthetic.WithNoise(a, 5)).Result;
        Assert.Null(r.Values["ssim"]);
        Assert.Contains("7 px", r.NullReasons["ssim"]);
        Assert.Null(r.Values["ms_ssim"]);
        Assert.Null(r.Values["ssimulacra2"]);
        Assert.NotNull(r.Values["psnr"]);
        Assert.Null(r.Values["composite_score"]);
        Assert.Contains("ssim", r.NullReasons["composite_score"]);
    }

    [Fact]
    public void Measure_CanvasSizeMismatch_NamesBothSizes()
    {
        var r = Synthetic.Measure(Synthetic.Textured(32, 24, 1), Synthetic.Textured(30, 24, 1)).Result;
        Assert.All(r.Values.Values, v => Assert.Null(v));
        Assert.Contains("32×24", r.NullReasons["ssim"]);
        Assert.Contains("30×24", r.NullReasons["ssim"]);
    }

    [Fact]
    public void Lpips_WithoutModel_IsNullWithDocumentedReason()
    {
        var a = Synthetic.Textured(16, 16, 1);
        var r = Synthetic.Measure(a, a).Result;
        Assert.Null(r.Values["lpips"]);
        Assert.Equal(Lpips.NoModelReason, r.NullReasons["lpips"]);
        Assert.Null(r.Values["lpips_frames"]);
    }

    [Fact]
    public void Ssimulacra2_Sampling_UsesAtMost30FramesUnlessExact()
    {
        var a = Synthetic.Textured(16, 16, 45);
        var b = Synthetic.WithNoise(a, 10);
        Assert.Equal(30, Synthetic.Measure(a, b, exact: false)["ssimulacra2_frames"]);
        Assert.Equal(45, Synthetic.Measure(a, b, exact: true)["ssimulacra2_frames"]);
    }

    [Fact]
    public void Pairing_DroppedFrame_PairsByTimelineAndIsNotPerfect()
    {
        // Original: 4 distinct frames of 100 ms. Compressed: frame 2 dropped, frame 1 shown for 200 ms.
        var orig = Synthetic.Grey(24, 24, 4, (f, x, y) => (x * 9 + y * 3 + f * 60) % 256);
        var kept = new[] { 0, 1, 3 };
        var cand = Synthetic.Grey(24, 24, 3, (f, x, y) => (x * 9 + y * 3 + kept[f] * 60) % 256);
        cand = new FrameSequence(24, 24, [
            new Frame(cand.Frames[0].Rgba, 100, DisposalMethod.DoNotDispose, new FrameRect(0, 0, 24, 24)),
            new Frame(cand.Frames[1].Rgba, 200, DisposalMethod.DoNotDispose, new FrameRect(0, 0, 24, 24)),
            new Frame(cand.Frames[2].Rgba, 100, DisposalMethod.DoNotDispose, new FrameRect(0, 0, 24, 24))], GifInfo.Synthetic);
        Assert.Equal([0, 1, 1, 2], FramePairing.Pair(orig, cand));
        var r = Synthetic.Measure(orig, cand);
        Assert.Equal(1.0, r["ssim_max"], 12);
        Assert.True(r["ssim_min"] < 0.99, $"dropped frame must cost something, ssim_min {r["ssim_min"]}");
        Assert.True(r["psnr_min"] < 100);
        Assert.Equal(3, r["compressed_frame_count"]);
    }

    [Fact]
    public void Transparency_WorseOfWhiteAndBlack_IsKept()
    {
        // Original: left half transparent. Candidate: the same pixels filled with opaque white, which
        // looks identical over white but not over black.
        var orig = Synthetic.Build(24, 24, 1, (_, x, y) => x < 12 ? ((byte)0, (byte)0, (byte)0, (byte)0) : ((byte)90, (byte)(y * 10), (byte)30, (byte)255));
        var cand = Synthetic.Build(24, 24, 1, (_, x, y) => x < 12 ? ((byte)255, (byte)255, (byte)255, (byte)255) : ((byte)90, (byte)(y * 10), (byte)30, (byte)255));
        var r = Synthetic.Measure(orig, cand);
        Assert.Equal(2, r["background_passes"]);
        Assert.True(r["psnr"] < 10, $"black pass must win, psnr {r["psnr"]}");
        Assert.Equal(1.0, r["transparency_artifact_score"]);
    }

    [Fact]
    public void Measure_ConcurrentCallsOnOnePreparedReference_AgreeWithSerial()
    {
        var a = Synthetic.Textured(40, 32, 6);
        var suite = new MetricSuite();
        var prepared = suite.Prepare(a);
        var candidates = Enumerable.Range(1, 6).Select(i => Synthetic.WithNoise(a, 4 * i, seed: i)).ToArray();
        var serial = candidates.Select(c => suite.Measure(prepared, c, MetricOptions.Default)).ToArray();
        var parallel = new MetricResult[candidates.Length];
        Parallel.For(0, candidates.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 },
            i => parallel[i] = suite.Measure(prepared, candidates[i], MetricOptions.Default));
        for (int i = 0; i < candidates.Length; i++)
            foreach (var key in MetricRegistry.OutputKeys)
                Assert.Equal(serial[i].Values[key], parallel[i].Values[key]);
    }

    [Fact]
    public void Efficiency_FollowsReferenceFormula()
    {
        Assert.Equal(Math.Sqrt(0.81) * Math.Sqrt(Math.Log(11) / Math.Log(21)), CompositeScore.Efficiency(0.81, 10)!.Value, 12);
        Assert.Equal(0.9, CompositeScore.Efficiency(0.81, 40)!.Value, 12);   // ratio above 20× saturates
        Assert.Equal(0.0, CompositeScore.Efficiency(0.81, 0)!.Value);
        Assert.Null(CompositeScore.Efficiency(null, 3));
        var a = Synthetic.Textured(24, 24, 2);
        var suite = new MetricSuite();
        var withSizes = suite.Measure(suite.Prepare(a), a, MetricOptions.Default, 1000, 250);
        Assert.Equal(4.0, withSizes.Values["compression_ratio"]);
        Assert.Equal(CompositeScore.Efficiency(withSizes.Values["composite_score"], 4.0), withSizes.Values["efficiency"]);
        var withoutSizes = suite.Measure(suite.Prepare(a), a, MetricOptions.Default);
        Assert.Null(withoutSizes.Values["efficiency"]);
    }

    [Theory]
    [InlineData(3, false, 0, 3, 3)]
    [InlineData(24, false, 0, 10, 5)]
    [InlineData(24, true, 1, 24, 24)]
    public void Measure_RecordsTheSamplingThatApplied(int frames, bool exact, int exactKey, int extras, int deltae)
    {
        var a = Synthetic.Textured(24, 20, frames);
        var r = Synthetic.Measure(a, Synthetic.WithNoise(a, 5), exact);
        Assert.Equal(exactKey, r["exact_metrics"]);
        Assert.Equal(extras, r["extras_pairs"]);
        Assert.Equal(deltae, r["deltae_pairs"]);
        Assert.Equal(exact ? frames : Math.Min(frames, 30), r["ssimulacra2_frames"]);
    }
}
