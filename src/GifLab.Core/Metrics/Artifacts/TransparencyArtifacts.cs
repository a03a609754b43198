using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GifLab.Core.Metrics.Artifacts;

/// <summary>
/// <c>transparency_artifact_score</c>: how much of the transparent area changed, on the raw RGBA
/// frames before any background is applied (the reference computed it on already-composited RGB,
/// so it was always 0; metrics.md §5.6). Per pair, a pixel is transparent when alpha &lt; 128;
/// score = Σ pixels transparent in exactly one of the two / Σ pixels transparent in either
/// (Jaccard distance of the transparency masks). Range [0, 1], 0 = transparency preserved (also when
/// neither GIF has any transparent pixel), lower is better. Colour damage under transparency is
/// caught by the other metrics, which run over white and black and keep the worse.
/// </summary>
public sealed class TransparencyArtifacts : IQualityMetric
{
    public MetricInfo Info { get; } = new("transparency_artifact_score", 1, ["transparency_artifact_score"],
        ScoreDirection.LowerIsBetter, 0, 1, false,
        "Jaccard distance of the transparent-pixel masks (0 = transparency preserved).");

    public void Measure(MetricContext context, MetricSink sink)
    {
        long mismatch = 0, union = 0;
        var reference = context.Reference.Frames;
        // On the raw RGBA frames: a byte-identical pair has the same counts; no shortcut for identical RGB on a background.
        var counts = context.PerPair(context.AllPairs(), i => MaskCounts(reference.Frames[i].Rgba, context.Candidate.Frames[context.Pairs[i]].Rgba));
        foreach (var (m, u) in counts) { mismatch += m; union += u; }
        sink.Set("transparency_artifact_score", union == 0 ? 0.0 : (double)mismatch / union);
    }

    /// <summary>Pixels transparent (alpha &lt; 128) in exactly one / in at least one of two RGBA frames.
    /// The vector path takes 8 pixels per step: alpha &lt; 128 ⇔ bit 31 of the little-endian RGBA word is clear.</summary>
    internal static (long Mismatch, long Union) MaskCounts(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, bool vectorised = true)
    {
        long mismatch = 0, union = 0;
        int p = 0, n = Math.Min(a.Length, b.Length);
        if (vectorised && Vector256.IsHardwareAccelerated)
        {
            ref byte a0 = ref MemoryMarshal.GetReference(a);
            ref byte b0 = ref MemoryMarshal.GetReference(b);
            for (; p + 32 <= n; p += 32)
            {
                uint ta = ~Vector256.LoadUnsafe(ref a0, (nuint)p).AsUInt32().ExtractMostSignificantBits() & 0xFF;
                uint tb = ~Vector256.LoadUnsafe(ref b0, (nuint)p).AsUInt32().ExtractMostSignificantBits() & 0xFF;
                union += BitOperations.PopCount(ta | tb);
                mismatch += BitOperations.PopCount(ta ^ tb);
            }
        }
        for (p += 3; p < n; p += 4)
        {
            bool ta = a[p] < 128, tb = b[p] < 128;
            if (ta || tb) { union++; if (ta != tb) mismatch++; }
        }
        return (mismatch, union);
    }
}
