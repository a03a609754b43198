using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using GifLab.Core.Metrics.Kernels;

namespace GifLab.Core.Metrics;

/// <summary>
/// <c>fsim</c>: GifLab's gradient/Laplacian feature similarity, kept under the reference's name for
/// continuity (metrics.md §3.5). It is NOT Zhang et al. 2011 FSIM (no phase congruency, no
/// PC-weighted pooling); values are not comparable with published FSIM. Per pair on BT.601 luma:
/// G = Sobel magnitude, P = |4-neighbour Laplacian|, S = mean(((2G1G2 + T1)/(G1² + G2² + T1)) ·
/// ((2P1P2 + T2)/(P1² + P2² + T2))) with T1 = 160 and T2 = 0.85·255 (FSIM's GM constant and its PC
/// constant rescaled to our 0–255 response range, instead of the reference's 1e-3, which made the
/// score jump on noise-level gradients). Flat-content fallback (identity 1, worst 0). Range [0, 1],
/// higher is better; mean over pairs.
/// Up to 10 uniformly spaced pairs unless exact (the family's _min/_max are over those pairs).
/// </summary>
public sealed class Fsim : IQualityMetric
{
    private const float T1 = 160f, T2 = 0.85f * 255f;

    public MetricInfo Info { get; } = new("fsim", 1, MetricInfo.Family("fsim"), ScoreDirection.HigherIsBetter, 0, 1, false,
        "Gradient-magnitude × Laplacian similarity (GifLab 'fsim', not published FSIM), mean over pairs.");

    public void Measure(MetricContext context, MetricSink sink)
    {
        int w = context.Width, h = context.Height, n = w * h;
        // Scratch planes from the exact-length pool: every element is written before it is read.
        var gx = ViewArrayPool.RentFloats(n); var gy = ViewArrayPool.RentFloats(n); var lap = ViewArrayPool.RentFloats(n);
        try
        {
            var perFrame = context.SampledWithFlatFallback(i =>
            {
                var refFeatures = context.ReferenceCached("fsim", i, () => Features(context.ReferenceLuma(i), w, h));
                Sobel(context.CandidateLuma(i), w, h, gx, gy, lap);
                Similarity(refFeatures.G, gx, refFeatures.P, lap, gy);
                double sum = 0;
                foreach (float v in gy) sum += v; // in pixel order, as the scalar definition
                return Math.Clamp(sum / n, 0, 1);
            });
            sink.SetFamily("fsim", perFrame, "no frame pairs");
        }
        finally
        {
            ViewArrayPool.Return(gx); ViewArrayPool.Return(gy); ViewArrayPool.Return(lap);
        }
    }

    private static void Sobel(float[] luma, int w, int h, float[] gx, float[] gy, float[] lap)
    {
        Gradients.Sobel(luma, w, h, gx, gy);
        Gradients.EuclideanMagnitude(gx, gy);
        Gradients.Laplacian(luma, w, h, lap);
        System.Numerics.Tensors.TensorPrimitives.Abs(lap, lap);
    }

    /// <summary>Per-pixel similarity term (float, same operation order in the vector lanes and the scalar tail).</summary>
    internal static void Similarity(ReadOnlySpan<float> g1s, ReadOnlySpan<float> g2s, ReadOnlySpan<float> p1s, ReadOnlySpan<float> p2s,
                                    Span<float> dst, bool vectorised = true)
    {
        int p = 0, n = dst.Length;
        if (vectorised && Vector256.IsHardwareAccelerated)
        {
            ref float a = ref MemoryMarshal.GetReference(g1s); ref float b = ref MemoryMarshal.GetReference(g2s);
            ref float c = ref MemoryMarshal.GetReference(p1s); ref float d = ref MemoryMarshal.GetReference(p2s);
            ref float o = ref MemoryMarshal.GetReference(dst);
            var two = Vector256.Create(2f); var t1 = Vector256.Create(T1); var t2 = Vector256.Create(T2);
            for (; p + 8 <= n; p += 8)
            {
                var g1 = Vector256.LoadUnsafe(ref a, (nuint)p); var g2 = Vector256.LoadUnsafe(ref b, (nuint)p);
                var p1 = Vector256.LoadUnsafe(ref c, (nuint)p); var p2 = Vector256.LoadUnsafe(ref d, (nuint)p);
                ((two * g1 * g2 + t1) / (g1 * g1 + g2 * g2 + t1) * ((two * p1 * p2 + t2) / (p1 * p1 + p2 * p2 + t2))).StoreUnsafe(ref o, (nuint)p);
            }
        }
        for (; p < n; p++)
        {
            float g1 = g1s[p], g2 = g2s[p], p1 = p1s[p], p2 = p2s[p];
            dst[p] = (2 * g1 * g2 + T1) / (g1 * g1 + g2 * g2 + T1) * ((2 * p1 * p2 + T2) / (p1 * p1 + p2 * p2 + T2));
        }
    }

    private sealed record FeatureMaps(float[] G, float[] P);

    private static FeatureMaps Features(float[] luma, int w, int h)
    {
        var g = new float[w * h]; var gy = ViewArrayPool.RentFloats(w * h); var p = new float[w * h];
        Sobel(luma, w, h, g, gy, p);
        ViewArrayPool.Return(gy);
        return new FeatureMaps(g, p);
    }
}

/// <summary>Boxed flat-content analysis for the reference cache.</summary>
internal sealed record FlatBox((bool Flat, double R, double G, double B) Value);
