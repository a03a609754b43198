using GifLab.Core.Model;

namespace GifLab.Core.Metrics;

/// <summary>Options of one measurement.</summary>
/// <param name="Exact">Compute every metric on every frame pair (no sampling for SSIMULACRA2, ΔE, the secondary
/// per-frame metrics and the block artefact scores).</param>
/// <param name="Ssimulacra2MaxPairs">Frame pairs SSIMULACRA2 uses when not exact (uniformly spaced original frames);
/// fixed when the original is prepared (<see cref="MetricSuite.Prepare(FrameSequence, MetricOptions)"/>).</param>
public sealed record MetricOptions(bool Exact = false, int Ssimulacra2MaxPairs = 30)
{
    public static MetricOptions Default { get; } = new();

    /// <summary>Path of an LPIPS ONNX model (the CLI reads <c>GIFLAB_LPIPS_MODEL</c>); null = none. Informational:
    /// <see cref="Lpips"/> runs <see cref="LpipsModel"/>, and names this path when it is set without a model.</summary>
    public string? LpipsModelPath { get; init; }

    /// <summary>Tests only: compute every pair even when it is byte-identical to the previous one or its two frames
    /// are identical (these fast paths must never change a value; tests compare both ways).</summary>
    internal bool ComputeIdenticalPairs { get; init; }

    /// <summary>The loaded LPIPS network (shared, thread-safe), or null: then every <c>lpips</c> key is null with a reason.</summary>
    public ILpipsModel? LpipsModel { get; init; }
}

/// <summary>
/// Front door of the metric stack: prepare an original once, measure many candidates against it.
/// The runner and <c>giflab measure</c> use only this type. <see cref="Measure(PreparedReference, FrameSequence, MetricOptions)"/>
/// is thread-safe for concurrent calls on the same <see cref="PreparedReference"/>; metrics inside
/// one call run sequentially (parallelism belongs to the runner, across outputs).
/// </summary>
/// <remarks>
/// <para>Pairing: <see cref="FramePairing"/> (index when counts match, else the frame on screen at
/// the same moment of the timeline).</para>
/// <para>Transparency: when the original or the candidate has any pixel with alpha &lt; 255, every
/// pair metric runs twice, with frames composited over white and over black, and for each metric
/// the pass with the worse primary value (by its direction; a null loses to a value) supplies all
/// of that metric's keys. Summary metrics (composite, efficiency) then run once on the merged
/// values.</para>
/// <para>Canvas sizes must match; otherwise every key is null with a reason naming both sizes.</para>
/// </remarks>
public sealed class MetricSuite
{
    /// <summary>Version of the whole metric set; bump when any stored number can change.
    /// 1: first native set (ssim, ms_ssim, psnr, ssimulacra2 checked against golden values).
    /// 2: lpips family (<c>lpips_std/_min/_max</c>, <c>lpips_frames</c>) through a configured ONNX model; ssimulacra2
    /// pooling sums in vector lanes (values move by ≤ 1e-12 relative); <c>exact_metrics</c>, <c>extras_pairs</c> and
    /// <c>deltae_pairs</c> record the sampling that applied.</summary>
    public const int SetVersion = 2;

    public PreparedReference Prepare(FrameSequence reference) => Prepare(reference, MetricOptions.Default);


