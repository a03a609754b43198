using System.Collections.Concurrent;
using GifLab.Core.Metrics.Kernels;
using GifLab.Core.Model;

namespace GifLab.Core.Metrics;

/// <summary>
/// SSIMULACRA 2.1, native port of <c>cloudinary/ssimulacra2</c> (see <see cref="Ssimulacra2Core"/>).
/// Range (−∞, 100], 100 = identical, higher is better (≈90 visually lossless, ≈70 high, ≈50 medium
/// quality). Raw score, not the reference's 0–1 rescaling. By default at most
/// <see cref="MetricOptions.Ssimulacra2MaxPairs"/> original frames, uniformly spaced, are scored
/// (<c>ssimulacra2_frames</c> says how many); <see cref="MetricOptions.Exact"/> scores every pair. The
/// original's XYB + blur pyramids of the sampled frames are prepared once per original.
/// Golden tolerance (port): 2.0 for expected ≥ 90, 0.75 for 50–90, 0.3 below 50, exactly 100 for
/// identical frames. Canvas under 8 px → null.
/// </summary>
public sealed class Ssimulacra2 : IQualityMetric
{
    public MetricInfo Info { get; } = new("ssimulacra2", 1, [.. MetricInfo.Family("ssimulacra2"), "ssimulacra2_frames"],
        ScoreDirection.HigherIsBetter, null, 100, false,
        "SSIMULACRA 2.1 (native port of cloudinary/ssimulacra2), ≤ 30 uniformly sampled frame pairs unless exact.");

    public void Measure(MetricContext context, MetricSink sink)
    {
        if (!Ssimulacra2Core.CanScore(context.Width, context.Height))
        {
            foreach (var k in Info.Outputs) sink.SetNull(k, "canvas smaller than 8 px");
            return;
        }
        var pyramids = context.ReferenceView.State(view => new ReferencePyramids(view));
        IReadOnlyList<int> frames = context.Options.Exact ? context.AllPairs() : pyramids.Sample;
        var perFrame = context.PerPair<double?>(frames,
            i =>
            {
                var (pyramid, kept) = pyramids.Get(i);
                double score = Ssimulacra2Core.Score(pyramid, context.CandidateRgb(i));
                if (!kept) pyramids.GiveBack(pyramid);
                return score;
            },
            () => Ssimulacra2Core.IdenticalScore);
        sink.SetFamily("ssimulacra2", perFrame, "no frame pairs");
        sink.Set("ssimulacra2_frames", frames.Count);
    }

    /// <summary>Original frames scored when not exact: at most <see cref="MetricOptions.Ssimulacra2MaxPairs"/> of the
    /// options the original was prepared with, uniformly spaced.</summary>
    internal static int[] SampledFrames(FrameSequence frames, MetricOptions options) =>
        FramePairing.UniformSample(frames.FrameCount, options.Ssimulacra2MaxPairs);

    /// <summary>Upper bound on the bytes of cached pyramids per original and background (a pyramid costs ≈ 48 bytes
    /// per canvas pixel: 500×500 → 12 MB). Beyond it, pyramids are built on the fly for every measurement, which is
    /// slower but keeps memory bounded for large GIFs. 768 MB holds the 30 sampled frames of a 928×512 canvas (the
    /// largest of ../shared/corpus/real); at 256 MB an 800×400 GIF re-prepared half of them for every run (3.8 % of all
    /// CPU samples of a gifsicle run over that corpus). The runner counts this cache in its memory budget
    /// (<see cref="EstimatedCacheBytes"/>).</summary>
    public const long CacheBudgetBytes = 768L * 1024 * 1024;

    /// <summary>Upper bound of the pyramids a prepared <paramref name="frames"/> caches over its lifetime (≈ 48 B per
    /// pixel per sampled frame, at most <see cref="CacheBudgetBytes"/> per background; two backgrounds when it has
    /// transparent pixels).</summary>
    public static long EstimatedCacheBytes(FrameSequence frames, MetricOptions options)
    {
        long perBackground = Math.Min(CacheBudgetBytes,
            48L * frames.Width * frames.Height * Math.Min(frames.FrameCount, options.Ssimulacra2MaxPairs));
        return perBackground * (frames.HasTransparentPixels ? 2 : 1);
    }

    /// <summary>
    /// This metric's state about the original on one background: the XYB + blur pyramids of the sampled frames, built
    /// on first use and kept (within <see cref="CacheBudgetBytes"/>); other frames' pyramids are built on the fly and
    /// not kept, so exact runs over long GIFs stay bounded in memory.
    /// </summary>
    private sealed class ReferencePyramids
    {
        private readonly ConcurrentDictionary<int, Lazy<Ssimulacra2Core.Prepared>> _cache = new();
        private readonly FrameView _frames;
        private readonly HashSet<int> _cached;
        private long _cachedBytes;

        public ReferencePyramids(ReferenceView view)
        {
            _frames = view.Frames;
            Sample = SampledFrames(view.Reference.Frames, view.Reference.Options);
            _cached = [.. Sample];
        }

        /// <summary>The frames whose pyramids are kept (and scored when not exact).</summary>
        public int[] Sample { get; }

        /// <summary>The pyramid of original frame <paramref name="index"/>; not <c>Kept</c>: built for this call only,
        /// hand it to <see cref="GiveBack"/> once scored.</summary>
        public (Ssimulacra2Core.Prepared Pyramid, bool Kept) Get(int index)
        {
            if (_cache.TryGetValue(index, out var cached)) return (cached.Value, true);
            long cost = 48L * _frames.Width * _frames.Height;
            if (!_cached.Contains(index) || Interlocked.Add(ref _cachedBytes, cost) > CacheBudgetBytes)
            {
                // Built on the fly into a pyramid given back by an earlier call (no fresh 48 B per pixel each time).
                _spare.TryTake(out var spare);
                return (Ssimulacra2Core.Prepare(_frames.Rgb[index], _frames.Width, _frames.Height, spare), false);
            }
            return (_cache.GetOrAdd(index, i => new Lazy<Ssimulacra2Core.Prepared>(
                () => Ssimulacra2Core.Prepare(_frames.Rgb[i], _frames.Width, _frames.Height),
                LazyThreadSafetyMode.ExecutionAndPublication)).Value, true);
        }

        /// <summary>Keeps a pyramid that <see cref="Get"/> built for one call, for the next frame built on the fly
        /// (at most <see cref="MaxSpares"/>; more concurrent callers build their own).</summary>
        public void GiveBack(Ssimulacra2Core.Prepared pyramid)
        {
            if (_spare.Count < MaxSpares) _spare.Add(pyramid);
        }

        private const int MaxSpares = 2;
        private readonly ConcurrentBag<Ssimulacra2Core.Prepared> _spare = [];
    }
}
