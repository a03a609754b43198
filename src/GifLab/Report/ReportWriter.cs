using System.Diagnostics;
using System.Globalization;
using System.Text;
using GifLab.Answers;
using GifLab.Core.Decoding;
using GifLab.Core.Features;
using GifLab.Core.Model;
using GifLab.Engines;
using GifLab.Storage;

namespace GifLab.Report;

/// <summary>What a report run produced.</summary>
public sealed record ReportSummary(string IndexPath, long Gifs, int GifPages, int GalleryOutputs, IReadOnlyList<string> Notes, TimeSpan Elapsed);

/// <summary>
/// Writes the static report: <c>index.html</c> (dataset summary, content types with a contact sheet, size-vs-quality
/// curves per content type, leaderboards, BD-rate matrix, Pareto-frequency chart, failures, gallery, GIF index),
/// one page per GIF under <c>gifs/</c>, and the GIF files it shows under <c>media/</c>. Charts are inline SVG and there
/// is no script, so the report opens offline in any browser.
/// <para>
/// Gallery outputs: run outputs are deleted after measurement, so the best-at-floor output of each gallery GIF is
/// re-created from the stored pipeline and preset with the same engine code (<see cref="PipelineExecutor"/>), and its
/// size is shown next to the stored one (they match when the engine is deterministic and unchanged). Storing every
/// output instead would keep 59 files per GIF to show eight.
/// </para>
/// </summary>
public sealed class ReportWriter(IAnswersReader reader, ReportOptions options, PipelineExecutor? executor)
{
    private static readonly string[] Palette =
        ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac", "#1f77b4", "#8c564b"];

    private readonly List<string> _notes = [];
    private readonly List<(long Id, string Name, string Group, long Bytes, int? Frames, string? Best, double? Spread)> _index = [];
    private readonly Dictionary<string, List<(string Media, string Name, long Bytes)>> _contact = new(StringComparer.Ordinal);

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static string Esc(string s) => SvgChart.Esc(s);

    public async Task<ReportSummary> WriteAsync(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var dir = Path.GetFullPath(options.OutDir);
        var gifsDir = Path.Combine(dir, "gifs");
        var mediaDir = Path.Combine(dir, "media");
        Directory.CreateDirectory(dir);
        foreach (var sub in new[] { gifsDir, mediaDir })
        {
            if (Directory.Exists(sub))
                foreach (var f in Directory.EnumerateFiles(sub).Where(f => f.EndsWith(".html", StringComparison.Ordinal) || f.EndsWith(".gif", StringComparison.Ordinal)))
                    File.Delete(f);
            Directory.CreateDirectory(sub);
        }

        var analysis = new AnswersAnalysis(options.Answers, collectCurves: true);
        var pages = 0;
        analysis.Read(reader, ct, outcome =>
        {
            File.WriteAllText(Path.Combine(gifsDir, PageName(outcome.Gif.Id)), GifPage(outcome, analysis.Families));
            pages++;
            var best = BestFamily(outcome, analysis.Families);
            _index.Add((outcome.Gif.Id, outcome.Gif.FileName, outcome.Group, outcome.Gif.FileSizeBytes, outcome.Gif.FrameCount, best, outcome.Spread));
            AddToContactSheet(outcome, mediaDir);
        });
        var result = analysis.Finish(ct);
        var summary = reader.ReadSummary(ct);
        var failures = reader.ReadFailureGroups(ct);
        var gallery = new List<GalleryItem>();
        foreach (var outcome in result.Gallery) gallery.Add(await GalleryItemAsync(outcome, result, mediaDir, ct));

        var index = Path.Combine(dir, "index.html");
        File.WriteAllText(index, IndexPage(result, summary, failures, gallery));
        return new ReportSummary(index, result.Gifs, pages, gallery.Count(g => g.BestMedia is not null), _notes, clock.Elapsed);
    }

    private static string PageName(long id) => Inv($"gif-{id}.html");

    private static string Color(IReadOnlyList<PipelineFamily> families, PipelineFamily family)
    {
        for (var i = 0; i < families.Count; i++)
            if (families[i].Pipeline == family.Pipeline) return Palette[i % Palette.Length];
        return "#666";
    }

