using System.CommandLine;
using GifLab.Engines;
using GifLab.Report;

namespace GifLab.Cli.Commands;

/// <summary><c>giflab report --output DIR</c>: the static HTML report (index.html, per-GIF pages, inline SVG, offline).</summary>
internal static class ReportCommand
{
    private static readonly Option<string> Db = CommonOptions.Db();
    private static readonly Option<string> Out = CommonOptions.Output("Folder to write the report into (created; its index.html, gifs/ and media/ are replaced).");
    private static readonly Option<string> Format = CommonOptions.Format("text", "json");
    private static readonly Option<bool> NoOutputs = new("--no-outputs")
    {
        Description = "Do not re-create the gallery's best-at-floor outputs with the engines (the gallery then shows originals only).",
    };

    public static Command Create()
    {
        var command = new Command("report",
            "Write a static HTML report: dataset summary, content types with a contact sheet, size-vs-quality curves (median and IQR per content type), " +
            "leaderboards, BD-rate matrix, Pareto-frequency chart, failures, a gallery of the GIFs where the engine matters most (outputs re-created " +
            "from the stored pipeline and preset) and one page per GIF. Prints the path of index.html (--format json: with the counts).")
        {
            Db, Out, LeaderboardCommand.Metric, LeaderboardCommand.Floor, LeaderboardCommand.By, LeaderboardCommand.Engines,
            LeaderboardCommand.Anchor, LeaderboardCommand.Bootstrap, NoOutputs, Format,
        };
        command.SetAction((parse, ct) => CliErrors.Guard(async () =>
        {
            var answers = LeaderboardCommand.ParseOptions(parse);
            var outDir = parse.GetValue(Out)!;
            if (string.IsNullOrWhiteSpace(outDir)) throw new UsageException("--output is empty.");
            using var reader = LeaderboardCommand.OpenReader(parse.GetValue(Db)!);
            PipelineExecutor? executor = null;
            if (!parse.GetValue(NoOutputs))
            {
                var settings = EngineSettings.Default;
                executor = new PipelineExecutor(await EngineCatalog.ProbeAsync(settings, ct), settings);
            }
            ReportSummary summary;
            try
            {
                summary = await new ReportWriter(reader, new ReportOptions(outDir, answers), executor).WriteAsync(ct);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"giflab report: cannot write '{outDir}': {e.Message}");
                return ExitCodes.StorageUnavailable;
            }
            foreach (var note in summary.Notes) await Console.Error.WriteLineAsync("giflab report: " + note);
            await Console.Error.WriteLineAsync($"giflab report: {summary.Gifs} GIFs, {summary.GifPages} GIF pages, {summary.GalleryOutputs} gallery outputs re-created in {summary.Elapsed.TotalSeconds:0.0} s");
            if (parse.GetValue(Format) == "json")
                Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["index"] = summary.IndexPath, ["gifs"] = summary.Gifs, ["gif_pages"] = summary.GifPages,
                    ["gallery_outputs"] = summary.GalleryOutputs, ["notes"] = summary.Notes,
                    ["elapsed_ms"] = Math.Round(summary.Elapsed.TotalMilliseconds, 1),
                }, new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
            else Console.WriteLine(summary.IndexPath);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
