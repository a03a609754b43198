using System.CommandLine;
using System.Text.Json;
using GifLab.Storage;
using GifLab.Storage.Merge;

namespace GifLab.Cli.Commands;

/// <summary><c>giflab merge --db OUT.db IN1.db IN2.db …</c>: merges SQLite shard databases (from <c>run --shard K/N</c>).</summary>
internal static class MergeCommand
{
    // --db names the database merged into, as everywhere a database is read; no default, so the old positional form
    // (`merge OUT IN…`) stops with exit 2 instead of merging OUT into data/giflab.db.
    private static readonly Option<string> Output = new("--db", "-d")
    {
        Description = "Database to merge into: a SQLite file (created if missing) or a PostgreSQL URI / connection string. Required.",
        Required = true,
    };
    private static readonly Argument<string[]> Inputs = new("IN") { Description = "SQLite shard databases to merge (read only).", Arity = ArgumentArity.OneOrMore };
    private static readonly Option<string> Format = CommonOptions.Format("table", "json");

    public static Command Create()
    {
        CommonOptions.RefuseFolder(Output);
        var command = new Command("merge",
            "Merge SQLite shard databases into the --db database (SQLite or PostgreSQL): tools, pipelines and presets reconciled by name/values, GIFs by SHA-256, runs deduplicated " +
            "on the run key (newer wins), failures without duplicates. Each input merges in one transaction; merging again changes nothing.")
        {
            Output, Inputs, Format,
        };
        command.SetAction((parse, ct) => CliErrors.Guard(async () =>
        {
            var output = parse.GetValue(Output)!;
            var inputs = parse.GetValue(Inputs)!;
            if (inputs.Any(StoreFactory.IsPostgres))
                throw new UsageException("merge reads SQLite shard files; a PostgreSQL database needs no merge (point every worker's --db at it).");
            if (!StoreFactory.IsPostgres(output) && inputs.Any(i => string.Equals(Path.GetFullPath(i), Path.GetFullPath(output), StringComparison.Ordinal)))
                throw new UsageException($"--db ({output}) is also listed as an input.");
            if (inputs.Distinct().Count() != inputs.Length)
                throw new UsageException("an input is listed twice.");

            IReadOnlyList<ShardMergeCounts> counts;
            await using (var store = StoreFactory.Create(output))
            {
                counts = await store.MergeShardsAsync(inputs, ct);
                output = store.Location;
            }
            if (parse.GetValue(Format) == "json")
            {
                Console.WriteLine(JsonSerializer.Serialize(counts.Select(c => new Dictionary<string, object>
                {
                    ["input"] = c.Input, ["tools"] = c.Tools, ["pipelines"] = c.Pipelines, ["param_presets"] = c.Presets,
                    ["gifs"] = c.Gifs, ["runs"] = c.Runs, ["failures"] = c.Failures, ["stale_failures_removed"] = c.StaleFailuresRemoved,
                }), new JsonSerializerOptions { WriteIndented = true }));
            }
            else
            {
                Console.WriteLine($"Merged {inputs.Length} database(s) into {output} (rows inserted or replaced; 0 = already merged):");
                Console.WriteLine($"  {"input",-40}{"tools",7}{"pipes",7}{"presets",8}{"gifs",7}{"runs",9}{"fails",7}{"stale",7}");
                foreach (var c in counts)
                    Console.WriteLine($"  {c.Input,-40}{c.Tools,7}{c.Pipelines,7}{c.Presets,8}{c.Gifs,7}{c.Runs,9}{c.Failures,7}{c.StaleFailuresRemoved,7}");
            }
            return ExitCodes.Ok;
        }));
        return command;
    }
}
