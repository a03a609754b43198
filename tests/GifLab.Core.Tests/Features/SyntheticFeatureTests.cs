using GifLab.Core.Features;
using GifLab.Core.Features.Metadata;
using GifLab.Core.Features.Spatial;
using static GifLab.Core.Tests.Features.FeatureTestData;

namespace GifLab.Core.Tests.Features;

/// <summary>Synthetic sequences whose features can be worked out by hand.</summary>
public class SyntheticFeatureTests
{
    [Fact]
    public void FlatColour_HasZeroEntropyEdgesContrastAndAllEnergyInDc()
    {
        var f = Extract(Sequence(40, 30, Solid(40, 30, 120, 60, 200)));
        Assert.Equal(0.0, f.Entropy);
        Assert.Equal(0.0, f.EdgeDensity);
        Assert.Equal(0.0, f.ContrastScore);
        Assert.Equal(0.0, f.TextDensity);
        Assert.Equal(1.0, f.GradientSmoothness);          // std of a zero gradient = 0
        Assert.Equal(0.0, f.DctEnergyRatio, 12);          // only D[0,0] ≠ 0
        Assert.Equal(1.0 / 512, f.ColorComplexity);
        Assert.Equal(0.0, f.ColorHistogramEntropy);
        Assert.Equal(1.0, f.DominantColorRatio);
        Assert.Equal(0.0, f.TransparencyRatio);
    }

    [Fact]
    public void BlackFrame_DctRatioIsTheGuardValue()
    {
        var f = Extract(Sequence(8, 8, Solid(8, 8, 0, 0, 0)));
        Assert.Equal(0.5, f.DctEnergyRatio);
    }

    [Fact]
    public void OneFrame_TemporalFeaturesTakeTheFixedValues()
    {
        var f = Extract(Sequence(16, 16, Solid(16, 16, 1, 2, 3)));
        Assert.Equal((0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 0.0),
            (f.MotionIntensity, f.MotionSmoothness, f.StaticRegionRatio, f.TemporalEntropy, f.FrameSimilarity, f.InterFrameMseMean, f.InterFrameMseStd));
    }

    [Fact]
    public void AlternatingBlackWhite_IsMaximalMotion()
    {
        // Every channel value changes by 255: mse = 65025 per pair, nothing static, all pairs equal → entropy log2(3).
        var seq = Sequence(10, 10, Solid(10, 10, 0, 0, 0), Solid(10, 10, 255, 255, 255), Solid(10, 10, 0, 0, 0), Solid(10, 10, 255, 255, 255));
        var f = Extract(seq);
        Assert.Equal(65025.0, f.InterFrameMseMean);
        Assert.Equal(0.0, f.InterFrameMseStd);
        Assert.Equal(1.0, f.MotionIntensity);
        Assert.Equal(0.0, f.FrameSimilarity);
        Assert.Equal(0.0, f.StaticRegionRatio);
        Assert.Equal(1.0, f.MotionSmoothness);
        var p = 65025.0 / (3 * 65025.0 + 1e-10);          // ≈ 1/3; the 1e-10 guards pull H just below log2(3)
        Assert.Equal(-3 * p * Math.Log2(p + 1e-10), f.TemporalEntropy, 12);
        Assert.Equal(Math.Log2(3), f.TemporalEntropy, 8);
    }

    [Fact]
    public void RedChannelStep_GivesKnownMseAndStaticShare()
    {
        // Only R changes, by 30: mse = 30²/3 = 300; static share = 2/3 (G and B); motion = 10·300/65025.
        var f = Extract(Sequence(7, 5, Solid(7, 5, 100, 50, 50), Solid(7, 5, 130, 50, 50)));
        Assert.Equal(300.0, f.InterFrameMseMean, 12);
        Assert.Equal(2.0 / 3, f.StaticRegionRatio, 12);
        Assert.Equal(3000.0 / 65025, f.MotionIntensity, 12);
        Assert.Equal(0.0, f.TemporalEntropy, 9);           // one pair: p = 1 → 0
        // A change of 9 counts as static, 10 does not.
        Assert.Equal(1.0, Extract(Sequence(3, 3, Solid(3, 3, 0, 0, 0), Solid(3, 3, 9, 9, 9))).StaticRegionRatio);
        Assert.Equal(0.0, Extract(Sequence(3, 3, Solid(3, 3, 0, 0, 0), Solid(3, 3, 10, 10, 10))).StaticRegionRatio);
    }

