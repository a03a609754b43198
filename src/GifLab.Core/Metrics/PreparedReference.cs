using System.Collections.Concurrent;
using GifLab.Core.Model;

namespace GifLab.Core.Metrics;

/// <summary>
/// An original GIF with everything metrics precompute about it, built once and shared (read-only
/// or through thread-safe lazies) by every concurrent <see cref="MetricSuite.Measure(PreparedReference, FrameSequence, MetricOptions)"/>.
/// Holds RGB24 and float luma planes of each composited frame over white (and, on demand, over
/// black); what one metric alone derives from them (e.g. the SSIMULACRA 2 pyramids) is that metric's own state,
/// kept per background through <see cref="ReferenceView.State{T}"/> and defined in the metric's file.
/// </summary>
public sealed class PreparedReference
{
    private readonly Lazy<ReferenceView> _white;
    private readonly Lazy<ReferenceView> _black;

    internal PreparedReference(FrameSequence frames, MetricOptions options)
    {
        Frames = frames;
        Options = options;
        HasTransparency = frames.HasTransparentPixels;
        _white = new(() => new ReferenceView(this, new FrameView(frames, 255)), LazyThreadSafetyMode.ExecutionAndPublication);
        _black = new(() => new ReferenceView(this, new FrameView(frames, 0)), LazyThreadSafetyMode.ExecutionAndPublication);
        _ = _white.Value;
    }

    public FrameSequence Frames { get; }

    /// <summary>The options the original was prepared with (sample sizes that reference caches depend on).</summary>
    internal MetricOptions Options { get; }

    /// <summary>Whether any pixel of the original has alpha below 255.</summary>
    public bool HasTransparency { get; }

    internal ReferenceView View(byte background) => background == 0 ? _black.Value : _white.Value;

    /// <summary>Upper bound of the bytes metrics cache about a prepared <paramref name="frames"/> over its lifetime
    /// (the SSIMULACRA 2 pyramids: <see cref="Ssimulacra2.EstimatedCacheBytes"/>) — for memory budgets.</summary>
    public static long EstimatedCacheBytes(FrameSequence frames, MetricOptions options) =>
        Ssimulacra2.EstimatedCacheBytes(frames, options);
}

/// <summary>The original on one background, with the per-frame caches and per-metric state built from it.</summary>
internal sealed class ReferenceView
{
    private readonly ConcurrentDictionary<(string Key, int Frame), Lazy<object>> _cache = new();
    private readonly ConcurrentDictionary<Type, Lazy<object>> _state = new();

    public ReferenceView(PreparedReference reference, FrameView frames)
    {
        Reference = reference;
        Frames = frames;
    }

    public PreparedReference Reference { get; }

    public FrameView Frames { get; }

    /// <summary>Per-frame derived data of the original (edge maps, histograms…), built once,
    /// thread-safe. Keep entries small: they live as long as the prepared reference.</summary>
    public T Cached<T>(string key, int frame, Func<T> build) where T : class =>
        (T)_cache.GetOrAdd((key, frame), _ => new Lazy<object>(() => build(), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    /// <summary>Frames whose <paramref name="key"/> entry has been built (tests: the cache is keyed by run of identical frames).</summary>
    internal int CachedFrames(string key) => _cache.Keys.Count(k => k.Key == key);

    /// <summary>One metric's own state about this view (one instance per type, built once by <paramref name="create"/>,
    /// thread-safe); the type is private to the metric that owns it.</summary>
    public T State<T>(Func<ReferenceView, T> create) where T : class =>
        (T)_state.GetOrAdd(typeof(T), _ => new Lazy<object>(() => create(this), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
}
