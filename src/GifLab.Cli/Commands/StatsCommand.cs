using System.CommandLine;
using System.Text.Json;
using GifLab.Core.Curves;
using GifLab.Core.Model;
using GifLab.Export;
using GifLab.Storage;

namespace GifLab.Cli.Commands;

/// <summary><c>giflab stats</c>: counts of GIFs, runs per engine/pipeline/GIF and failures by type.</summary>
internal static class StatsCommand
{
    private static readonly Option<string> Db = CommonOptions.Db();
    private static readonly Option<string> Format = CommonOptions.Format("table", "json");
    private static readonly Option<string> SplitRatiosOpt = new("--split-ratios")
    {
        Description = "TRAIN,VAL[,TEST] ratios for the split sizes (same rule as giflab export).",
        DefaultValueFactory = _ => "0.8,0.1",
    };

    public static Command Create()
    {
        var command = new Command("stats", "Print counts from the database: GIFs, runs per engine (valid/corrupted/error), per pipeline, per GIF, failures by type, curve completeness per engine and split sizes.")
        {
            Db, Format, SplitRatiosOpt,
        };
        command.SetAction((parse, ct) => CliErrors.Guard(async () =>
        {
            var path = parse.GetValue(Db)!;
            if (!StoreFactory.IsPostgres(path) && !File.Exists(path))
            {
                await Console.Error.WriteLineAsync($"giflab stats: database '{path}' does not exist (run `giflab run` first).");
                return ExitCodes.StorageUnavailable;
            }
            SplitRatios ratios;
            try { ratios = SplitRatios.ParseRatios(parse.GetValue(SplitRatiosOpt)!); }
            catch (FormatException e) { throw new UsageException($"--split-ratios: {e.Message}"); }
            await using var store = StoreFactory.Create(path, readOnly: true);
            await store.InitializeAsync(ct);
            var stats = await store.GetStatsAsync(ct);
            // Curve completeness and split sizes are read with the streaming dataset reader, where the store has one.
            DatasetStatistics? dataset = null;
            using (var reader = store.OpenDatasetReader(EngineCurves.LossyToolOrder))
                if (reader is not null) dataset = DatasetStatistics.Compute(reader, ratios, ct);
            IReadOnlyList<NamedCount> types;
            using (var answers = LeaderboardCommand.OpenReader(path))
                types = answers.CountContentTypes(ct);
            if (parse.GetValue(Format) == "json") Console.WriteLine(ToJson(stats, dataset, types));
            else
            {
                PrintTable(stats, store.Location, types);
                if (dataset is not null) PrintDataset(dataset);
            }
            if (store.SharedDatabase is { } shared)
            {
                var work = new GifLab.Queue.PostgresWorkQueue(shared, RunCommand.QueueOptions());
                if (await work.GetProgressAsync(ct) is { Total: > 0 } queue)
                {
                    var o = parse.GetValue(Format) == "json" ? Console.Error : Console.Out;
                    o.WriteLine("\n  " + queue.Describe());
                    PrintWorkers(o, await work.GetWorkersAsync(ct), work.Options.Lease);
                }
            }
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>Every worker of the queue: when it was last seen, what it holds and whether it looks dead (no heartbeat for a lease).</summary>
    internal static void PrintWorkers(TextWriter o, IReadOnlyList<GifLab.Queue.WorkerInfo> workers, TimeSpan lease)
    {
        if (workers.Count == 0) return;
        o.WriteLine($"  {"Workers",-44}{"last seen",12}{"holds",7}{"expired",9}{"done",7}  state");
        foreach (var w in workers.Take(30))
        {
            var state = w.SinceSeen > lease ? (w.Claimed > 0 ? "dead? (no heartbeat for a lease; its items are taken over)" : "gone") : "alive";
            o.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"  {w.Id,-44}{w.SinceSeen.TotalSeconds,10:0} s{w.Claimed,7}{w.Expired,9}{w.Done,7}  {state}"));
        }
        if (workers.Count > 30) o.WriteLine($"  … and {workers.Count - 30} more workers (least recently seen)");
    }

    internal static string ToJson(StoreStats s) => ToJson(s, null, null);

    internal static string ToJson(StoreStats s, DatasetStatistics? d, IReadOnlyList<NamedCount>? contentTypes)
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
            // Keyed by SHA-256: two files named x.gif in different folders are two GIFs.
            ["runs_per_gif"] = s.RunsPerGif.ToDictionary(x => x.Sha256, x => new Dictionary<string, object> { ["file_name"] = x.FileName, ["runs"] = x.Count }),
            ["failures_by_type"] = s.FailuresByType.ToDictionary(x => x.Name, x => x.Count),
        };
        if (contentTypes is not null) doc["content_types"] = contentTypes.ToDictionary(x => x.Name, x => x.Count);
        if (d is not null)
        {
            doc["curve_completeness"] = d.Curves.ToDictionary(c => c.Engine.Name(), c => new Dictionary<string, object?>
            {
                ["lossy"] = Completeness(c.Lossy),
                ["colors"] = c.Colors is { } colors ? Completeness(colors) : null,
            });
            doc["splits"] = new Dictionary<string, object>
            {
                ["ratios"] = new Dictionary<string, double> { ["train"] = d.Ratios.Train, ["val"] = d.Ratios.Val, ["test"] = d.Ratios.Test },
                ["train"] = d.Train, ["val"] = d.Val, ["test"] = d.Test,
            };
        }
        return JsonSerializer.Serialize(doc, new JsonSerializerOptions { WriteIndented = true });
    }

    private static Dictionary<string, long> Completeness(CurveCompleteness c) =>
        new() { ["gifs_with_runs"] = c.GifsWithRuns, ["gifs_complete"] = c.GifsComplete };

    private static void PrintDataset(DatasetStatistics d)
    {
        var o = Console.Out;
        o.WriteLine();
        o.WriteLine($"  {"Curve completeness (GIFs)",-28}{"lossy",14}{"colors",14}   (complete/with runs)");
        foreach (var (engine, lossy, colors) in d.Curves)
            o.WriteLine($"  {engine.Name(),-28}{$"{lossy.GifsComplete}/{lossy.GifsWithRuns}",14}{(colors is { } c ? $"{c.GifsComplete}/{c.GifsWithRuns}" : "-"),14}");
        o.WriteLine();
        o.WriteLine($"  Splits ({d.Ratios}): train {d.Train}, val {d.Val}, test {d.Test}");
    }

    private static void PrintTable(StoreStats s, string path, IReadOnlyList<NamedCount> contentTypes)
    {
        var o = Console.Out;
        o.WriteLine($"Database: {path}");
        o.WriteLine($"  GIFs: {s.Gifs} ({s.GifsWithFeatures} with features)");
        if (contentTypes.Count > 0)
            o.WriteLine($"  Content types: {string.Join(", ", contentTypes.Select(t => $"{t.Name} {t.Count}"))}");
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
        Block($"Runs per GIF ({s.RunsPerGif.Count} GIFs)", s.RunsPerGif.Select(g => new NamedCount($"{g.FileName} ({g.Sha256[..12]})", g.Count)).ToList());
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
