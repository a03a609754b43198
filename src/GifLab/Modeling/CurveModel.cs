using GifLab.Core.Curves;
using GifLab.Core.Model;

namespace GifLab.Modeling;

/// <summary>The predictor of one target along a curve: a shared (features + position) model or one model per position.</summary>
internal sealed class TargetModel
{
    private readonly GbmRegressor? _shared;
    private readonly IReadOnlyDictionary<int, GbmRegressor>? _perPoint;
    private readonly float[] _buffer;

    private TargetModel(PredictionTarget target, ModelStructure structure, GbmRegressor? shared, IReadOnlyDictionary<int, GbmRegressor>? perPoint,
                        int featureCount, double? clampMin, double? clampMax)
    {
        Target = target;
        Structure = structure;
        _shared = shared;
        _perPoint = perPoint;
        _buffer = new float[featureCount + 1];
        ClampMin = clampMin;
        ClampMax = clampMax;
    }

    public PredictionTarget Target { get; }
    public ModelStructure Structure { get; }
    /// <summary>Quality predictions are clamped to the range seen in training (null for size).</summary>
    public double? ClampMin { get; }
    public double? ClampMax { get; }

    /// <summary>
    /// Size only: positions a GIF's palette saturates predict one size (<see cref="PaletteSaturation.Tie"/>, after the
    /// monotone step; a contiguous block of a non-increasing curve stays non-increasing). Null: none.
    /// </summary>
    public PaletteSaturation? Saturation { get; init; }

    /// <summary>This model with <paramref name="saturation"/> applied to its size curves.</summary>
    public TargetModel WithSaturation(PaletteSaturation? saturation) => Target != PredictionTarget.Size || saturation is null ? this
        : new TargetModel(Target, Structure, _shared, _perPoint, _buffer.Length - 1, ClampMin, ClampMax) { Saturation = saturation };

    public GbmRegressor? Shared => _shared;
    public IReadOnlyDictionary<int, GbmRegressor>? PerPoint => _perPoint;

    public static TargetModel CreateShared(PredictionTarget target, GbmRegressor model, int featureCount, double? min, double? max) =>
        new(target, ModelStructure.Shared, model, null, featureCount, min, max);

    public static TargetModel CreatePerPoint(PredictionTarget target, IReadOnlyDictionary<int, GbmRegressor> models, int featureCount, double? min, double? max) =>
        new(target, ModelStructure.PerPoint, null, models, featureCount, min, max);

    /// <summary>
    /// The curve at <paramref name="positions"/> (compression order): raw predictions made non-increasing
    /// (<see cref="MonotoneCurve"/>), saturated palette positions tied (<see cref="Saturation"/>), then quality clamped. Size values are log(output ÷ original).
    /// </summary>
    public double[] PredictCurve(ReadOnlySpan<float> features, IReadOnlyList<int> positions)
    {
        var values = new double[positions.Count];
        features.CopyTo(_buffer);
        for (var i = 0; i < values.Length; i++)
        {
            if (_shared is not null)
            {
                _buffer[features.Length] = positions[i];
                values[i] = _shared.Predict(_buffer);
            }
            else
            {
                values[i] = _perPoint!.TryGetValue(positions[i], out var m) ? m.Predict(features) : double.NaN;
            }
        }
        MonotoneCurve.MakeNonIncreasing(values);
        Saturation?.Tie(features, positions, values);
        if (ClampMin is { } lo && ClampMax is { } hi)
            for (var i = 0; i < values.Length; i++)
                if (!double.IsNaN(values[i])) values[i] = Math.Clamp(values[i], lo, hi);
        return values;
    }

    public Dictionary<int, double> PredictByPosition(ReadOnlySpan<float> features, IReadOnlyList<int> positions)
    {
        var values = PredictCurve(features, positions);
        var map = new Dictionary<int, double>(positions.Count);
        for (var i = 0; i < values.Length; i++)
            if (!double.IsNaN(values[i])) map[positions[i]] = values[i];
        return map;
    }
}

/// <summary>The models of one (engine, curve type): one <see cref="TargetModel"/> per trained target.</summary>
internal sealed class CurveModel(Engine engine, CurveType curve, IReadOnlyList<int> positions, IReadOnlyDictionary<PredictionTarget, TargetModel> targets)
{
    public Engine Engine { get; } = engine;
    public CurveType Curve { get; } = curve;
    /// <summary>Positions in compression order.</summary>
    public IReadOnlyList<int> Positions { get; } = positions;
    public IReadOnlyDictionary<PredictionTarget, TargetModel> Targets { get; } = targets;
}
