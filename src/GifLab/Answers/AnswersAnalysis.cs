using GifLab.Core.Features;
using GifLab.Core.Model;
using GifLab.Export;
using GifLab.Storage;

namespace GifLab.Answers;

/// <summary>
/// Streams the GIFs of an <see cref="IAnswersReader"/> once and reduces each to what the answers need: per pipeline
/// family its size at the floor (<see cref="IsoQuality"/>), whether it sits on the GIF's size-vs-quality frontier over
/// all families, and the per-engine BD-rates of the lossy curves. Runs are dropped as soon as their GIF is reduced, so
/// memory grows only by one small <see cref="FamilyOutcome"/> per GIF and family (the bootstrap needs them).
/// </summary>
public sealed class AnswersAnalysis
{
    private readonly AnswersOptions _options;
    private readonly double _floor;
    private readonly Dictionary<string, int> _familyIndex = new(StringComparer.Ordinal);
    private readonly List<PipelineFamily> _families = [];
    private readonly List<(string Group, FamilyOutcome[] Families)> _kept = [];
    private readonly BdRateAccumulator _bdRates;
    private readonly QualityCurveAccumulator? _curves;
    private readonly List<GifOutcome> _gallery = [];
    private readonly Dictionary<string, int> _groupGifs = new(StringComparer.Ordinal);
    private long _runs, _points;

    /// <summary>Number of GIFs with the biggest spread kept for the gallery.</summary>
    public const int GallerySize = 8;

    public AnswersAnalysis(AnswersOptions options, bool collectCurves = false)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _floor = options.Metric.Oriented(options.Floor);
        _bdRates = new BdRateAccumulator(options);
        if (collectCurves) _curves = new QualityCurveAccumulator();
    }

    /// <summary>Families in order of first appearance.</summary>
    public IReadOnlyList<PipelineFamily> Families => _families;

    /// <summary>Reads every GIF of the reader, calling <paramref name="onGif"/> with each outcome (runs still attached).</summary>
    public void Read(IAnswersReader reader, CancellationToken ct, Action<GifOutcome>? onGif = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        foreach (var gif in reader.ReadGifs(_options.Metric.Name, ct)) Add(gif, onGif);
    }

    /// <summary>Reduces one GIF.</summary>
    public GifOutcome Add(AnswersGif gif, Action<GifOutcome>? onGif = null)
    {
        ArgumentNullException.ThrowIfNull(gif);
        _runs += gif.Runs.Count;
        var byFamily = new Dictionary<int, List<(double Size, double Quality, int Run)>>();
        for (var i = 0; i < gif.Runs.Count; i++)
        {
            var run = gif.Runs[i];
            if (!run.IsPoint) continue;
            var family = FamilyIndex(run.Pipeline);
            if (family < 0) continue;
            if (!byFamily.TryGetValue(family, out var list)) byFamily[family] = list = [];
            list.Add((run.OutputSizeBytes!.Value, _options.Metric.Oriented(run.Quality!.Value), i));
            _points++;
        }

        // The GIF's frontier over every family. A family is on it when it alone produced one of the frontier points:
        // a point several families produce identically (typically the unchanged or lossless output, which every
        // engine's mildest setting reproduces) would otherwise put all of them on every GIF's frontier.
        var all = IsoQuality.Frontier(byFamily.Values.SelectMany(l => l.Select(p => (p.Size, p.Quality))));
        var owners = new Dictionary<(double, double), int>(all.Count);
        foreach (var point in all) owners[point] = -1;
        foreach (var (family, points) in byFamily)
            foreach (var p in points)
                if (owners.TryGetValue((p.Size, p.Quality), out var owner) && owner != family)
                    owners[(p.Size, p.Quality)] = owner == -1 ? family : -2;
        var outcomes = new FamilyOutcome[_families.Count];
        foreach (var (family, points) in byFamily)
        {
            var frontier = IsoQuality.Frontier(points.Select(p => (p.Size, p.Quality)));
            var best = -1;
            foreach (var p in points)
                if (p.Quality >= _floor && (best < 0 || p.Size < gif.Runs[best].OutputSizeBytes!.Value)) best = p.Run;
            outcomes[family] = new FamilyOutcome(points.Count, IsoQuality.SizeAt(frontier, _floor),
                owners.ContainsValue(family), best);
            _curves?.Add(GroupOf(gif), family, frontier, gif.FileSizeBytes);
        }
        var group = GroupOf(gif);
        var outcome = new GifOutcome(gif, group, outcomes);
        _kept.Add((group, outcomes));
        _groupGifs[group] = _groupGifs.GetValueOrDefault(group) + 1;
        _bdRates.Add(group, gif);
        KeepForGallery(outcome);
        onGif?.Invoke(outcome);
        return outcome;
    }

    private string GroupOf(AnswersGif gif) => gif.ContentType is { } t ? t.Name() : AnswersOptions.UnknownGroup;

    private int FamilyIndex(string pipeline)
    {
        if (_familyIndex.TryGetValue(pipeline, out var index)) return index;
        var family = PipelineFamily.Of(pipeline);
        if (!_options.Includes(family))
        {
            _familyIndex[pipeline] = -1;
            return -1;
        }
        _familyIndex[pipeline] = index = _families.Count;
        _families.Add(family);
        return index;
    }

    private void KeepForGallery(GifOutcome outcome)
    {
        if (outcome.Spread is not { } spread) return;
        if (_gallery.Count == GallerySize && spread <= _gallery[^1].Spread) return;
        _gallery.Add(outcome);
        _gallery.Sort(static (a, b) => b.Spread!.Value.CompareTo(a.Spread!.Value));
        if (_gallery.Count > GallerySize) _gallery.RemoveAt(_gallery.Count - 1);
    }

    /// <summary>Computes the leaderboards, the BD-rate matrices and (when collected) the quality curves.</summary>
    public AnswersResult Finish(CancellationToken ct)
    {
        var groups = new List<string> { AnswersOptions.AllGroup };
        if (_options.By == GroupBy.ContentType)
        {
            groups.AddRange(ContentTypes.All.Select(t => t.Name()).Where(_groupGifs.ContainsKey));
            if (_groupGifs.ContainsKey(AnswersOptions.UnknownGroup)) groups.Add(AnswersOptions.UnknownGroup);
        }
        var boards = new List<Leaderboard>();
        foreach (var group in groups)
        {
            ct.ThrowIfCancellationRequested();
            var members = group == AnswersOptions.AllGroup ? _kept.Select(k => k.Families).ToList()
                : _kept.Where(k => k.Group == group).Select(k => k.Families).ToList();
            boards.Add(Leaderboard.Compute(group, members, _families, _options));
        }
        return new AnswersResult(_options, _kept.Count, _runs, _points, _families.ToList(), boards,
            groups.Select(g => _bdRates.Matrix(g)).ToList(), _gallery.ToList(),
            _curves?.Build(groups, _families, _options) ?? []);
    }
}
