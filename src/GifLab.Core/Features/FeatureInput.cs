using GifLab.Core.Model;

namespace GifLab.Core.Features;

/// <summary>
/// What every feature group reads, prepared once per GIF by <see cref="FeatureExtractor"/>: the decoded
/// frames, the file bytes, the reference-style frame sample (≤ 50 frames, as opaque RGBA canvases) and the
/// per-frame count of transparent pixels.
/// </summary>
public readonly ref struct FeatureInput
{
    private readonly byte[][] _sampled;
    private readonly int[] _sampledIndices;
    private readonly int[] _transparentCounts;

    internal FeatureInput(FrameSequence frames, ReadOnlySpan<byte> fileBytes, byte[][] sampled, int[] sampledIndices, int[] transparentCounts)
    {
        Frames = frames;
        FileBytes = fileBytes;
        _sampled = sampled;
        _sampledIndices = sampledIndices;
        _transparentCounts = transparentCounts;
    }

    public FrameSequence Frames { get; }
    public ReadOnlySpan<byte> FileBytes { get; }
    public int Width => Frames.Width;
    public int Height => Frames.Height;
    public int PixelCount => Frames.Width * Frames.Height;

    /// <summary>Number of sampled frames (features.md §2: all frames when ≤ 50, else 50 evenly spaced).</summary>
    public int SampleCount => _sampledIndices.Length;

    /// <summary>Index into the decoded sequence of sampled frame <paramref name="k"/>.</summary>
    public int SampledIndex(int k) => _sampledIndices[k];

    /// <summary>
    /// Sampled frame <paramref name="k"/> as opaque RGBA8 (width × height × 4, alpha 255): pixels with alpha &lt; 128
    /// are replaced by <see cref="FeatureExtractor.TransparentBackground"/>.
    /// </summary>
    public ReadOnlySpan<byte> Sample(int k) => _sampled[k].AsSpan(0, Frames.FrameByteCount);

    /// <summary>The representative frame: sampled frame <c>floor(SampleCount / 2)</c> (features.md §1 step 4).</summary>
    public ReadOnlySpan<byte> Representative => Sample(SampleCount / 2);

    /// <summary>Pixels with alpha &lt; 128 in decoded frame <paramref name="frameIndex"/> (every frame, not only sampled ones).</summary>
    public int TransparentPixels(int frameIndex) => _transparentCounts[frameIndex];
}
