using System.Collections.Immutable;
using GifLab.Core.Metrics.Artifacts;

namespace GifLab.Core.Metrics;

/// <summary>
/// The one list of metrics, in execution order; exporters, the schema, <c>giflab measure</c> and
/// docs/metrics.md read it (a test checks the doc against it). Later entries may read earlier
/// outputs from the sink (pumping reads per-frame SSIM; summary metrics read everything).
/// </summary>
public static class MetricRegistry
{
    public static ImmutableArray<IQualityMetric> All { get; } =
    [
        new Ssim(), new MsSsim(), new Psnr(), new Mse(), new Rmse(), new Ssimulacra2(), new Lpips(),
        new Fsim(), new Gmsd(), new ColorHistogram(), new EdgeSimilarity(), new TextureSimilarity(),
        new SharpnessSimilarity(), new TemporalConsistency(), new DeltaE(),
        new DisposalArtifacts(), new TransparencyArtifacts(), new TemporalFlicker(), new TemporalPumping(),
        new GradientBanding(), new Posterization(), new DitherQuality(), new TextReadability(),
        new FrameCounts(), new CompositeScore(), new Efficiency(),
    ];

    /// <summary>Every stored key, in registry order; every <see cref="MetricResult"/> has exactly these.</summary>
    public static ImmutableArray<string> OutputKeys { get; } = [.. All.SelectMany(m => m.Info.Outputs)];

    public static IQualityMetric? Find(string name) => All.FirstOrDefault(m => m.Info.Name == name);
}
