using GifLab.Core.Metrics.Kernels;

namespace GifLab.Core.Metrics;

/// <summary>
/// <c>deltae</c>: CIEDE2000 colour difference (Sharma, Wu &amp; Dalal 2005; sRGB → CIELAB D65) per
/// pixel over the WHOLE frame (the reference inspected only a top-left square of 64-px patches and
/// used a CIE94-like formula; metrics.md §5.2, §16.2, §16.4). Pairs: at most
/// <see cref="MaxPairs"/> uniformly spaced pairs by default, every pair when exact. Outputs: mean
/// ΔE00 over all inspected pixels (primary; 0 = identical, lower is better, ≈ 1 just noticeable),
/// its 95th percentile (0.05 resolution) and maximum, and the percentage of pixels above 1, 2, 3, 5.
/// A direct-mapped cache of colour pairs (per thread, reused across measurements; ≈ 3 MB) keeps palette images cheap.
/// </summary>
public sealed class DeltaE : IQualityMetric
{
    public const int MaxPairs = 5;
    private const double BinWidth = 0.05;
    private const int Bins = 4000; // 0–200
    private const int CacheBits = 18;

    public MetricInfo Info { get; } = new("deltae", 1,
        ["deltae", "deltae_p95", "deltae_max", "deltae_pct_gt1", "deltae_pct_gt2", "deltae_pct_gt3", "deltae_pct_gt5"],
        ScoreDirection.LowerIsBetter, 0, null, false,
        "Mean CIEDE2000 over all pixels (≤ 5 sampled pairs unless exact), with p95, max and % above 1/2/3/5.");

    public void Measure(MetricContext context, MetricSink sink)
    {
        var frames = FramePairing.UniformSample(context.PairCount, context.Options.Exact ? int.MaxValue : MaxPairs);
        if (frames.Length == 0)
        {
            foreach (var k in Info.Outputs) sink.SetNull(k, "no frame pairs");
            return;
        }
        var hist = new long[Bins + 1];
        // Per-thread caches, kept across measurements: a pair's ΔE is a pure function of the two colours,
        // so results do not depend on what the cache holds, and candidates of one original share most pairs.
        var caches = t_caches ??= new Caches();
        var cacheKeys = caches.PairKeys; var cacheValues = caches.PairValues; var labs = caches.Labs;
        double sum = 0, max = 0;
        long count = 0, gt1 = 0, gt2 = 0, gt3 = 0, gt5 = 0;
        // A pair byte-identical to the last computed one adds its pixels' ΔE again in the same order (the non-zero ones
        // are logged; a zero adds nothing to the sum or the maximum), so every output is as if it were recomputed.
        var repeat = new MetricContext.RepeatLog<float>(context, frames);
        for (int k = 0; k < frames.Length; k++)
        {
            int i = frames[k];
            var a = context.ReferenceRgb(i); var b = context.CandidateRgb(i);
            if (context.PairIdentical(i))
            {
                // Every pixel has ΔE exactly 0: adding 0 leaves the sum and the maximum as they are.
                count += a.Length / 3;
                hist[0] += a.Length / 3;
                continue;
            }
            if (repeat.Repeats(k))
            {
                var terms = repeat.Terms;
                count += a.Length / 3 - terms.Count;
                hist[0] += a.Length / 3 - terms.Count;
                foreach (float t in terms)
                {
                    double de = t;
                    sum += de; count++;
                    if (de > max) max = de;
                    if (de > 1) gt1++;
                    if (de > 2) gt2++;
                    if (de > 3) gt3++;
                    if (de > 5) gt5++;
                    hist[Math.Min(Bins, (int)(de / BinWidth))]++;
                }
                continue;
            }
            var log = repeat.Terms; bool logging = repeat.Logging;
            for (int p = 0; p < a.Length; p += 3)
            {
                double de;
                int c1 = a[p] << 16 | a[p + 1] << 8 | a[p + 2], c2 = b[p] << 16 | b[p + 1] << 8 | b[p + 2];
                if (c1 == c2) de = 0;
                else
                {
                    long key = (long)c1 << 24 | (uint)c2;
                    int slot = (int)((ulong)(key * unchecked((long)0x9E3779B97F4A7C15UL)) >> (64 - CacheBits));
                    if (cacheKeys[slot] == key) de = cacheValues[slot];
                    else
                    {
                        var l1 = labs.Get(c1);
                        var l2 = labs.Get(c2);
                        de = (float)ColorSpaces.DeltaE2000(l1.L, l1.A, l1.B, l2.L, l2.A, l2.B);
                        cacheKeys[slot] = key; cacheValues[slot] = (float)de;
                    }
                    if (logging && de != 0) log.Add((float)de);
                }
                sum += de; count++;
                if (de > max) max = de;
                if (de > 1) gt1++;
                if (de > 2) gt2++;
                if (de > 3) gt3++;
                if (de > 5) gt5++;
                hist[Math.Min(Bins, (int)(de / BinWidth))]++;
            }
        }
        sink.Set("deltae", sum / count);
        long target = (long)Math.Ceiling(0.95 * count), acc = 0;
        double p95 = max;
        for (int k = 0; k <= Bins; k++)
        {
            acc += hist[k];
            if (acc >= target) { p95 = Math.Min(max, (k + 1) * BinWidth); break; }
        }
        sink.Set("deltae_p95", p95);
        sink.Set("deltae_max", max);
        sink.Set("deltae_pct_gt1", 100.0 * gt1 / count);
        sink.Set("deltae_pct_gt2", 100.0 * gt2 / count);
        sink.Set("deltae_pct_gt3", 100.0 * gt3 / count);
        sink.Set("deltae_pct_gt5", 100.0 * gt5 / count);
    }

    [ThreadStatic] private static Caches? t_caches;

    private sealed class Caches
    {
        public readonly long[] PairKeys = CreateKeys(1 << CacheBits);
        public readonly float[] PairValues = new float[1 << CacheBits];
        public readonly LabCache Labs = new();

        private static long[] CreateKeys(int n)
        {
            var k = new long[n];
            Array.Fill(k, -1L);
            return k;
        }
    }

    /// <summary>Direct-mapped cache of sRGB → CIELAB per 24-bit colour (a pair miss usually has colours seen before).</summary>
    private sealed class LabCache
    {
        private const int Bits = 12;
        private readonly int[] _keys = new int[1 << Bits];
        private readonly (double L, double A, double B)[] _values = new (double, double, double)[1 << Bits];

        public LabCache() => Array.Fill(_keys, -1);

        public (double L, double A, double B) Get(int rgb)
        {
            int slot = (int)((uint)(rgb * unchecked((int)0x9E3779B1u)) >> (32 - Bits));
            if (_keys[slot] == rgb) return _values[slot];
            var lab = ColorSpaces.SrgbToLab((byte)(rgb >> 16), (byte)(rgb >> 8), (byte)rgb);
            _keys[slot] = rgb; _values[slot] = lab;
            return lab;
        }
    }
}