    [Fact]
    public void UnequalPairs_GiveStdAndSmoothness()
    {
        // Pair MSEs: 0→10 in all channels = 100, 10→40 = 900 → mean 500, std 400, smoothness 1/1.4.
        var f = Extract(Sequence(4, 4, Solid(4, 4, 0, 0, 0), Solid(4, 4, 10, 10, 10), Solid(4, 4, 40, 40, 40)));
        Assert.Equal(500.0, f.InterFrameMseMean, 12);
        Assert.Equal(400.0, f.InterFrameMseStd, 12);
        Assert.Equal(1 / 1.4, f.MotionSmoothness, 12);
        double p0 = 100 / (1000 + 1e-10), p1 = 900 / (1000 + 1e-10);
        Assert.Equal(-(p0 * Math.Log2(p0 + 1e-10) + p1 * Math.Log2(p1 + 1e-10)), f.TemporalEntropy, 12);
    }

    [Fact]
    public void HalfBlackHalfDarkRed_ColourHistogramEntropyIsFixed()
    {
        // features.md §5: the reference gives 0 (red levels 0 and 4 collide in its 8-bit bin code); the true value is 1.
        var frame = FromPixels(8, 8, (x, _) => x < 4 ? ((byte)0, (byte)0, (byte)0, (byte)255) : ((byte)128, (byte)0, (byte)0, (byte)255));
        Assert.Equal(1.0, Extract(Sequence(8, 8, frame)).ColorHistogramEntropy, 12);
        Assert.Equal(0.0, ColorDistributionFeatures.HistogramEntropy([frame.Rgba], wrapRed: true), 12);
        // Blue differences never wrapped: half (0,0,0) + half (0,0,128) gives 1 both ways.
        var blue = FromPixels(8, 8, (x, _) => x < 4 ? ((byte)0, (byte)0, (byte)0, (byte)255) : ((byte)0, (byte)0, (byte)128, (byte)255));
        Assert.Equal(1.0, ColorDistributionFeatures.HistogramEntropy([blue.Rgba], wrapRed: true), 12);
    }

    [Fact]
    public void DominantColour_CountsTopTenOfManyColours()
    {
        // 16 distinct 4-bit colours in equal shares → top 10 = 10/16.
        var f = Extract(Sequence(16, 4, FromPixels(16, 4, (x, _) => ((byte)(x * 16), (byte)0, (byte)0, (byte)255))));
        Assert.Equal(10.0 / 16, f.DominantColorRatio, 12);
    }

    [Fact]
    public void Transparency_AveragesAllFrames_EvenWhenFrameZeroIsOpaque()
    {
        // The reference returns 0 here (frame 0 declares no transparency); 1.1.0 averages: (0 + 0.5) / 2.
        var opaque = Solid(4, 4, 10, 10, 10);
        var half = FromPixels(4, 4, (x, _) => x < 2 ? ((byte)0, (byte)0, (byte)0, (byte)0) : ((byte)10, (byte)10, (byte)10, (byte)255));
        var f = Extract(Sequence(4, 4, opaque, half));
        Assert.Equal(0.25, f.TransparencyRatio);
        // Transparent pixels are white for pixel features: half → R,G,B 255 in 8 of 16 pixels.
        Assert.Equal(8 * 3 * 245.0 * 245.0 / 48, f.InterFrameMseMean, 9);
    }

    [Theory]
    [InlineData(1, new[] { 0 })]
    [InlineData(50, null)]
    [InlineData(57, new[] { 0, 1, 2, 3, 4, 5, 6, 8, 9, 10 })]
    public void SampleIndices_FollowNumpyLinspace(int n, int[]? prefix)
    {
        var idx = FeatureExtractor.SampleIndices(n);
        Assert.Equal(Math.Min(n, 50), idx.Length);
        Assert.Equal(n - 1, idx[^1]);
        if (prefix != null) Assert.Equal(prefix, idx.Take(prefix.Length));
        Assert.True(idx.Zip(idx.Skip(1)).All(p => p.First < p.Second));
    }

