using System.Buffers;
using GifLab.Core.Features.Kernels;
using GifLab.Core.Model;

namespace GifLab.Core.Features;

/// <summary>
/// Front door of feature extraction (GifFeaturesV1, features.md). The runner and <c>giflab features</c> use only
/// this type. Thread-safe: no shared mutable state; scratch buffers are rented per call.
/// <para>Pipeline: sample ≤ 50 frames as the reference does (§2) → make them opaque (pixels with alpha &lt; 128
/// become <see cref="TransparentBackground"/>) → run every group of <see cref="FeatureRegistry.All"/> → validate.</para>
/// </summary>
public static class FeatureExtractor
{
    /// <summary>
    /// Extraction version stored in <c>gifs.feature_version</c> and <c>extraction_version</c>.
    /// History: 1.0.0 = the reference (Animately/giflab 5ced5a5).
    /// 1.1.0 = reference values except two fixed bugs: <c>color_histogram_entropy</c> uses all 512 bins (reference
    /// wraps the red term in 8 bits); <c>transparency_ratio</c> is always averaged over all frames and never null.
    /// 1.2.0 = 1.1.0's 24 values unchanged plus the structure group (25 GifLab extension fields, after the 24).
    /// 1.3.0 = 1.2.0's values unchanged plus <c>max_frame_colors</c> (the most colours in one composited frame).
    /// </summary>
    public const string Version = "1.3.0";

    /// <summary>Maximum frames sampled for pixel features (reference <c>MAX_FRAMES_FOR_FEATURES</c>).</summary>
    public const int MaxSampledFrames = 50;

    /// <summary>
    /// Opaque colour given to pixels with alpha &lt; 128 before pixel features are computed (RGB). The reference
    /// leaves this to FFmpeg, which produced white in the build features.md studied; we fix white so
    /// transparent GIFs get decoder-independent values.
    /// </summary>
    public static readonly (byte R, byte G, byte B) TransparentBackground = (255, 255, 255);

    /// <summary>Extracts and validates the feature record of one decoded GIF.</summary>
    /// <param name="frames">Decoded, composited frames (at least one).</param>
    /// <param name="fileBytes">The GIF file bytes (for file size, delays and frame 0's colour table).</param>
    /// <param name="gifSha">SHA-256 of <paramref name="fileBytes"/>, hex (stored lower-case).</param>
    /// <param name="gifName">File name with extension, no directory.</param>
    /// <param name="extractedAt">Extraction time (stored as UTC).</param>
    /// <exception cref="ArgumentException">No frames, or frame buffers smaller than the canvas.</exception>
    /// <exception cref="FeatureValidationException">A field violates the GifFeaturesV1 schema.</exception>
    public static GifFeatures Extract(FrameSequence frames, ReadOnlySpan<byte> fileBytes, string gifSha, string gifName, DateTimeOffset extractedAt)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentNullException.ThrowIfNull(gifSha);
        ArgumentNullException.ThrowIfNull(gifName);
        if (frames.FrameCount == 0) throw new ArgumentException("The GIF has no frames.", nameof(frames));
        var frameBytes = frames.FrameByteCount;
        foreach (var f in frames.Frames)
            if (f.Rgba.Length < frameBytes) throw new ArgumentException($"A frame buffer holds {f.Rgba.Length} bytes, expected {frameBytes}.", nameof(frames));

        var indices = SampleIndices(frames.FrameCount);
        var transparent = new int[frames.FrameCount];
        for (var i = 0; i < transparent.Length; i++) transparent[i] = AlphaCount.CountTransparent(frames.Frames[i].Rgba.AsSpan(0, frameBytes));

        var sampled = new byte[indices.Length][];
        var rented = new List<byte[]>();
        try
        {
            for (var k = 0; k < indices.Length; k++)
            {
                var source = frames.Frames[indices[k]].Rgba;
                if (transparent[indices[k]] == 0) { sampled[k] = source; continue; }
                var copy = ArrayPool<byte>.Shared.Rent(frameBytes);
                rented.Add(copy);
                MakeOpaque(source.AsSpan(0, frameBytes), copy.AsSpan(0, frameBytes));
                sampled[k] = copy;
            }

            var input = new FeatureInput(frames, fileBytes, sampled, indices, transparent);
            var values = new Dictionary<string, double?>(FeatureRegistry.Names.Count);
            Span<double?> buffer = stackalloc double?[32];
            foreach (var feature in FeatureRegistry.All)
            {
                var outs = feature.Outputs;
                var slot = buffer[..outs.Count];
                slot.Clear();
                feature.Compute(input, slot);
                for (var i = 0; i < outs.Count; i++) values[outs[i].Name] = slot[i];
            }
            return new GifFeatures(gifSha.ToLowerInvariant(), gifName, Version, extractedAt.ToUniversalTime(), values).Validate();
        }
        finally
        {
            foreach (var r in rented) ArrayPool<byte>.Shared.Return(r);
        }
    }

    /// <summary>
    /// Reference frame sampling (features.md §2): all indices when <paramref name="frameCount"/> ≤ 50, else
    /// <c>trunc(k·((N−1)/49.0))</c> for k = 0…48 and N − 1 (numpy <c>linspace(0, N−1, 50).astype(int)</c>).
    /// </summary>
    public static int[] SampleIndices(int frameCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frameCount);
        if (frameCount <= MaxSampledFrames)
        {
            var all = new int[frameCount];
            for (var i = 0; i < frameCount; i++) all[i] = i;
            return all;
        }
        var idx = new int[MaxSampledFrames];
        var step = (frameCount - 1) / (double)(MaxSampledFrames - 1);
        for (var k = 0; k < MaxSampledFrames - 1; k++) idx[k] = (int)(k * step);
        idx[MaxSampledFrames - 1] = frameCount - 1;
        return idx;
    }

    /// <summary>Copies RGBA, replacing pixels with alpha &lt; 128 by <see cref="TransparentBackground"/>; alpha becomes 255.</summary>
    internal static void MakeOpaque(ReadOnlySpan<byte> src, Span<byte> dst)
    {
        var (br, bg, bb) = TransparentBackground;
        for (var p = 0; p + 3 < src.Length; p += 4)
        {
            if (src[p + 3] < 128) { dst[p] = br; dst[p + 1] = bg; dst[p + 2] = bb; }
            else { dst[p] = src[p]; dst[p + 1] = src[p + 1]; dst[p + 2] = src[p + 2]; }
            dst[p + 3] = 255;
        }
    }
}
