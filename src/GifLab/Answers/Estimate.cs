namespace GifLab.Answers;

/// <summary>A statistic over GIFs with its percentile-bootstrap confidence interval; null when no GIF qualifies.
/// Values may be +∞ (a median of relative sizes where most GIFs never reach the floor).</summary>
public readonly record struct Estimate(double? Value, double? Low, double? High)
{
    public static Estimate None => new(null, null, null);
}