    [Fact]
    public void SampleIndices_LargeN_MatchLinspaceRule()
    {
        // numpy: linspace(0, 999, 50).astype(int) → k·999/49 truncated; spot values worked out by hand.
        var idx = FeatureExtractor.SampleIndices(1000);
        Assert.Equal(20, idx[1]);     // 20.387…
        Assert.Equal(40, idx[2]);     // 40.775…
        Assert.Equal(978, idx[48]);   // 978.61…
    }

    [Theory]
    [InlineData(3, 70.0, 209)]     // features.md: true total 210
    [InlineData(1, 100.0, 100)]
    [InlineData(5, 0.0, 500)]      // all-zero delays → fps 10
    [InlineData(4, 100.0, 400)]    // Appendix A, GIF B (80/80/120/120)
    public void Duration_FollowsReferenceFormula(int frames, double meanDelay, long expected) =>
        Assert.Equal(expected, MetadataFeatures.ReferenceDuration(frames, meanDelay));

    [Fact]
    public void Metadata_ReadsDelaysAndPaletteFromTheFile()
    {
        // GIF B: GCE delays 80/80/120/120 → mean 100 → 400 ms; 4-entry global table.
        var s = GifStructure.Scan(Bytes("appendix_b.gif"));
        Assert.Equal(new int?[] { 80, 80, 120, 120 }, s.Delays);
        Assert.Equal(4, s.Frame0PaletteEntries);
        // Truncated file: what was read is kept, no exception.
        var cut = Bytes("appendix_b.gif")[..200];
        Assert.True(GifStructure.Scan(cut).Delays.Count >= 1);
        Assert.Empty(GifStructure.Scan([1, 2, 3]).Delays);
    }

    [Fact]
    public void Extract_IsThreadSafe_SameValuesInParallel()
    {
        var rng = new Random(3);
        var frames = Enumerable.Range(0, 6).Select(_ => { var b = new byte[64 * 48 * 4]; rng.NextBytes(b); return new Core.Model.Frame(b, 50, Core.Model.DisposalMethod.Unspecified, new(0, 0, 64, 48)); }).ToArray();
        var seq = Sequence(64, 48, frames);
        var expected = Extract(seq).ToJson();
        var results = new string[16];
        Parallel.For(0, results.Length, i => results[i] = Extract(seq).ToJson());
        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 9)]
    [InlineData(9, 1)]
    [InlineData(2, 2)]
    [InlineData(129, 3)]
    public void TinyAndThinCanvases_GiveValidRecords(int w, int h)
    {
        var rng = new Random(w * 31 + h);
        var frames = Enumerable.Range(0, 3).Select(_ => FromPixels(w, h, (_, _) => ((byte)rng.Next(256), (byte)rng.Next(256), (byte)rng.Next(256), (byte)255))).ToArray();
        var f = Extract(Sequence(w, h, frames));   // Extract validates every range
        Assert.Equal(w, f.Width);
        Assert.InRange(f.DctEnergyRatio, 0, 1);
    }

    [Fact]
    public void SixtyFrames_TemporalPairsUseSampledNeighbours()
    {
        // Frame i is solid grey i: sampled indices for N = 60 step by 1 or 2 (trunc(k·59/49)), so pair MSEs are 1 or 4.
        var frames = Enumerable.Range(0, 60).Select(i => Solid(2, 2, (byte)i, (byte)i, (byte)i)).ToArray();
        var f = Extract(Sequence(2, 2, frames));
        var idx = FeatureExtractor.SampleIndices(60);
        var mses = idx.Zip(idx.Skip(1), (a, b) => (double)(b - a) * (b - a)).ToArray();
        Assert.Equal(mses.Average(), f.InterFrameMseMean, 12);
        Assert.Equal(1.0, f.StaticRegionRatio);
    }

    [Fact]
    public void Extract_RejectsEmptySequenceAndShortBuffers()
    {
        Assert.Throws<ArgumentException>(() => Extract(Sequence(4, 4)));
        var bad = new Core.Model.Frame(new byte[10], 0, Core.Model.DisposalMethod.Unspecified, new(0, 0, 4, 4));
        Assert.Throws<ArgumentException>(() => Extract(Sequence(4, 4, bad)));
    }
}
