using GifLab.Core.Curves;
using GifLab.Core.Model;
using GifLab.Storage;

namespace GifLab.Export;

/// <summary>Dataset-level counts for <c>giflab stats</c>: curve completeness per engine and split sizes.</summary>
/// <param name="Curves">Per engine (seed order): GIFs with runs on / a full grid of the lossy and colour curve (colour null: no colour curve).</param>
/// <param name="Ratios">The split ratios the sizes were computed with.</param>
/// <param name="Train">GIFs in train.</param>
/// <param name="Val">GIFs in val.</param>
/// <param name="Test">GIFs in test.</param>
public sealed record DatasetStatistics(
    IReadOnlyList<(Engine Engine, CurveCompleteness Lossy, CurveCompleteness? Colors)> Curves,
    SplitRatios Ratios, long Train, long Val, long Test)
{
    public static DatasetStatistics Compute(IDatasetReader reader, SplitRatios ratios, CancellationToken ct)
    {
        var curves = new List<(Engine, CurveCompleteness, CurveCompleteness?)>();
        foreach (var spec in EngineCurves.Specs)
        {
            ct.ThrowIfCancellationRequested();
            curves.Add((spec.Engine, reader.CountCurveCompleteness(spec.LossyPipeline, CurveType.Lossy),
                spec.ColorPipeline is { } c ? reader.CountCurveCompleteness(c, CurveType.Colors) : null));
        }
        long train = 0, val = 0, test = 0;
        foreach (var sha in reader.ReadGifShas(ct))
        {
            switch (ratios.Assign(sha))
            {
                case DatasetSplit.Train: train++; break;
                case DatasetSplit.Val: val++; break;
                default: test++; break;
            }
        }
        return new DatasetStatistics(curves, ratios, train, val, test);
    }
}
