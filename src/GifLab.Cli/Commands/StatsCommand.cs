using System.CommandLine;
using System.Text.Json;
using GifLab.Storage;
using GifLab.Storage.Sqlite;

namespace GifLab.Cli.Commands;

/// <summary><c>giflab stats</c>: counts of GIFs, runs per engine/pipeline/GIF and failures by type.</summary>
internal static class StatsCommand
{
    private static readonly Option<string> Db = CommonOptions.Db();
    private static readonly Option<string> Format = CommonOptions.Format("table", "json");

    public static Command Create()
    {
        var command = new Command("stats", "Print counts from the database: GIFs, runs per engine (valid/corrupted/error), per pipeline, per GIF, failures by type.")
        {
            Db, Format,
        };
        command.SetAction((parse, ct) => CliErrors.Guard(async () =>
        {
            var path = parse.GetValue(Db)!;
            if (!StoreFactory.IsPostgres(path) && !File.Exists(path))
            {
                await Console.Error.WriteLineAsync($"giflab stats: database '{path}' does not exist (run `giflab run` first).");
                return ExitCodes.StorageUnavailable;
            }
            await using var store = StoreFactory.Create(path, readOnly: true);
            await store.InitializeAsync(ct);
            var stats = await store.GetStatsAsync(ct);
            if (parse.GetValue(Format) == "json") Console.WriteLine(ToJson(stats));
            else PrintTable(stats, store.Location);
            if (store is GifLab.Storage.Postgres.PostgresResultStore pg && await new GifLab.Queue.PostgresWorkQueue(pg).GetProgressAsync(ct) is { Total: > 0 } queue)
                (parse.GetValue(Format) == "json" ? Console.Error : Console.Out).WriteLine("\n  " + queue.Describe());
            return ExitCodes.Ok;
        }));
        return command;
    }

    internal static string ToJson(StoreStats s)
    {
        var doc = new Dictionary<string, object?>
        {
            ["gifs"] = s.Gifs,
            ["gifs_with_features"] = s.GifsWithFeatures,
            ["runs"] = s.Runs,
            ["failures"] = s.Failures,
            ["failures_permanent"] = s.PermanentFailures,
            ["failures_transient"] = s.TransientFailures,
            ["pipelines"] = s.Pipelines,
            ["param_presets"] = s.Presets,
            ["tools"] = s.Tools,
            ["runs_per_engine"] = s.RunsPerEngine.ToDictionary(e => e.Engine, e => new Dictionary<string, long>
                { ["runs"] = e.Runs, ["valid"] = e.Valid, ["corrupted"] = e.Corrupted, ["error"] = e.Error }),
            ["runs_per_pipeline"] = s.RunsPerPipeline.ToDictionary(x => x.Name, x => x.Count),
            ["runs_per_gif"] = s.RunsPerGif.GroupBy(x => x.Name).ToDictionary(g => g.Key, g => g.Sum(x => x.Count)),
            ["failures_by_type"] = s.FailuresByType.ToDictionary(x => x.Name, x => x.Count),
        };
        return JsonSerializer.Serialize(doc, new JsonSerializerOptions { WriteIndented = true });
    }

    private static void PrintTable(StoreStats s, string path)
    {
        var o = Console.Out;
        o.WriteLine($"Database: {path}");
        o.WriteLine($"  GIFs: {s.Gifs} ({s.GifsWithFeatures} with features)");
        o.WriteLine($"  Compression runs: {s.Runs}");
        o.WriteLine($"  Failures: {s.Failures} ({s.PermanentFailures} permanent, {s.TransientFailures} transient)");
        o.WriteLine($"  Pipelines: {s.Pipelines}   Presets: {s.Presets}   Tools: {s.Tools}");
        if (s.RunsPerEngine.Count > 0)
        {
            o.WriteLine();
            o.WriteLine($"  {"Runs per engine",-28}{"runs",8}{"valid",8}{"corrupt",9}{"error",8}");
            foreach (var e in s.RunsPerEngine) o.WriteLine($"  {e.Engine,-28}{e.Runs,8}{e.Valid,8}{e.Corrupted,9}{e.Error,8}");
        }
        Block("Runs per pipeline", s.RunsPerPipeline);
        Block($"Runs per GIF ({s.RunsPerGif.Count} GIFs)", s.RunsPerGif);
        Block("Failures by type", s.FailuresByType);

        void Block(string title, IReadOnlyList<NamedCount> rows)
        {
            if (rows.Count == 0) return;
            o.WriteLine();
            o.WriteLine($"  {title}:");
            foreach (var r in rows) o.WriteLine($"    {r.Name}: {r.Count}");
        }
    }
}
