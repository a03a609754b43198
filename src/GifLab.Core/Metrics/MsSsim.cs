using GifLab.Core.Metrics.Kernels;

namespace GifLab.Core.Metrics;

/// <summary>
/// MS-SSIM, Wang, Simoncelli &amp; Bovik 2003 (the published algorithm, not the reference's weighted
/// SSIM): 11×11 Gaussian window σ = 1.5 in 'valid' mode, population moments, 2×2 average pooling
/// between scales, up to 5 scales while min(h, w) ≥ 11, weights [0.0448, 0.2856, 0.3001, 0.2363,
/// 0.1333] renormalised over the K scales used when K &lt; 5; cs terms at scales 1..K−1, l·cs at scale
/// K, negative means clamped to 0. Range [0, 1], higher is better. Frames under 11 px → null.
/// <c>ms_ssim_scales</c> = K. Golden: testdata/golden (independent numpy oracle), tolerance 1e-4.
/// </summary>
public sealed class MsSsim : IQualityMetric
{
    public MetricInfo Info { get; } = new("ms_ssim", 1, [.. MetricInfo.Family("ms_ssim"), "ms_ssim_scales"],
        ScoreDirection.HigherIsBetter, 0, 1, false,
        "MS-SSIM (Wang–Simoncelli–Bovik 2003, 5 scales, standard weights renormalised on small canvases).");

    public void Measure(MetricContext context, MetricSink sink)
    {
        StructuralSimilarity.RowSums[]? rows = context.Options.ComputeIdenticalPairs ? null : [new(), new(), new(), new(), new()];
        int last = -1; // pair whose row sums `rows` holds
        // Every pair uses the same scales (a function of the canvas size); 0 when MS-SSIM is null.
        int scales = StructuralSimilarity.MsSsimScales(context.Width, context.Height);
        var perFrame = context.PerPair<double?>(context.AllPairs(), i =>
        {
            var r = StructuralSimilarity.MsSsim(context.ReferenceLuma(i), context.CandidateLuma(i), context.Width, context.Height,
                rows is not null && last >= 0 ? context.UnchangedRows(i, last) : default, rows);
            last = i;
            return r?.Value;
        }, scales > 0 ? () => 1.0 : null);
        if (Array.TrueForAll(perFrame, v => v is null)) scales = 0;
        sink.SetFamily("ms_ssim", perFrame, "canvas smaller than 11 px");
        if (scales > 0) sink.Set("ms_ssim_scales", scales);
        else sink.SetNull("ms_ssim_scales", "canvas smaller than 11 px");
    }
}
