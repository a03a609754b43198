namespace GifLab.Answers;

/// <summary>Everything <c>giflab leaderboard</c> prints and <c>giflab report</c> draws.</summary>
/// <param name="Gifs">GIFs read.</param>
/// <param name="Runs">Runs read.</param>
/// <param name="Points">Runs usable as points (valid, sized, with a value of the metric) of the included families.</param>
/// <param name="Gallery">GIFs where the choice of family matters most (largest spread of size at the floor), most first.</param>
public sealed record AnswersResult(AnswersOptions Options, long Gifs, long Runs, long Points, IReadOnlyList<PipelineFamily> Families,
                                   IReadOnlyList<Leaderboard> Leaderboards, IReadOnlyList<BdRateMatrix> BdRates,
                                   IReadOnlyList<GifOutcome> Gallery, IReadOnlyList<QualityCurve> Curves);
