using GifLab.Core.Metrics;
using GifLab.Core.Metrics.Kernels;
using GifLab.Core.Model;

namespace GifLab.Core.Tests.Metrics;

/// <summary>
/// SSIM and MS-SSIM keep each output row's window sums from the previous frame pair and refilter only the rows whose
/// window reads a changed row. Values must be bit-identical to filtering every row (the fast path may never change a
/// stored number).
/// </summary>
[Trait("Category", SimdWidth.Category)]
public sealed class RowReuseTests
{
    /// <summary>Frames that change only in a horizontal band (a sprite moving down a static background), as most
    /// animated GIFs do.</summary>
    private static FrameSequence MovingBand(int width, int height, int frames, int bandHeight, int seed, bool transparent = false) =>
        Synthetic.Build(width, height, frames, (f, x, y) =>
        {
            int top = f * 7 % Math.Max(1, height - bandHeight);
            bool inBand = y >= top && y < top + bandHeight;
            int v = inBand ? (x * 13 + y * 7 + f * 31 + seed) % 256 : (x * 3 + y * 5 + seed) % 256;
            return ((byte)v, (byte)(255 - v), (byte)(v / 2 + seed), (byte)(transparent && (x + y) % 11 == 0 ? 0 : 255));
        });

    public static IEnumerable<object[]> Sizes =>
    [
        [64, 48, 6, 5],     // band narrower than the MS-SSIM window
        [97, 131, 5, 20],   // odd sizes: MS-SSIM drops a row/column at each scale
        [180, 180, 4, 40],  // five MS-SSIM scales
        [40, 20, 5, 2],     // one MS-SSIM scale
    ];

    [Theory]
    [MemberData(nameof(Sizes))]
    public void SsimAndMsSsim_ReusingRows_EqualFilteringEveryRow(int w, int h, int frames, int band)
    {
        var original = MovingBand(w, h, frames, band, seed: 1);
        var candidate = Quantised(original);
        var ssimRows = new StructuralSimilarity.RowSums();
        var msRows = new StructuralSimilarity.RowSums[] { new(), new(), new(), new(), new() };
        var clean = new bool[h];
        float[]? prevA = null, prevB = null;
        for (int f = 0; f < frames; f++)
        {
            var a = Luma(original.Frames[f]); var b = Luma(candidate.Frames[f]);
            if (prevA is not null) StructuralSimilarity.CleanRows(a, prevA, b, prevB!, w, h, clean);
            var cleanSpan = prevA is null ? default : clean.AsSpan();
            var ssim = StructuralSimilarity.Ssim(a, b, w, h, cleanSpan, ssimRows);
            var ms = StructuralSimilarity.MsSsim(a, b, w, h, cleanSpan, msRows);
            Assert.Equal(StructuralSimilarity.Ssim(a, b, w, h), ssim);   // exact, not within a tolerance
            Assert.Equal(StructuralSimilarity.MsSsim(a, b, w, h), ms);
            (prevA, prevB) = (a, b);
        }
        // Row reuse actually happened: fewer rows filtered than frames × output rows.
        Assert.True(ssimRows.RowsComputed < (long)frames * (h - 6), $"SSIM filtered {ssimRows.RowsComputed} rows");
    }

    [Fact]
    public void NoCleanRows_FiltersEveryRow_AndCleanEverywhere_FiltersNone()
    {
        var a = Luma(MovingBand(50, 40, 1, 5, 2).Frames[0]);
        var b = Luma(Synthetic.WithNoise(MovingBand(50, 40, 1, 5, 2), 9).Frames[0]);
        var rows = new StructuralSimilarity.RowSums();
        var first = StructuralSimilarity.Ssim(a, b, 50, 40, default, rows);
        Assert.Equal(34, rows.RowsComputed);
        var all = new bool[40]; Array.Fill(all, true);
        Assert.Equal(first, StructuralSimilarity.Ssim(a, b, 50, 40, all, rows));
        Assert.Equal(34, rows.RowsComputed); // nothing refiltered
        var none = new bool[40];
        Assert.Equal(first, StructuralSimilarity.Ssim(a, b, 50, 40, none, rows));
        Assert.Equal(68, rows.RowsComputed);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Suite_WithRowReuse_EqualsEveryPairAndRowComputed(bool transparent)
    {
        var original = MovingBand(72, 60, 8, 9, seed: 4, transparent);
        var candidate = Quantised(original);
        var suite = new MetricSuite();
        var options = new MetricOptions(Exact: true);
        var reused = suite.Measure(suite.Prepare(original, options), candidate, options, 5000, 2000);
        var full = suite.Measure(suite.Prepare(original, options), candidate, options with { ComputeIdenticalPairs = true }, 5000, 2000);
        foreach (var (key, value) in full.Values)
            Assert.True(Equals(value, reused.Values[key]), $"{key}: every row {value}, with reuse {reused.Values[key]}");
    }

    /// <summary>A lossy stand-in that is a function of each pixel alone (like a palette reduction), so rows that do not
    /// change in the original do not change in the candidate either.</summary>
    private static FrameSequence Quantised(FrameSequence source) => new(source.Width, source.Height,
        source.Frames.Select(fr =>
        {
            var rgba = (byte[])fr.Rgba.Clone();
            for (int i = 0; i < rgba.Length; i++) if ((i & 3) != 3) rgba[i] = (byte)((rgba[i] & 0xE0) + 16);
            return new Frame(rgba, fr.DelayMs, fr.Disposal, fr.Rect);
        }).ToList(), source.Info);

    private static float[] Luma(Frame frame)
    {
        var px = frame.Rgba.Length / 4;
        var luma = new float[px];
        FrameView.Flatten(frame.Rgba, 255, new byte[px * 3], luma);
        return luma;
    }
}
