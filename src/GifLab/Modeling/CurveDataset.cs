using GifLab.Core.Curves;
using GifLab.Core.Model;

namespace GifLab.Modeling;

/// <summary>One measured point of a GIF's curve (a valid run).</summary>
/// <param name="Position">Lossy level or colour count.</param>
public sealed record MeasuredPoint(int Position, long OutputSizeBytes, double? CompositeScore, double? Ssim)
{
    /// <summary><c>ssimulacra2</c> of the run (null when not measured).</summary>
    public double? Ssimulacra2 { get; init; }

    /// <summary>
    /// The value of a target at this point, or null when not measured. Size is log(output ÷ <paramref name="sizeBaseBytes"/>):
    /// the original size, or the anchor bytes of <see cref="GifCurve.SizeBaseBytes"/>.
    /// </summary>
    public double? Target(PredictionTarget target, double sizeBaseBytes) => target switch
    {
        PredictionTarget.Size => OutputSizeBytes > 0 && sizeBaseBytes > 0 ? Math.Log(OutputSizeBytes / sizeBaseBytes) : null,
        PredictionTarget.CompositeScore => CompositeScore,
        PredictionTarget.Ssim => Ssim,
        PredictionTarget.Ssimulacra2 => Ssimulacra2,
        _ => throw new ArgumentOutOfRangeException(nameof(target)),
    };
}

/// <summary>A GIF's inputs and the points of one curve it has (missing points simply absent).</summary>
/// <param name="Features">Model inputs in <see cref="CurveDataset.FeatureNames"/> order; NaN = missing.</param>
public sealed record GifCurve(string GifSha, DatasetSplit Split, long OriginalSizeBytes, float[] Features, IReadOnlyList<MeasuredPoint> Points)
{
    /// <summary>Content type from the GIF's features (<see cref="GifLab.Core.Features.ContentTypeClassifier"/>), for per-type accuracy.</summary>
    public string? ContentType { get; init; }

    /// <summary>The split group (e.g. source package) when the split was grouped, else null.</summary>
    public string? Group { get; init; }

    /// <summary>
    /// The bytes the size target is relative to: size is learnt as log(output ÷ <see cref="SizeBaseBytes"/>). The original
    /// file size unless the trainer chose another <see cref="SizeAnchor"/> (e.g. an estimate of a lossless re-encode).
    /// </summary>
    public double SizeBaseBytes { get; init; } = OriginalSizeBytes;
}

/// <summary>Training data of one (engine, curve type).</summary>
/// <param name="Positions">Every position present, in compression order.</param>
/// <param name="DatasetVersion">Semantic version with a content hash (GIFs, inputs, points) as build metadata (<c>1.0.0+3fa9…</c>): the same data give the same value.</param>
public sealed record CurveDataset(
    Engine Engine, CurveType Curve, IReadOnlyList<string> FeatureNames, string? FeatureVersion,
    IReadOnlyList<int> Positions, IReadOnlyList<GifCurve> Gifs, string DatasetVersion)
{
    /// <summary>How the held-out split was assigned: <c>gif</c> (hash of each GIF's SHA) or the grouping's description.</summary>
    public string SplitGrouping { get; init; } = "gif";

    public int CountGifs(DatasetSplit split) => Gifs.Count(g => g.Split == split);
}

/// <summary>Everything read from a database: one dataset per (engine, curve type) that has data, plus notes for the user.</summary>
public sealed record TrainingData(IReadOnlyList<CurveDataset> Datasets, IReadOnlyList<string> Notes);