    private static string? BestFamily(GifOutcome o, IReadOnlyList<PipelineFamily> families)
    {
        string? best = null;
        double size = double.PositiveInfinity;
        for (var i = 0; i < o.Families.Length; i++)
            if (o.Families[i].SizeAtFloor is { } s && s < size)
            {
                size = s;
                best = families[i].Label;
            }
        return best;
    }

    private void AddToContactSheet(GifOutcome outcome, string mediaDir)
    {
        var gif = outcome.Gif;
        if (!_contact.TryGetValue(outcome.Group, out var list)) _contact[outcome.Group] = list = [];
        if (list.Count >= options.ContactSheetPerType || gif.FilePath is not { } path || gif.FileSizeBytes > options.MaxMediaBytes || !File.Exists(path)) return;
        var name = Inv($"c-{gif.Id}.gif");
        try
        {
            File.Copy(path, Path.Combine(mediaDir, name), overwrite: true);
            list.Add(("media/" + name, gif.FileName, gif.FileSizeBytes));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _notes.Add($"contact sheet: cannot copy {path}: {e.Message}");
        }
    }

    private sealed record GalleryItem(GifOutcome Outcome, string? OriginalMedia, string? BestMedia, string? BestLabel, AnswersRun? BestRun,
                                      long? RecreatedBytes, string? Note, string? WorstLabel, double? WorstSize);

    private async Task<GalleryItem> GalleryItemAsync(GifOutcome o, AnswersResult result, string mediaDir, CancellationToken ct)
    {
        var gif = o.Gif;
        int winner = -1, worst = -1;
        for (var i = 0; i < o.Families.Length; i++)
        {
            if (o.Families[i].SizeAtFloor is not { } s) continue;
            if (winner < 0 || s < o.Families[winner].SizeAtFloor) winner = i;
            if (worst < 0 || s > o.Families[worst].SizeAtFloor) worst = i;
        }
        var bestRunIndex = winner >= 0 ? o.Families[winner].BestRun : -1;
        AnswersRun? bestRun = bestRunIndex >= 0 ? gif.Runs[bestRunIndex] : null;
        string? original = null, best = null, note = null;
        long? recreated = null;
        if (gif.FilePath is not { } path || !File.Exists(path)) note = "original file not found at its stored path";
        else if (gif.FileSizeBytes > options.MaxMediaBytes) note = Inv($"original larger than {options.MaxMediaBytes / 1_000_000} MB: not copied");
        else
        {
            original = Inv($"media/g-{gif.Id}-original.gif");
            File.Copy(path, Path.Combine(mediaDir, Path.GetFileName(original)), overwrite: true);
            if (bestRun is not { } run) note = "no measured run reaches the floor";
            else if (executor is null) note = "outputs not re-created (--no-outputs)";
            else
            {
                var work = Path.Combine(Path.GetTempPath(), $"giflab-report-{Environment.ProcessId}-{gif.Id}");
                try
                {
                    var bytes = await File.ReadAllBytesAsync(path, ct);
                    var source = new SourceGif(path, gif.Sha256, gif.FileSizeBytes, GifDecoder.Decode(bytes));
                    var outcome = await executor.ExecuteAsync(PipelineId.Parse(run.Pipeline), new ParamPreset(run.LossyLevel, run.ColorCount, run.FrameRatio), source, work, ct);
                    best = Inv($"media/g-{gif.Id}-best.gif");
                    File.Copy(outcome.OutputPath, Path.Combine(mediaDir, Path.GetFileName(best)), overwrite: true);
                    recreated = new FileInfo(outcome.OutputPath).Length;
                }
                catch (Exception e) when (e is ToolFailedException or ToolUnavailableException or IOException or GifFormatException or FormatException)
                {
                    note = "could not re-create the output: " + e.Message.Split('\n')[0];
                    _notes.Add($"gallery: {gif.FileName}: {note}");
                }
                finally
                {
                    try { if (Directory.Exists(work)) Directory.Delete(work, recursive: true); }
                    catch (IOException) { }
                }
            }
        }
        return new GalleryItem(o, original, best, winner >= 0 ? result.Families[winner].Label : null, bestRun, recreated, note,
            worst >= 0 ? result.Families[worst].Label : null, worst >= 0 ? o.Families[worst].SizeAtFloor : null);
    }

