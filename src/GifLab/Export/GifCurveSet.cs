using GifLab.Core.Curves;
using GifLab.Core.Model;
using GifLab.Storage;

namespace GifLab.Export;

/// <summary>
/// Collects, while one GIF's runs stream past, what its curves and Pareto frontiers need: two curve builders per
/// engine and a small (size, quality, preset) tuple per valid run. Metrics JSON is not kept.
/// </summary>
internal sealed class GifCurveSet
{
    private readonly DatasetGif _gif;
    private readonly IReadOnlyDictionary<PresetKey, string> _failures;
    private readonly Dictionary<Engine, (CurveBuilder Lossy, CurveBuilder Colors, CurveSpec Spec)> _builders = new();
    private readonly Dictionary<Engine, List<ParetoCandidate>> _candidates = new();

    public GifCurveSet(DatasetGif gif, IReadOnlyDictionary<PresetKey, string> failures)
    {
        _gif = gif;
        _failures = failures;
        foreach (var spec in EngineCurves.Specs)
            _builders[spec.Engine] = (new CurveBuilder(gif.Sha256, gif.FileSizeBytes, spec, CurveType.Lossy),
                                      new CurveBuilder(gif.Sha256, gif.FileSizeBytes, spec, CurveType.Colors), spec);
    }

    /// <summary>Offers one run of engine <paramref name="engine"/> with its composite score, SSIM and frontier quality.</summary>
    public void Add(Engine engine, DatasetRun run, double? composite, double? ssim, double? quality)
    {
        var curveRun = new CurveRun(run.Pipeline, run.LossyLevel, run.ColorCount, run.FrameRatio, run.OutputSizeBytes,
            run.CompressionRatio, run.ValidationStatus, composite, ssim);
        var failure = _failures.GetValueOrDefault(run.Key);
        var (lossy, colors, _) = _builders[engine];
        lossy.Add(curveRun, failure);
        colors.Add(curveRun, failure);
        if (curveRun.IsMeasured && quality is { } q && double.IsFinite(q))
        {
            if (!_candidates.TryGetValue(engine, out var list)) _candidates[engine] = list = [];
            list.Add(new ParetoCandidate(run.Pipeline, run.LossyLevel, run.ColorCount, run.FrameRatio, run.OutputSizeBytes!.Value, q));
        }
    }

    /// <summary>The engine's curve of a type, or null when the engine has no such curve or no run on it.</summary>
    public CompressionCurve? Curve(Engine engine, CurveType type, DateTimeOffset createdAt)
    {
        var (lossy, colors, spec) = _builders[engine];
        var builder = type == CurveType.Lossy ? lossy : colors;
        if (builder.RunsSeen == 0) return null;
        var pipeline = spec.PipelineOf(type)!;
        return builder.Build(createdAt, x => _failures.GetValueOrDefault(type == CurveType.Lossy
            ? new PresetKey(pipeline, x, 256, 1.0) : new PresetKey(pipeline, 0, x, 1.0)));
    }

    /// <summary>The engine's frontier over all its valid runs with a quality value (any pipeline, any preset).</summary>
    public IReadOnlyList<ParetoCandidate> Frontier(Engine engine)
    {
        if (!_candidates.TryGetValue(engine, out var list)) return [];
        var points = new ParetoPoint[list.Count];
        for (var i = 0; i < list.Count; i++) points[i] = new ParetoPoint(list[i].OutputSizeBytes, list[i].Quality, i);
        return ParetoFrontier.Compute(points).Select(p => list[p.Index]).ToList();
    }

    public string Sha => _gif.Sha256;
}

/// <summary>A valid run reduced to what a frontier needs.</summary>
internal sealed record ParetoCandidate(string Pipeline, int LossyLevel, int ColorCount, double FrameRatio, long OutputSizeBytes, double Quality);
