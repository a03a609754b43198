using static GifLab.Core.Features.FeatureNames;

namespace GifLab.Core.Features.Transparency;

/// <summary>
/// <c>transparency_ratio</c> (features.md §8): mean over <b>every</b> decoded frame (not sampled) of the share of canvas
/// pixels with alpha &lt; 128 in the composited frame.
/// <b>Deviations from the reference (extraction 1.1.0):</b> (1) the reference returns 0.0 at once when frame 0
/// declares no transparency, even if later frames are transparent — we always average all frames; (2) the reference
/// returns null (earlier NaN) when Pillow fails mid-file, which later breaks model training — here the frames are
/// already decoded, so the value is always defined (never null, never NaN). Transparency after
/// "restore to background" disposal follows our decoder's compositing.
/// </summary>
internal sealed class TransparencyFeature : IFeature
{
    public string Name => "transparency";

    public IReadOnlyList<FeatureInfo> Outputs { get; } =
    [
        new(TransparencyRatio, 0, 1, false, true, "Mean share of pixels with alpha < 128 over all composited frames (never null in 1.1.0)."),
    ];

    public void Compute(scoped in FeatureInput input, Span<double?> values)
    {
        var frames = input.Frames.FrameCount;
        double sum = 0;
        for (var i = 0; i < frames; i++) sum += (double)input.TransparentPixels(i) / input.PixelCount;
        values[0] = sum / frames;
    }
}