    /// <summary>Prepares with the SSIMULACRA 2 sample size of <paramref name="options"/>.</summary>
    public PreparedReference Prepare(FrameSequence reference, MetricOptions options)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return new PreparedReference(reference, options);
    }

    public MetricResult Measure(PreparedReference reference, FrameSequence candidate, MetricOptions options) =>
        Measure(reference, candidate, options, null);

    /// <summary>Also fills <c>compression_ratio</c> and <c>efficiency</c> from the two file sizes.</summary>
    public MetricResult Measure(PreparedReference reference, FrameSequence candidate, MetricOptions options,
                                long originalBytes, long candidateBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(originalBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(candidateBytes);
        double ratio = candidateBytes == 0 ? 1.0 : (double)originalBytes / candidateBytes;
        return Measure(reference, candidate, options, ratio);
    }

    /// <summary>Efficiency of an existing result for a given compression ratio (see <see cref="CompositeScore.Efficiency"/>).</summary>
    public static double? Efficiency(MetricResult result, double compressionRatio) =>
        CompositeScore.Efficiency(result.Values.GetValueOrDefault("composite_score"), compressionRatio);

    private static MetricResult Measure(PreparedReference reference, FrameSequence candidate, MetricOptions options, double? ratio)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(options);
        var result = new MetricSink();
        var frames = reference.Frames;
        if (candidate.Width != frames.Width || candidate.Height != frames.Height || candidate.FrameCount == 0 || frames.FrameCount == 0)
        {
            string reason = candidate.FrameCount == 0 || frames.FrameCount == 0
                ? "a GIF has no frames"
                : $"canvas size differs: original {frames.Width}×{frames.Height}, compressed {candidate.Width}×{candidate.Height}";
            foreach (var key in MetricRegistry.OutputKeys) result.SetNull(key, reason);
            return Finish(result, options);
        }

        var pairs = FramePairing.Pair(frames, candidate);
        var candidateRuns = options.ComputeIdenticalPairs ? FramePairing.UniformSample(candidate.FrameCount, int.MaxValue) : candidate.RunStarts;
        var representatives = options.ComputeIdenticalPairs ? FramePairing.UniformSample(pairs.Length, int.MaxValue)
            : FramePairing.Representatives(frames.RunStarts, candidateRuns, pairs);
        bool dual = reference.HasTransparency || candidate.HasTransparentPixels;
        var sameAs = options.ComputeIdenticalPairs ? null : FrameView.SameAsOriginal(frames, candidate, pairs);
        var white = RunPass(reference, candidate, pairs, candidateRuns, representatives, sameAs, options, 255);
        var merged = white.Sink;
        if (dual)
        {
            var black = RunPass(reference, candidate, pairs, candidateRuns, representatives, sameAs, options, 0);
            merged = new MetricSink();
            merged.CopySeriesFrom(white.Sink);
            foreach (var metric in MetricRegistry.All)
            {
                if (metric.Info.Stage != MetricStage.Pair) continue;
                var source = Worse(metric.Info, white.Sink, black.Sink);
                merged.CopyFrom(source, metric.Info.Outputs);
            }
        }
        white.Context.CompressionRatio = ratio;
        white.Context.BackgroundPasses = dual ? 2 : 1;
        foreach (var metric in MetricRegistry.All)
            if (metric.Info.Stage == MetricStage.Summary) metric.Measure(white.Context, merged);
        return Finish(merged, options);
    }

    private static (MetricContext Context, MetricSink Sink) RunPass(PreparedReference reference, FrameSequence candidate, int[] pairs,
                                                                      int[] candidateRuns, int[] representatives, int[]? sameAs,
                                                                      MetricOptions options, byte background)
    {
        var view = reference.View(background);
        var candidateView = new FrameView(candidate, background, candidateRuns, sameAs is null ? null : (view.Frames, sameAs), pooled: true);
        var context = new MetricContext(reference, view, candidate, candidateView, pairs, options, representatives);
        var sink = new MetricSink();
        foreach (var metric in MetricRegistry.All)
            if (metric.Info.Stage == MetricStage.Pair) metric.Measure(context, sink);
        // Only one flattened candidate is alive at a time, and its arrays go back to the pool: the summary metrics
        // that run on this context later read no frames.
        context.DropCandidateView();
        return (context, sink);
    }

    private static MetricSink Worse(MetricInfo info, MetricSink a, MetricSink b)
    {
        var va = a.Get(info.Name); var vb = b.Get(info.Name);
        if (va is null) return vb is null ? a : b;   // a null loses to a real value
        if (vb is null) return a;
        return info.Direction switch
        {
            ScoreDirection.HigherIsBetter => vb < va ? b : a,
            ScoreDirection.LowerIsBetter => vb > va ? b : a,
            _ => a,
        };
    }

    private static MetricResult Finish(MetricSink sink, MetricOptions options)
    {
        var values = new Dictionary<string, double?>(StringComparer.Ordinal);
        var reasons = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in MetricRegistry.OutputKeys)
        {
            var v = sink.Get(key);
            if (v is { } x && !double.IsFinite(x)) v = null;
            values[key] = v;
            if (v is null) reasons[key] = sink.ReasonFor(key) ?? "not computed";
        }
        var notes = options.LpipsModel is { } model
            ? new Dictionary<string, string>(StringComparer.Ordinal) { [MetricResult.LpipsModelNote] = model.Description }
            : MetricResult.NoNotes;
        return new MetricResult(values, reasons, SetVersion) { Notes = notes };
    }
}

/// <summary>Every metric key with its value; a null value has a reason.</summary>
public sealed record MetricResult(
    IReadOnlyDictionary<string, double?> Values,
    IReadOnlyDictionary<string, string> NullReasons,
    int SetVersion)
{
    /// <summary>Note naming the LPIPS model that produced the <c>lpips</c> values (<see cref="ILpipsModel.Description"/>).</summary>
    public const string LpipsModelNote = "lpips_model";

    internal static readonly IReadOnlyDictionary<string, string> NoNotes = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Text facts about how the numbers were made (not metric keys): <c>lpips_model</c> when an LPIPS model
    /// was configured. Stored as top-level strings of <c>metrics_json</c> and <c>giflab measure --format json</c>.</summary>
    public IReadOnlyDictionary<string, string> Notes { get; init; } = NoNotes;
}
