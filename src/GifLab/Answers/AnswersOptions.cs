using GifLab.Core.Model;

namespace GifLab.Answers;

/// <summary>How the GIFs are grouped into leaderboards.</summary>
public enum GroupBy
{
    /// <summary>One leaderboard per content type, plus one over all GIFs.</summary>
    ContentType,
    /// <summary>One leaderboard over all GIFs.</summary>
    None,
}

/// <summary>What to compute the answers for.</summary>
/// <param name="Metric">Quality metric and direction.</param>
/// <param name="Floor">Quality floor in the metric's own units.</param>
/// <param name="By">Grouping.</param>
/// <param name="Engines">Only pipelines whose lossy engine is one of these (null = all).</param>
/// <param name="Anchor">BD-rate anchor engine (its row of the matrix is the headline).</param>
/// <param name="BootstrapSamples">Resamples of GIFs for the confidence intervals.</param>
/// <param name="Seed">Seed of the resampling (fixed: the same database gives the same intervals).</param>
public sealed record AnswersOptions(QualityMetric Metric, double Floor, GroupBy By = GroupBy.ContentType,
                                    IReadOnlySet<Engine>? Engines = null, Engine Anchor = Engine.Gifsicle,
                                    int BootstrapSamples = 1000, int Seed = 20261204)
{
    /// <summary>Confidence level of the intervals (percentile bootstrap).</summary>
    public const double ConfidenceLevel = 0.95;

    /// <summary>Name of the group holding every GIF.</summary>
    public const string AllGroup = "all";

    /// <summary>Name of the group of GIFs without features (no content type).</summary>
    public const string UnknownGroup = "unknown";

    public bool Includes(PipelineFamily family) => Engines is null || (family.Engine is { } e && Engines.Contains(e));
}
