using GifLab.Core.Metrics.Kernels;

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
        IReadOnlyList<int> frames = context.Options.Exact
            ? FramePairing.UniformSample(context.PairCount, int.MaxValue)
            : context.Reference.Ssimulacra2Sample;
        var perFrame = context.PerPair<double?>(frames,
            i => Ssimulacra2Core.Score(context.ReferenceView.Ssimulacra2(i), context.CandidateRgb(i)),
            () => Ssimulacra2Core.IdenticalScore);
        sink.SetFamily("ssimulacra2", perFrame, "no frame pairs");
        sink.Set("ssimulacra2_frames", frames.Count);
    }
}
