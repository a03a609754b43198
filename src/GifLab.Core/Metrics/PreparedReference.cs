using System.Collections.Concurrent;
using GifLab.Core.Metrics.Kernels;
using GifLab.Core.Model;

namespace GifLab.Core.Metrics;

/// <summary>
/// An original GIF with everything metrics precompute about it, built once and shared (read-only
/// or through thread-safe lazies) by every concurrent <see cref="MetricSuite.Measure(PreparedReference, FrameSequence, MetricOptions)"/>.
/// Holds RGB24 and float luma planes of each composited frame over white (and, on demand, over
/// black), and the SSIMULACRA 2 XYB/blur pyramids of the sampled frames (about 48 bytes per pixel
/// per sampled frame, built on first use, at most <see cref="ReferenceView.Ssimulacra2CacheBudgetBytes"/>).
/// </summary>
public sealed class PreparedReference
{
    private readonly Lazy<ReferenceView> _white;
    private readonly Lazy<ReferenceView> _black;

    internal PreparedReference(FrameSequence frames, int ssimulacra2MaxPairs)
    {
        Frames = frames;
        HasTransparency = frames.HasTransparentPixels;
        Ssimulacra2Sample = FramePairing.UniformSample(frames.FrameCount, ssimulacra2MaxPairs);
        _white = new(() => new ReferenceView(new FrameView(frames, 255), Ssimulacra2Sample), LazyThreadSafetyMode.ExecutionAndPublication);
        _black = new(() => new ReferenceView(new FrameView(frames, 0), Ssimulacra2Sample), LazyThreadSafetyMode.ExecutionAndPublication);
        _ = _white.Value;
    }

    public FrameSequence Frames { get; }

    /// <summary>Whether any pixel of the original has alpha below 255.</summary>
    public bool HasTransparency { get; }

    /// <summary>Original frame indices SSIMULACRA 2 uses when not exact (≤ the configured maximum, uniform).</summary>
    public IReadOnlyList<int> Ssimulacra2Sample { get; }

    internal ReferenceView View(byte background) => background == 0 ? _black.Value : _white.Value;

    /// <summary>Upper bound of the SSIMULACRA 2 pyramids a prepared <paramref name="frames"/> caches over its lifetime
    /// (≈ 48 B per pixel per sampled frame, at most <see cref="ReferenceView.Ssimulacra2CacheBudgetBytes"/> per
    /// background; two backgrounds when it has transparent pixels) — for memory budgets.</summary>
    public static long EstimatedCacheBytes(FrameSequence frames, MetricOptions options)
    {
        long perBackground = Math.Min(ReferenceView.Ssimulacra2CacheBudgetBytes,
            48L * frames.Width * frames.Height * Math.Min(frames.FrameCount, options.Ssimulacra2MaxPairs));
        return perBackground * (frames.HasTransparentPixels ? 2 : 1);
    }
}

/// <summary>The original on one background, with lazily prepared SSIMULACRA 2 pyramids.</summary>
internal sealed class ReferenceView
{
    private readonly ConcurrentDictionary<int, Lazy<Ssimulacra2Core.Prepared>> _ssimulacra2 = new();
    private readonly HashSet<int> _cached;

    public ReferenceView(FrameView frames, IReadOnlyList<int> cachedFrames)
    {
        Frames = frames;
        _cached = [.. cachedFrames];
    }

    public FrameView Frames { get; }

    private readonly ConcurrentDictionary<(string Key, int Frame), Lazy<object>> _cache = new();

    /// <summary>Per-frame derived data of the original (edge maps, histograms…), built once,
    /// thread-safe. Keep entries small: they live as long as the prepared reference.</summary>
    public T Cached<T>(string key, int frame, Func<T> build) where T : class =>
        (T)_cache.GetOrAdd((key, frame), _ => new Lazy<object>(() => build(), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    /// <summary>Upper bound on the bytes of cached SSIMULACRA 2 pyramids per original and background
    /// (a pyramid costs ≈ 48 bytes per canvas pixel: 500×500 → 12 MB). Beyond it, pyramids are built on
    /// the fly for every measurement, which is slower but keeps memory bounded for large GIFs. 768 MB holds the 30
    /// sampled frames of a 928×512 canvas (the largest of ../shared/corpus/real); at 256 MB an 800×400 GIF re-prepared
    /// half of them for every run (3.8 % of all CPU samples of a gifsicle run over that corpus). The runner counts
    /// this cache in its memory budget (<see cref="PreparedReference.EstimatedCacheBytes"/>).</summary>
    public const long Ssimulacra2CacheBudgetBytes = 768L * 1024 * 1024;

    private long _cachedBytes;

    /// <summary>SSIMULACRA 2 pyramid of frame <paramref name="index"/>: cached for the sampled frames
    /// (within <see cref="Ssimulacra2CacheBudgetBytes"/>), built on the fly (not kept) for the others,
    /// so exact runs over long GIFs stay bounded in memory.</summary>
    public Ssimulacra2Core.Prepared Ssimulacra2(int index)
    {
        if (_ssimulacra2.TryGetValue(index, out var cached)) return cached.Value;
        long cost = 48L * Frames.Width * Frames.Height;
        if (!_cached.Contains(index) || Interlocked.Add(ref _cachedBytes, cost) > Ssimulacra2CacheBudgetBytes)
            return Ssimulacra2Core.Prepare(Frames.Rgb[index], Frames.Width, Frames.Height);
        return _ssimulacra2.GetOrAdd(index, i => new Lazy<Ssimulacra2Core.Prepared>(
            () => Ssimulacra2Core.Prepare(Frames.Rgb[i], Frames.Width, Frames.Height),
            LazyThreadSafetyMode.ExecutionAndPublication)).Value;
    }
}
