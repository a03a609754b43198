using GifLab.Core.Curves;
namespace GifLab.Modeling;

/// <summary>
/// Held-out accuracy of one target over a set of GIFs. For size: <see cref="Overall"/> is the MAPE in percent over every
/// (GIF, point) pair, |predicted − actual| ÷ actual in bytes (the reference's definition, §5), and
/// <see cref="WithinShare"/> is the share of GIFs whose every measured point is within the curve's threshold
/// (15 % lossy, 20 % colours). For quality targets <see cref="Overall"/> is the mean absolute error.
/// </summary>
public sealed record CurveAccuracy(
    string Metric, int Gifs, int Points, double Overall, IReadOnlyDictionary<int, double> PerPoint,
    double? WithinShare, double? ThresholdPercent)
{
    /// <summary>The issue-#15 goal threshold: share of GIFs whose every point is within 15 % on either curve.</summary>
    public const double GoalThresholdPercent = 15;

    /// <summary>Share of GIFs whose every point is within <see cref="GoalThresholdPercent"/> (size only).</summary>
    public double? Within15Share { get; init; }

    public const string MapePercent = "mape_percent";
    public const string Mae = "mae";

    /// <summary>Accumulates errors GIF by GIF.</summary>
    internal sealed class Builder(PredictionTarget target, CurveType curve)
    {
        private readonly Dictionary<int, (double Sum, int Count)> _perPoint = [];
        private double _sum;
        private int _points, _gifs, _within, _within15;

        /// <summary>Adds one GIF: predicted values by position (size as log ratio), compared with its measured points.</summary>
        public void Add(GifCurve gif, IReadOnlyDictionary<int, double> predicted)
        {
            var any = false;
            var allWithin = true;
            var allWithin15 = true;
            foreach (var p in gif.Points)
            {
                if (p.Target(target, gif.SizeBaseBytes) is not { } actual || !predicted.TryGetValue(p.Position, out var pred)) continue;
                double error;
                if (target == PredictionTarget.Size)
                {
                    var actualBytes = (double)p.OutputSizeBytes;
                    var predBytes = gif.SizeBaseBytes * Math.Exp(pred);
                    error = 100.0 * Math.Abs(predBytes - actualBytes) / (actualBytes + 1e-10);
                    if (error > curve.WithinThresholdPercent()) allWithin = false;
                    if (error > GoalThresholdPercent) allWithin15 = false;
                }
                else
                {
                    error = Math.Abs(pred - actual);
                }
                any = true;
                _sum += error;
                _points++;
                var (s, c) = _perPoint.GetValueOrDefault(p.Position);
                _perPoint[p.Position] = (s + error, c + 1);
            }
            if (!any) return;
            _gifs++;
            if (allWithin) _within++;
            if (allWithin15) _within15++;
        }

        public CurveAccuracy? Build()
        {
            if (_points == 0) return null;
            var perPoint = curve.InCompressionOrder(_perPoint.Keys).ToDictionary(k => k, k => _perPoint[k].Sum / _perPoint[k].Count);
            var size = target == PredictionTarget.Size;
            return new CurveAccuracy(size ? MapePercent : Mae, _gifs, _points, _sum / _points, perPoint,
                size ? (double)_within / _gifs : null, size ? curve.WithinThresholdPercent() : null)
            {
                Within15Share = size ? (double)_within15 / _gifs : null,
            };
        }
    }
}
