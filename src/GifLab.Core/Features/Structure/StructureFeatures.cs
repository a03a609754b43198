using GifLab.Core.Features.Metadata;
using static GifLab.Core.Features.FeatureNames;

namespace GifLab.Core.Features.Structure;

/// <summary>
/// The structure group (GifLab extension, extraction 1.2.0, <c>max_frame_colors</c> from 1.3.0; features.md "Structure"): how the GIF is encoded and what
/// a lossless re-encode would cost — what a size predictor needs beyond the reference's 24 content features (issue #15:
/// held-out gifsicle size MAPE 20 % → 9 % in the experiment these values come from).
/// <list type="bullet">
/// <item>GIF-level facts from the decoded frames (local palettes, rectangles, disposal, transparent index) and the
/// block walk (<see cref="GifStructure"/>: LZW data bytes, extension bytes).</item>
/// <item>Pixel statistics over ≤ 12 evenly spaced decoded frames (<see cref="PixelStatistics"/>).</item>
/// <item>Re-encode estimates by counting GIF LZW bits (<see cref="ReencodeEstimator"/>): gifsicle <c>-O1</c> and
/// <c>-O2</c> style, and how much dropping 2–5 low bits of each channel would shrink them.</item>
/// <item>The most colours in one composited frame (<see cref="FrameColorCount"/>, every frame).</item>
/// </list>
/// Every field is nullable: records extracted before 1.2.0 lack them (before 1.3.0, <c>max_frame_colors</c>). Extraction always fills them.
/// </summary>
internal sealed class StructureFeatures : IFeature
{
    private const double Unbounded = double.PositiveInfinity;

    public string Name => "structure";

    public IReadOnlyList<FeatureInfo> Outputs { get; } =
    [
        new(LocalPaletteRatio, 0, 1, false, true, "Share of frames with a local colour table."),
        new(PaletteEntries, 0, 256, true, true, "Entries of the largest colour table (global or local); 0 when none."),
        new(FrameRectAreaRatio, 0, 1, false, true, "Mean over frames of min(frame rectangle area / canvas area, 1)."),
        new(DisposalBackgroundRatio, 0, 1, false, true, "Share of frames with disposal 2 (restore to background)."),
        new(DisposalPreviousRatio, 0, 1, false, true, "Share of frames with disposal 3 (restore to previous)."),
        new(TransparentIndexRatio, 0, 1, false, true, "Share of frames whose GCE declares a transparent index."),
        new(LzwBitsPerRectPixel, 0, Unbounded, false, true, "LZW image data bits / Σ frame rectangle pixels: how tightly the file is coded."),
        new(ExtensionBytesRatio, 0, 1, false, true, "Bytes of extensions other than GCE and NETSCAPE looping (comments, XMP, …) / file bytes."),
        new(HorizontalEqualRatio, 0, 1, false, true, "Sampled frames: share of horizontal neighbour pairs with equal RGB."),
        new(HorizontalSmallStepRatio, 0, 1, false, true, "Sampled frames: share of horizontal pairs whose largest channel step is 1–16."),
        new(HorizontalMidStepRatio, 0, 1, false, true, "Sampled frames: share of horizontal pairs whose largest channel step is 17–48."),
        new(VerticalEqualRatio, 0, 1, false, true, "Sampled frames: share of vertical neighbour pairs with equal RGB."),
        new(IsolatedPixelRatio, 0, 1, false, true, "Sampled frames: share of pixels differing from left and right neighbours that equal each other."),
        new(Top16ColorCoverage, 0, 1, false, true, "Sampled frames: share of pixels in the 16 most common colours (transparent = one colour)."),
        new(Top64ColorCoverage, 0, 1, false, true, "Sampled frames: share of pixels in the 64 most common colours."),
        new(Top128ColorCoverage, 0, 1, false, true, "Sampled frames: share of pixels in the 128 most common colours."),
        new(SampledColors, 1, int.MaxValue, true, true, "Distinct colours in the sampled frames (transparent counted as one)."),
        new(ReencodeEstimateRatio, 0, Unbounded, false, true, "Estimated bytes of a lossless gifsicle -O1 style re-encode / file bytes."),
        new(ReencodeO2EstimateRatio, 0, Unbounded, false, true, "Estimated bytes of a -O2 style re-encode (unchanged pixels transparent) / file bytes."),
        new(ReencodeQ2Ratio, 0, Unbounded, false, true, "-O2 estimate with the 2 low bits of each channel dropped / the -O2 estimate."),
        new(ReencodeQ3Ratio, 0, Unbounded, false, true, "-O2 estimate with 3 low bits dropped / the -O2 estimate."),
        new(ReencodeQ4Ratio, 0, Unbounded, false, true, "-O2 estimate with 4 low bits dropped / the -O2 estimate."),
        new(ReencodeQ5Ratio, 0, Unbounded, false, true, "-O2 estimate with 5 low bits dropped / the -O2 estimate."),
        new(ReencodeO1Q3Ratio, 0, Unbounded, false, true, "-O1 estimate with 3 low bits dropped / the -O1 estimate."),
        new(ReencodeO1Q5Ratio, 0, Unbounded, false, true, "-O1 estimate with 5 low bits dropped / the -O1 estimate."),
        new(MaxFrameColors, 1, FrameColorCount.Cap, true, true,
            "Most distinct colours in one composited frame, over every frame (transparent counted as one; 257 = more than 256). Extraction 1.3.0."),
    ];

