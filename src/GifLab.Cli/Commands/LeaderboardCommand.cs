using System.CommandLine;
using GifLab.Answers;
using GifLab.Core.Model;
using GifLab.Storage;
using GifLab.Storage.Sqlite;

namespace GifLab.Cli.Commands;

/// <summary>
/// <c>giflab leaderboard</c>: which pipeline family gives the smallest file at equal quality, per content type, with
/// bootstrap intervals, the Pareto-frequency cross-check and the BD-rate matrix of the engines' lossy curves.
/// </summary>
internal static class LeaderboardCommand
{
    private static readonly Option<string> Db = CommonOptions.Db();
    private static readonly Option<string> Format = CommonOptions.Format("table", "json", "csv");
    internal static readonly Option<string> Metric = new("--metric")
    {
        Description = "Quality metric to rank at (higher- or lower-is-better key of the metric registry).",
        DefaultValueFactory = _ => QualityMetric.DefaultName,
    };
    internal static readonly Option<double?> Floor = new("--floor")
    {
        Description = "Quality floor in the metric's units (default: composite_score 0.90, ssim/ms_ssim 0.95, ssimulacra2 70, psnr 35; other metrics need one).",
    };
    internal static readonly Option<string> By = ByOption();
    internal static readonly Option<string?> Engines = CommonOptions.Engines("every engine with data");
    internal static readonly Option<string> Anchor = new("--anchor")
    {
        Description = "BD-rate anchor engine.",
        DefaultValueFactory = _ => "gifsicle",
    };
    internal static readonly Option<int> Bootstrap = new("--bootstrap")
    {
        Description = "Bootstrap resamples for the 95 % intervals (seeded, so results repeat).",
        DefaultValueFactory = _ => 1000,
    };

    private static Option<string> ByOption()
    {
        var o = new Option<string>("--by") { Description = "type = one leaderboard per content type plus all GIFs; none = all GIFs only.", DefaultValueFactory = _ => "type" };
        o.AcceptOnlyFromAmong("type", "none");
        return o;
    }

    public static Command Create()
    {
        var command = new Command("leaderboard",
            "Rank pipeline families by the file size they need to reach a quality floor (iso-quality: median size relative to each GIF's best, win rate, " +
            "share reaching the floor, with bootstrap 95 % intervals), per content type; cross-check with Pareto frequency; BD-rate matrix of the engines. " +
            "With no options: composite_score ≥ 0.90 on data/giflab.db. Exit 2 for an unknown metric or a metric without a default floor and no --floor.")
        {
            Db, Format, Metric, Floor, By, Engines, Anchor, Bootstrap,
        };
        command.SetAction((parse, ct) => CliErrors.Guard(async () =>
        {
            var request = Parse(parse);
            using var reader = OpenReader(request.Db);
            var analysis = new AnswersAnalysis(request.Options);
            var result = await Task.Run(() =>
            {
                analysis.Read(reader, ct);
                return analysis.Finish(ct);
            }, ct);
            Console.Out.Write(request.Format switch
            {
                "json" => AnswersFormat.Json(result) + Environment.NewLine,
                "csv" => AnswersFormat.Csv(result),
                _ => AnswersFormat.Table(result),
            });
            if (result.Gifs == 0) await Console.Error.WriteLineAsync($"giflab leaderboard: the database has no GIFs ({reader.Location}).");
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>The immutable options of one leaderboard, built from the command line (validated; throws UsageException).</summary>
    internal sealed record Request(string Db, string Format, AnswersOptions Options);

    internal static Request Parse(ParseResult parse) =>
        new(parse.GetValue(Db)!, parse.GetValue(Format)!, ParseOptions(parse));

    /// <summary>Metric, floor, grouping, engines, anchor and bootstrap options (shared with <c>giflab report</c>).</summary>
    internal static AnswersOptions ParseOptions(ParseResult parse)
    {
        var metric = QualityMetric.Resolve(parse.GetValue(Metric)!, out var error) ?? throw new UsageException("--metric: " + error);
        var floor = parse.GetValue(Floor) ?? metric.DefaultFloor
            ?? throw new UsageException($"--floor is required for metric '{metric.Name}' (it has no default floor).");
        if (!double.IsFinite(floor)) throw new UsageException("--floor must be a finite number.");
        HashSet<Engine>? engines = null;
        if (parse.GetValue(Engines) is { } list)
        {
            engines = [];
            foreach (var name in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!EngineNames.TryParse(name, out var e) || name == "animately")
                    throw new UsageException($"--engines: unknown engine '{name}'.{Suggest.Hint(name, EngineNames.All.Select(x => x.Name()))} Valid: {string.Join(", ", EngineNames.All.Select(x => x.Name()))}.");
                engines.Add(e);
            }
            if (engines.Count == 0) throw new UsageException("--engines names no engine.");
        }
        var anchorName = parse.GetValue(Anchor)!;
        if (!EngineNames.TryParse(anchorName, out var anchor) || anchorName == "animately")
            throw new UsageException($"--anchor: unknown engine '{anchorName}'.{Suggest.Hint(anchorName, EngineNames.All.Select(x => x.Name()))} Valid: {string.Join(", ", EngineNames.All.Select(x => x.Name()))}.");
        var samples = parse.GetValue(Bootstrap);
        if (samples is < 100 or > 100_000) throw new UsageException("--bootstrap must be between 100 and 100000.");
        return new AnswersOptions(metric, floor, parse.GetValue(By) == "none" ? GroupBy.None : GroupBy.ContentType, engines, anchor, samples);
    }

    /// <summary>The answers reader for a --db value: a SQLite file or a PostgreSQL URI / connection string.</summary>
    internal static IAnswersReader OpenReader(string db)
    {
        if (!StoreFactory.IsPostgres(db)) return new SqliteAnswersReader(db);
        var (connectionString, schema) = StoreFactory.ToConnectionString(db);
        return new GifLab.Storage.Postgres.PostgresAnswersReader(connectionString, schema);
    }
}