    private const string Css = """
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
        main{max-width:1240px;margin:0 auto;padding:18px 28px 60px}
        h1{font-size:26px;margin:10px 0 2px}h2{font-size:20px;margin:34px 0 8px;border-bottom:2px solid #dde1e7;padding-bottom:4px}
        h3{font-size:16px;margin:20px 0 6px}
        nav a{margin-right:14px;color:#3a5a8c;text-decoration:none}nav{margin:6px 0 12px;font-size:13px}
        .muted{color:#6b7280;fill:#6b7280}.note{color:#4b5563;font-size:13px;max-width:980px}
        table{border-collapse:collapse;background:#fff;margin:6px 0 12px;font-size:13px;box-shadow:0 1px 2px #0001}
        th,td{padding:4px 9px;border-bottom:1px solid #e5e7eb;text-align:right;white-space:nowrap}
        th{background:#eef1f5;font-weight:600}td.l,th.l{text-align:left}
        td small{color:#6b7280}
        .cards{display:flex;flex-wrap:wrap;gap:10px;margin:8px 0}
        .card{background:#fff;border-radius:6px;padding:10px 14px;box-shadow:0 1px 2px #0002;min-width:120px}
        .card b{display:block;font-size:20px}
        .grid{display:flex;flex-wrap:wrap;gap:14px}
        .chart{background:#fff;border-radius:6px;box-shadow:0 1px 2px #0002}
        .chart .ct{font-size:13px;font-weight:600;fill:#1d2330}.chart .tick{font-size:10px;fill:#555}.chart .al{font-size:11px;fill:#333}
        .chart .lg{font-size:11px;fill:#222}.chart .plot{fill:#fff;stroke:#ccd}.chart .grid{stroke:#eceef2}
        .chart .marker{stroke:#c0392b;stroke-dasharray:4 3}.chart .whisker{stroke:#222;stroke-width:1.4}
        .sheet{display:flex;flex-wrap:wrap;gap:8px;margin:4px 0 14px}
        .sheet figure{margin:0;background:#fff;padding:4px;border-radius:4px;box-shadow:0 1px 2px #0002;width:104px;text-align:center}
        .sheet img{width:96px;height:96px;object-fit:contain;image-rendering:pixelated;background:repeating-conic-gradient(#eee 0 25%,#fff 0 50%) 0 0/12px 12px}
        .sheet figcaption{font-size:10px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
        .pair{display:flex;gap:12px;align-items:flex-start;background:#fff;padding:10px;border-radius:6px;box-shadow:0 1px 2px #0002;margin:10px 0}
        .pair figure{margin:0;text-align:center}.pair img{height:180px;width:auto;max-width:320px;object-fit:contain;image-rendering:pixelated;background:repeating-conic-gradient(#eee 0 25%,#fff 0 50%) 0 0/12px 12px}
        .pair figcaption{font-size:12px}.pair .meta{font-size:12px;max-width:420px}
        .neg{background:#d9f2dc}.pos{background:#f9dcdc}.flag{color:#b45309;font-weight:600}
        details summary{cursor:pointer;color:#3a5a8c;margin:6px 0}
        """;

    private static string Head(string title, string cssPrefix = "") =>
        $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{Esc(title)}</title><style>{Css}</style></head><body><main>";

