using System.Text.Json.Nodes;
using GifLab.Answers;
using GifLab.Engines;
using GifLab.Report;
using GifLab.Storage.Sqlite;
using GifLab.Tests.Answers;
using GifLab.Tests.Engines;
using Xunit.Abstractions;

namespace GifLab.Tests.Report;

/// <summary>
/// The report opened in a real browser (headless Chromium over the DevTools protocol): tables present and non-empty,
/// every image loaded, no console error, nothing fetched from the network; a screenshot is saved
/// (path printed; also copied into $GIFLAB_SCREENSHOT_DIR when set). Skips, saying why, only when Chromium is missing.
/// </summary>
public sealed class ReportBrowserTests(ITestOutputHelper output)
{
    private const string DomCheck = """
        (() => {
          const tables = [...document.querySelectorAll('table')];
          const imgs = [...document.images];
          const refs = [...document.querySelectorAll('[src],[href]')].map(e => e.getAttribute('src') || e.getAttribute('href'));
          return {
            tables: tables.length,
            emptyTables: tables.filter(t => t.querySelectorAll('tr').length < 2).map(t => t.className || '(unnamed)'),
            leaderboards: document.querySelectorAll('table.leaderboard').length,
            bdrate: document.querySelectorAll('table.bdrate').length,
            images: imgs.length,
            broken: imgs.filter(i => !i.complete || i.naturalWidth === 0).map(i => i.getAttribute('src')),
            charts: document.querySelectorAll('svg.chart').length,
            external: refs.filter(u => /^(https?:|\/\/|data:text)/.test(u)),
            gifLinks: document.querySelectorAll('a[href^="gifs/"]').length,
            sections: [...document.querySelectorAll('h2[id]')].map(h => h.id),
          };
        })()
        """;

    [Fact]
    public async Task Report_OpensInChromium_TablesFilled_ImagesLoad_NoConsoleErrors()
    {
        var chromium = HeadlessChromium.Find(out var reason);
        if (chromium is null)
        {
            output.WriteLine("SKIPPED: " + reason);
            return;
        }
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ct = cts.Token;
        using var dir = TestEnvironment.NewTempDir();
        var db = await AnswersTestDb.CreateAsync(Path.Combine(dir.Path, "a.db"), 40);
        var settings = EngineSettings.Default;
        var executor = new PipelineExecutor(await EngineCatalog.ProbeAsync(settings, ct), settings);
        var outDir = Path.Combine(dir.Path, "report");
        ReportSummary summary;
        using (var reader = new SqliteAnswersReader(db))
            summary = await new ReportWriter(reader, new ReportOptions(outDir, new AnswersOptions(QualityMetric.Resolve("composite_score", out _)!, 0.9, BootstrapSamples: 200)), executor)
                .WriteAsync(ct);
        foreach (var note in summary.Notes) output.WriteLine("note: " + note);
        Assert.Equal(40, summary.GifPages);

        await using var browser = await HeadlessChromium.StartAsync(chromium, ct);
        await browser.NavigateAsync(new Uri(summary.IndexPath).AbsoluteUri, ct);
        var dom = (await browser.EvaluateAsync(DomCheck, ct))!.AsObject();
        output.WriteLine(dom.ToJsonString());
        Assert.Equal(["summary", "types", "curves", "leaderboards", "bdrate", "pareto", "failures", "gallery", "gifs"], dom["sections"]!.AsArray().Select(s => (string)s!));
        Assert.Empty(dom["emptyTables"]!.AsArray());
        Assert.Equal(6, (int)dom["leaderboards"]!);            // all + the five content types
        Assert.True((int)dom["bdrate"]! >= 1);
        Assert.True((int)dom["images"]! >= 10, "contact sheet and gallery images");
        Assert.Empty(dom["broken"]!.AsArray());
        Assert.Empty(dom["external"]!.AsArray());
        Assert.True((int)dom["charts"]! >= 12, "curves and Pareto charts per group");
        Assert.True((int)dom["gifLinks"]! >= 40);
        Assert.Empty(browser.Errors);

        var shot = Path.Combine(Path.GetTempPath(), "giflab-report-test.png");
        await browser.ScreenshotAsync(shot, ct);
        Assert.True(new FileInfo(shot).Length > 10_000);
        if (Environment.GetEnvironmentVariable("GIFLAB_SCREENSHOT_DIR") is { Length: > 0 } keep)
        {
            Directory.CreateDirectory(keep);
            File.Copy(shot, Path.Combine(keep, "report-index.png"), overwrite: true);
        }
        output.WriteLine("screenshot: " + shot);

        // A per-GIF page: its chart and table, no errors.
        var page = Directory.EnumerateFiles(Path.Combine(outDir, "gifs"), "*.html").Order(StringComparer.Ordinal).First();
        await browser.NavigateAsync(new Uri(page).AbsoluteUri, ct);
        var gifDom = (await browser.EvaluateAsync("({charts: document.querySelectorAll('svg.chart').length, rows: document.querySelectorAll('table tr').length, back: document.querySelector('a[href=\"../index.html\"]') !== null})", ct))!;
        Assert.Equal(1, (int)gifDom["charts"]!);
        Assert.True((int)gifDom["rows"]! >= 8, "one row per family + header");
        Assert.True((bool)gifDom["back"]!);
        Assert.Empty(browser.Errors);
    }
}
