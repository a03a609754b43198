using GifLab.Core.Model;

namespace GifLab.Core.Curves;

/// <summary>
/// Builds CompressionCurveV1 values from stored runs of one GIF. Pure: the caller streams the GIF's runs in and
/// supplies the failure reasons it knows. A point is measured when its run is valid with a non-empty output;
/// every grid point that is not measured is listed in <see cref="CompressionCurve.Missing"/> with a reason.
/// Runs at x-values outside the grid (custom <c>--levels</c>) become points too, but have no reference KiB field.
/// </summary>
public sealed class CurveBuilder
{
    private readonly string _gifSha;
    private readonly long _originalSizeBytes;
    private readonly CurveSpec _spec;
    private readonly CurveType _type;
    private readonly Dictionary<int, CurvePoint> _points = new();
    private readonly Dictionary<int, string> _unmeasured = new();

    /// <param name="gifSha">SHA-256 of the source GIF.</param>
    /// <param name="originalSizeBytes">Source size, used for the ratio when a run has none stored.</param>
    /// <param name="spec">The engine's curve pipelines.</param>
    /// <param name="type">Which curve.</param>
    public CurveBuilder(string gifSha, long originalSizeBytes, CurveSpec spec, CurveType type)
    {
        ArgumentNullException.ThrowIfNull(gifSha);
        ArgumentNullException.ThrowIfNull(spec);
        _gifSha = gifSha;
        _originalSizeBytes = originalSizeBytes;
        _spec = spec;
        _type = type;
    }

    /// <summary>True when the engine has a curve of this type at all (gifski has no colour curve).</summary>
    public bool Applies => _spec.PipelineOf(_type) is not null;

    /// <summary>Number of stored runs (any status) seen on this curve.</summary>
    public int RunsSeen { get; private set; }

    /// <summary>Offers a run; runs of other pipelines or presets are ignored. Returns true when the run belongs to the curve.</summary>
    /// <param name="run">The run.</param>
    /// <param name="failureReason">The recorded failure for this run key, if any (used when the run is not measured).</param>
    public bool Add(in CurveRun run, string? failureReason = null)
    {
        if (!_spec.Contains(_type, run)) return false;
        RunsSeen++;
        var x = CurveSpec.XOf(_type, run);
        if (run.IsMeasured)
        {
            var bytes = run.OutputSizeBytes!.Value;
            var ratio = run.CompressionRatio ?? (_originalSizeBytes > 0 ? (double)_originalSizeBytes / bytes : null);
            _points[x] = new CurvePoint(x, bytes / 1024.0, bytes, ratio, run.CompositeScore, run.Ssim);
            _unmeasured.Remove(x);
        }
        else if (!_points.ContainsKey(x))
        {
            _unmeasured[x] = failureReason ?? (run.ValidationStatus == "valid" ? "empty output" : $"validation_status={run.ValidationStatus}");
        }
        return true;
    }

    /// <summary>The curve (null when <see cref="Applies"/> is false).</summary>
    /// <param name="createdAt">Timestamp written as <c>created_at</c>.</param>
    /// <param name="failureReasons">Reasons for grid points that have no run at all (a failure with no run row), by x.</param>
    public CompressionCurve? Build(DateTimeOffset createdAt, Func<int, string?>? failureReasons = null)
    {
        if (!Applies) return null;
        var missing = new List<MissingPoint>();
        foreach (var x in _type.Grid())
        {
            if (_points.ContainsKey(x)) continue;
            missing.Add(new MissingPoint(x, _unmeasured.GetValueOrDefault(x) ?? failureReasons?.Invoke(x) ?? "not run"));
        }
        foreach (var (x, reason) in _unmeasured)
            if (!ContainsGrid(x)) missing.Add(new MissingPoint(x, reason));
        var points = new List<CurvePoint>(_points.Values);
        points.Sort((a, b) => _type.SortKey(a.X).CompareTo(_type.SortKey(b.X)));
        missing.Sort((a, b) => _type.SortKey(a.X).CompareTo(_type.SortKey(b.X)));
        return new CompressionCurve(_gifSha, _spec.Engine, _type, points, missing, createdAt);
    }

    private bool ContainsGrid(int x)
    {
        foreach (var g in _type.Grid()) if (g == x) return true;
        return false;
    }

    /// <summary>Builds both curves of every spec from a list of runs (convenience for small inputs and tests).</summary>
    public static IReadOnlyList<CompressionCurve> BuildAll(string gifSha, long originalSizeBytes, IEnumerable<CurveSpec> specs,
        IReadOnlyList<CurveRun> runs, IReadOnlyDictionary<PresetKey, string>? failures, DateTimeOffset createdAt)
    {
        var result = new List<CompressionCurve>();
        foreach (var spec in specs)
        foreach (var type in (CurveType[])[CurveType.Lossy, CurveType.Colors])
        {
            var b = new CurveBuilder(gifSha, originalSizeBytes, spec, type);
            if (!b.Applies) continue;
            foreach (var r in runs) b.Add(r, failures?.GetValueOrDefault(r.Key));
            var pipeline = spec.PipelineOf(type)!;
            var curve = b.Build(createdAt, x => failures?.GetValueOrDefault(type == CurveType.Lossy
                ? new PresetKey(pipeline, x, 256, 1.0) : new PresetKey(pipeline, 0, x, 1.0)));
            if (b.RunsSeen > 0 || curve!.Missing.Any(m => m.Reason != "not run")) result.Add(curve!);
        }
        return result;
    }
}