    private string IndexPage(AnswersResult r, AnswersSummary s, IReadOnlyList<FailureGroup> failures, List<GalleryItem> gallery)
    {
        var o = r.Options;
        var sb = new StringBuilder(Head("GifLab report"));
        var rel = o.Metric.HigherIsBetter ? "≥" : "≤";
        sb.Append(Inv($"<h1>GifLab report</h1><div class=\"muted\">{Esc(reader.Location)} · generated {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC · quality metric <b>{o.Metric.Name}</b>, floor {rel} {o.Floor:G4}</div>"));
        sb.Append("<nav><a href=\"#summary\">Summary</a><a href=\"#types\">Content types</a><a href=\"#curves\">Curves</a><a href=\"#leaderboards\">Leaderboards</a><a href=\"#bdrate\">BD-rate</a><a href=\"#pareto\">Pareto frequency</a><a href=\"#failures\">Failures</a><a href=\"#gallery\">Gallery</a><a href=\"#gifs\">GIFs</a></nav>");

        // Summary.
        sb.Append("<h2 id=\"summary\">Dataset summary</h2><div class=\"cards\">");
        foreach (var (label, value) in new (string, string)[]
                 {
                     ("GIFs", s.Gifs.ToString("N0", CultureInfo.InvariantCulture)), ("with features", s.GifsWithFeatures.ToString("N0", CultureInfo.InvariantCulture)),
                     ("runs", s.Runs.ToString("N0", CultureInfo.InvariantCulture)), ("valid runs", s.ValidRuns.ToString("N0", CultureInfo.InvariantCulture)),
                     ("failures", s.Failures.ToString("N0", CultureInfo.InvariantCulture)), ("pipelines", s.Pipelines.ToString(CultureInfo.InvariantCulture)),
                     ("input size", Bytes(s.InputBytes)), ("usable points", r.Points.ToString("N0", CultureInfo.InvariantCulture)),
                 })
            sb.Append(Inv($"<div class=\"card\"><span class=\"muted\">{label}</span><b>{value}</b></div>"));
        sb.Append("</div>");
        if (s.Tools.Count > 0)
            sb.Append("<div class=\"note\">Engines: " + Esc(string.Join(", ", s.Tools.Select(t => (Family: t.Tool.Split('-')[0], t.Version))
                .DistinctBy(t => t.Family).Select(t => t.Version is null ? t.Family : $"{t.Family} {t.Version}"))) + "</div>");

        // Content types.
        sb.Append("<h2 id=\"types\">Content types</h2>");
        sb.Append("<p class=\"note\">Each GIF gets one type from its stored features alone (ContentTypeClassifier, rules over colour-histogram entropy, palette size, dominant-colour share, colour complexity, edge density and canvas size; docs/content-types.md). Checked on 97 hand-labelled GIFs of the training and real corpora: 70 agree (72 %); text in small banners and small continuous-tone icons are the usual misses. The contact sheet shows the first GIFs of each type, so the classes can be judged by eye.</p>");
        sb.Append("<table><tr><th class=\"l\">type</th><th>GIFs</th></tr>");
        foreach (var g in r.Leaderboards.Where(b => b.Group != AnswersOptions.AllGroup))
            sb.Append(Inv($"<tr><td class=\"l\">{Esc(g.Group)}</td><td>{g.Gifs}</td></tr>"));
        sb.Append("</table>");
        foreach (var (group, list) in _contact.OrderBy(kv => GroupOrder(kv.Key)))
        {
            if (list.Count == 0) continue;
            sb.Append(Inv($"<h3>{Esc(group)}</h3><div class=\"sheet\">"));
            foreach (var (media, name, bytes) in list)
                sb.Append(Inv($"<figure><img src=\"{media}\" alt=\"{Esc(name)}\"><figcaption title=\"{Esc(name)}\">{Esc(name)}</figcaption></figure>"));
            sb.Append("</div>");
        }

        // Curves.
        sb.Append("<h2 id=\"curves\">Size vs quality per content type</h2>");
        sb.Append(Inv($"<p class=\"note\">For each pipeline family: at each quality level, the median (line) and interquartile range (band) over GIFs of the size needed to reach that quality, as a fraction of the original GIF's size, interpolated on each GIF's measured frontier (never extrapolated; a GIF whose curve does not reach a level drops out of it, points with fewer than 3 GIFs, or than all of a small group, are not drawn). Dashed red line: the floor.</p><div class=\"grid\">"));
        var groups = r.Leaderboards.Select(b => b.Group).ToList();
        foreach (var group in groups)
        {
            var chart = new SvgChart($"{group} ({r.Leaderboards.First(b => b.Group == group).Gifs} GIFs)", o.Metric.Name, "size ÷ original (log)", logY: true);
            foreach (var c in r.Curves.Where(c => c.Group == group))
            {
                var color = Color(r.Families, c.Family);
                var xs = c.Points.Select(p => p.Quality).ToArray();
                chart.Band(color, xs, c.Points.Select(p => p.P25).ToArray(), c.Points.Select(p => p.P75).ToArray());
                chart.Line(color, xs, c.Points.Select(p => p.Median).ToArray(), c.Family.Label);
            }
            chart.VerticalMarker(o.Floor, "floor");
            sb.Append(chart.Render());
        }
        sb.Append("</div>");

        // Leaderboards.
        sb.Append("<h2 id=\"leaderboards\">Leaderboards at equal quality</h2>");
        sb.Append("<p class=\"note\">" + Esc(AnswersFormat.Explanation(o)) + "</p>");
        foreach (var b in r.Leaderboards)
        {
            sb.Append(Inv($"<h3>{Esc(b.Group)} <span class=\"muted\">({b.Gifs} GIFs)</span></h3>"));
            sb.Append("<table class=\"leaderboard\"><tr><th>#</th><th class=\"l\">family</th><th>rel. size</th><th>wins</th><th>reach floor</th><th>never</th><th>Pareto freq.</th><th>Pareto #</th><th>GIFs</th></tr>");
            foreach (var row in b.Rows)
                sb.Append(Inv($"<tr><td>{row.Rank}</td><td class=\"l\"><span style=\"color:{Color(r.Families, row.Family)}\">■</span> {Esc(row.Family.Label)}</td><td>{Cell(row.MedianRelativeSize, false)}</td><td>{Cell(row.WinRate, true)}</td><td>{Cell(row.ReachShare, true)}</td><td>{row.NeverReaches}</td><td>{Cell(row.ParetoFrequency, true)}</td><td>{row.ParetoRank}{(row.Disagrees ? " <span class=\"flag\" title=\"iso-quality and Pareto ranks differ by 2+ places\">⚑</span>" : "")}</td><td>{row.Gifs}</td></tr>"));
            sb.Append("</table>");
            if (b.Disagreement is { } d) sb.Append("<div class=\"note\"><span class=\"flag\">⚑</span> " + Esc(d) + "</div>");
        }

        // BD-rate.
        sb.Append("<h2 id=\"bdrate\">BD-rate matrix</h2><p class=\"note\">" + Esc(BdRateMatrix.Method) + " Rows: anchor; columns: test engine. Green: the test engine is smaller at equal quality.</p>");
        foreach (var m in r.BdRates.Where(m => m.Cells.Count > 0))
        {
            sb.Append(Inv($"<h3>{Esc(m.Group)}</h3><table class=\"bdrate\"><tr><th class=\"l\">anchor \\ test</th>"));
            foreach (var e in m.Engines) sb.Append(Inv($"<th>{e.Name()}</th>"));
            sb.Append("</tr>");
            foreach (var a in m.Engines)
            {
                sb.Append(Inv($"<tr><td class=\"l\">{a.Name()}</td>"));
                foreach (var t in m.Engines)
                {
                    if (a == t) { sb.Append("<td class=\"muted\">—</td>"); continue; }
                    var c = m.Cell(a, t);
                    if (c?.Median.Value is not { } v)
                    {
                        sb.Append(Inv($"<td class=\"muted\" title=\"{Esc(c?.MainReason ?? "no GIF with both curves")}\">null<br><small>{Esc(c?.MainReason ?? "no GIF with both curves")}</small></td>"));
                        continue;
                    }
                    sb.Append(Inv($"<td class=\"{(v < 0 ? "neg" : "pos")}\">{v * 100:+0.0;-0.0}%<br><small>[{c.Median.Low * 100:+0;-0;0}…{c.Median.High * 100:+0;-0;0}] n={c.Gifs}{(c.Undefined.Count > 0 ? Inv($", {c.Undefined.Values.Sum()} null") : "")}</small></td>"));
                }
                sb.Append("</tr>");
            }
            sb.Append("</table>");
        }

        // Pareto frequency.
        sb.Append("<h2 id=\"pareto\">Pareto frequency</h2><p class=\"note\">Share of GIFs on which the family alone produced a point of the size-vs-quality frontier over all families (no floor and no exchange rate between size and quality involved), with its bootstrap 95 % interval. ⚑ marks a family whose Pareto rank differs from its iso-quality rank by two places or more.</p><div class=\"grid\">");
        foreach (var b in r.Leaderboards)
        {
            var rows = b.Rows.OrderBy(x => x.ParetoRank)
                .Select(x => (x.Family.Label, Color(r.Families, x.Family), x.ParetoFrequency.Value ?? 0, x.ParetoFrequency.Low, x.ParetoFrequency.High, x.Disagrees)).ToList();
            sb.Append(SvgChart.Bars(Inv($"{b.Group} ({b.Gifs} GIFs)"), rows));
        }
        sb.Append("</div>");

        // Failures.
        sb.Append("<h2 id=\"failures\">Failures</h2>");
        if (failures.Count == 0) sb.Append("<p class=\"note\">No failures recorded.</p>");
        else
        {
            sb.Append(Inv($"<p class=\"note\">{failures.Sum(f => f.Count)} failure rows, by pipeline and error type (file-level failures under “(file)”).</p><table class=\"failures\"><tr><th class=\"l\">pipeline</th><th class=\"l\">error type</th><th>count</th><th class=\"l\">example message</th></tr>"));
            foreach (var f in failures.Take(60))
                sb.Append(Inv($"<tr><td class=\"l\">{Esc(PipelineFamily.Of(f.Pipeline).Label)}</td><td class=\"l\">{Esc(f.ErrorType)}</td><td>{f.Count}</td><td class=\"l\" style=\"white-space:normal;max-width:560px\">{Esc(Short(f.ExampleMessage, 220))}</td></tr>"));
            sb.Append("</table>");
        }

        // Gallery.
        sb.Append("<h2 id=\"gallery\">Where the engine matters most</h2>");
        sb.Append(Inv($"<p class=\"note\">The GIFs with the largest ratio between the largest and the smallest size at the floor across families. Left: the original; right: the winning family's smallest measured output at or above the floor, re-created now from its stored pipeline and preset (run outputs are not kept).</p>"));
        if (gallery.Count == 0) sb.Append("<p class=\"note\">No GIF has two families reaching the floor.</p>");
        foreach (var g in gallery)
        {
            var gif = g.Outcome.Gif;
            sb.Append("<div class=\"pair\">");
            if (g.OriginalMedia is not null)
                sb.Append(Inv($"<figure><img src=\"{g.OriginalMedia}\" alt=\"original {Esc(gif.FileName)}\"><figcaption>original · {Bytes(gif.FileSizeBytes)}</figcaption></figure>"));
            if (g.BestMedia is not null)
                sb.Append(Inv($"<figure><img src=\"{g.BestMedia}\" alt=\"best at floor {Esc(gif.FileName)}\"><figcaption>{Esc(g.BestLabel ?? "")} · {Bytes(g.RecreatedBytes ?? 0)}</figcaption></figure>"));
            sb.Append(Inv($"<div class=\"meta\"><b><a href=\"gifs/{PageName(gif.Id)}\">{Esc(gif.FileName)}</a></b> <span class=\"muted\">({Esc(g.Outcome.Group)})</span><br>"));
            sb.Append(Inv($"size at the floor: best {Esc(g.BestLabel ?? "?")} {Bytes((long)(g.Outcome.Best ?? 0))}, worst {Esc(g.WorstLabel ?? "?")} {Bytes((long)(g.WorstSize ?? 0))} (×{g.Outcome.Spread:0.0})<br>"));
            if (g.BestRun is { } run)
                sb.Append(Inv($"shown output: lossy {run.LossyLevel}, {run.ColorCount} colours, frame ratio {run.FrameRatio:0.##}; {o.Metric.Name} {run.Quality:0.###}; stored size {Bytes(run.OutputSizeBytes ?? 0)}{(g.RecreatedBytes is { } rb ? $", re-created {Bytes(rb)}" : "")}<br>"));
            if (g.Note is not null) sb.Append("<span class=\"muted\">" + Esc(g.Note) + "</span>");
            sb.Append("</div></div>");
        }

        // GIF index.
        sb.Append(Inv($"<h2 id=\"gifs\">GIFs</h2><details><summary>All {_index.Count} GIFs with their own page (curves of every family)</summary><table class=\"gifindex\"><tr><th class=\"l\">GIF</th><th class=\"l\">type</th><th>size</th><th>frames</th><th class=\"l\">best at floor</th><th>spread</th></tr>"));
        foreach (var (id, name, group, bytes, frames, best, spread) in _index)
            sb.Append(Inv($"<tr><td class=\"l\"><a href=\"gifs/{PageName(id)}\">{Esc(Short(name, 60))}</a></td><td class=\"l\">{Esc(group)}</td><td>{Bytes(bytes)}</td><td>{frames}</td><td class=\"l\">{Esc(best ?? "never reaches")}</td><td>{(spread is { } sp ? sp.ToString("0.00", CultureInfo.InvariantCulture) : "")}</td></tr>"));
        sb.Append("</table></details>");
        sb.Append("<p class=\"muted\">Generated by <code>giflab report</code>. Static and offline: inline SVG, no scripts.</p></main></body></html>");
        return sb.ToString();
    }