    public void Compute(scoped in FeatureInput input, Span<double?> values)
    {
        var frames = input.Frames;
        var n = frames.FrameCount;
        double canvas = (double)frames.Width * frames.Height;
        int localPalettes = 0, disposalBackground = 0, disposalPrevious = 0, transparentIndex = 0;
        double rectArea = 0, rectPixels = 0;
        foreach (var f in frames.Frames)
        {
            if (f.LocalPaletteSize > 0) localPalettes++;
            double area = (double)f.Rect.Width * f.Rect.Height;
            rectArea += Math.Min(1.0, area / canvas);
            rectPixels += area;
            if (f.Disposal == Model.DisposalMethod.RestoreToBackground) disposalBackground++;
            if (f.Disposal == Model.DisposalMethod.RestoreToPrevious) disposalPrevious++;
            if (f.TransparentIndex >= 0) transparentIndex++;
        }
        var structure = GifStructure.Scan(input.FileBytes);
        double fileBytes = Math.Max(1, input.FileBytes.Length);

        values[0] = (double)localPalettes / n;
        values[1] = Math.Max(frames.Info.GlobalPaletteSize, frames.Info.MaxLocalPaletteSize);
        values[2] = rectArea / n;
        values[3] = (double)disposalBackground / n;
        values[4] = (double)disposalPrevious / n;
        values[5] = (double)transparentIndex / n;
        values[6] = rectPixels > 0 ? structure.LzwDataBytes * 8.0 / rectPixels : 0;
        values[7] = Math.Min(1.0, structure.ExtensionBytes / fileBytes);

        var sample = SampleIndices(n, frames.Width * (long)frames.Height);
        var stats = PixelStatistics.Measure(frames, sample);
        values[8] = stats.HorizontalEqual;
        values[9] = stats.HorizontalSmallStep;
        values[10] = stats.HorizontalMidStep;
        values[11] = stats.VerticalEqual;
        values[12] = stats.Isolated;
        values[13] = stats.Top16;
        values[14] = stats.Top64;
        values[15] = stats.Top128;
        values[16] = stats.Colors;

        var estimates = ReencodeEstimator.Estimate(frames, stats.Colors, localPalettes * 2 > n, structure.ExtensionBytes);
        values[17] = estimates.O1 / fileBytes;
        values[18] = estimates.O2 / fileBytes;
        values[19] = estimates.O2Q2 / estimates.O2;
        values[20] = estimates.O2Q3 / estimates.O2;
        values[21] = estimates.O2Q4 / estimates.O2;
        values[22] = estimates.O2Q5 / estimates.O2;
        values[23] = estimates.O1Q3 / estimates.O1;
        values[24] = estimates.O1Q5 / estimates.O1;
        values[25] = FrameColorCount.Measure(frames);
    }

    /// <summary>Most frames the pixel statistics read.</summary>
    public const int MaxSampledFrames = 12;

    /// <summary>Most canvas pixels (canvas × sampled frames) the pixel statistics read.</summary>
    public const long MaxSampledPixels = 3_000_000;

    /// <summary>
    /// Frames for the pixel statistics: <c>S = min(12, N)</c> evenly spaced indices <c>⌊k·(N−1)/(S−1)⌋</c> (always frame
    /// 0, and frame N−1 when S &gt; 1), with S lowered until canvas × S ≤ 3 M pixels (at least one frame).
    /// </summary>
    public static int[] SampleIndices(int frameCount, long canvasPixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameCount);
        var s = Math.Min(MaxSampledFrames, frameCount);
        while (s > 1 && canvasPixels * s > MaxSampledPixels) s--;
        var idx = new int[s];
        for (var k = 0; k < s; k++) idx[k] = s == 1 ? 0 : (int)((long)k * (frameCount - 1) / (s - 1));
        return idx;
    }
}