    private static int GroupOrder(string group)
    {
        for (var i = 0; i < ContentTypes.All.Count; i++)
            if (ContentTypes.All[i].Name() == group) return i;
        return 99;
    }

    private static string Cell(Estimate e, bool share)
    {
        if (e.Value is not { } v) return "—";
        string F(double? x) => x is not { } d ? "?" : double.IsPositiveInfinity(d) ? "∞" : share ? (d * 100).ToString("0", CultureInfo.InvariantCulture) : d.ToString("0.00", CultureInfo.InvariantCulture);
        return $"{F(v)}{(share ? "%" : "")} <small>[{F(e.Low)}–{F(e.High)}]</small>";
    }

    private static string Short(string s, int n) => s.Length <= n ? s : s[..(n - 1)] + "…";

    private static string Bytes(long b) => b >= 1_000_000 ? (b / 1e6).ToString("0.0", CultureInfo.InvariantCulture) + " MB"
        : b >= 1000 ? (b / 1e3).ToString("0.0", CultureInfo.InvariantCulture) + " kB" : b.ToString(CultureInfo.InvariantCulture) + " B";

    private string GifPage(GifOutcome o, IReadOnlyList<PipelineFamily> families)
    {
        var gif = o.Gif;
        var m = options.Answers.Metric;
        var sb = new StringBuilder(Head(gif.FileName));
        sb.Append(Inv($"<nav><a href=\"../index.html\">← report</a></nav><h1>{Esc(gif.FileName)}</h1>"));
        sb.Append(Inv($"<div class=\"muted\">{Esc(o.Group)} · {gif.Width}×{gif.Height} · {gif.FrameCount} frames · {Bytes(gif.FileSizeBytes)} · sha256 {gif.Sha256[..16]}…</div>"));
        var chart = new SvgChart("Every measured run: size vs " + m.Name, m.Name, "output size, bytes (log)", logY: true, width: 760, height: 420);
        var rows = new StringBuilder();
        for (var i = 0; i < families.Count; i++)
        {
            var f = families[i];
            var points = gif.Runs.Where(r => r.Pipeline == f.Pipeline && r.IsPoint).OrderBy(r => r.Quality).ToList();
            if (points.Count == 0) continue;
            var color = Color(families, f);
            chart.Line(color, points.Select(p => p.Quality!.Value).ToArray(), points.Select(p => (double)p.OutputSizeBytes!.Value).ToArray(), f.Label, markers: true);
            var fo = o.Family(i);
            rows.Append(Inv($"<tr><td class=\"l\"><span style=\"color:{color}\">■</span> {Esc(f.Label)}</td><td>{points.Count}</td><td>{(fo.SizeAtFloor is { } s ? Bytes((long)s) : "never")}</td><td>{(fo.SizeAtFloor is { } s2 && o.Best is { } b ? (s2 / b).ToString("0.00", CultureInfo.InvariantCulture) : "")}</td><td>{(fo.OnFrontier ? "yes" : "")}</td></tr>"));
        }
        chart.VerticalMarker(options.Answers.Floor, "floor");
        sb.Append("<p>" + chart.Render() + "</p>");
        sb.Append(Inv($"<table><tr><th class=\"l\">family</th><th>points</th><th>size at {m.Name} {(m.HigherIsBetter ? "≥" : "≤")} {options.Answers.Floor:G4}</th><th>÷ best</th><th>on frontier alone</th></tr>{rows}</table>"));
        var invalid = gif.Runs.Count(r => r.ValidationStatus != "valid");
        if (invalid > 0) sb.Append(Inv($"<p class=\"note\">{invalid} run(s) not valid (corrupted or error) are left out.</p>"));
        sb.Append("</main></body></html>");
        return sb.ToString();
    }
}
