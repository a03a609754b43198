using System.CommandLine;
using GifLab.Core.Curves;
using GifLab.Export;
using GifLab.Storage;

namespace GifLab.Cli.Commands;

/// <summary>
/// <c>giflab export</c>: the dataset as CSV (one row per run), JSON (per GIF → engine → curves, Pareto, runs) or JSONL
/// (one TrainingRecordV2 per line), plus a <c>PATH.meta.json</c> sidecar; or <c>--from-v1</c> conversion of V1 JSONL.
/// </summary>
internal static class ExportCommand
{
    internal const string DefaultDatasetVersion = "1.0.0";

    private static readonly Option<string> Db = CommonOptions.Db();
    private static readonly Option<string> Format = CommonOptions.Format("csv", "json", "jsonl");
    private static readonly Option<string> Output = new("--output", "-o")
    {
        Description = "Output file, or - for stdout (then no .meta.json sidecar is written).",
        Required = true,
    };
    private static readonly Option<string?> Split = SplitOption();
    private static readonly Option<string> SplitRatiosOpt = new("--split-ratios")
    {
        Description = "TRAIN,VAL[,TEST] ratios of the stable hash split (0.8,0.1 leaves 0.1 for test). A GIF's split depends only on its SHA-256, so adding GIFs never moves one.",
        DefaultValueFactory = _ => "0.8,0.1",
    };
    private static readonly Option<string> DatasetVersion = new("--dataset-version")
    {
        Description = "Dataset version MAJOR.MINOR.PATCH written into records and metadata.",
        DefaultValueFactory = _ => DefaultDatasetVersion,
    };
    private static readonly Option<string> QualityMetric = new("--quality-metric")
    {
        Description = "Metric used as quality for the Pareto frontier in json: a higher-is-better key of the metric registry (e.g. composite_score, ssim, ssimulacra2). A misspelt name is refused with exit 2.",
        DefaultValueFactory = _ => "composite_score",
    };
    private static readonly Option<string?> FromV1 = new("--from-v1")
    {
        Description = "Convert this TrainingRecordV1 JSONL file to TrainingRecordV2 JSONL instead of reading the database (needs --format jsonl). Bad lines are reported and skipped; exit 6 if any.",
    };

    private static Option<string?> SplitOption()
    {
        var o = new Option<string?>("--split") { Description = "Only GIFs of this split: train | val | test (default: all)." };
        o.AcceptOnlyFromAmong("train", "val", "test");
        return o;
    }

    public static Command Create()
    {
        var command = new Command("export",
            "Export the dataset: csv = one row per compression run (seed column order, RFC 4180); json = per GIF → per engine → " +
            "lossy/colour curves, Pareto frontier and runs; jsonl = one TrainingRecordV2 per line. Writes PATH.meta.json with " +
            "dataset/GifLab/git/tool versions. Exit 5 when the database is missing or the output cannot be written; an empty selection exits 0 with a message on stderr.")
        {
            Db, Format, Output, Split, SplitRatiosOpt, DatasetVersion, QualityMetric, FromV1,
        };
        command.SetAction((parse, ct) => CliErrors.Guard(() => RunAsync(parse, ct)));
        return command;
    }

    /// <summary>The immutable options of one export, built from the command line (validated; throws UsageException).</summary>
    internal sealed record Request(string Db, ExportFormat Format, string Output, DatasetSplit? Split, SplitRatios Ratios,
                                   string DatasetVersion, string QualityMetric, string? FromV1);

    internal static Request Parse(ParseResult parse)
    {
        var format = parse.GetValue(Format) switch
        {
            "json" => ExportFormat.Json,
            "jsonl" => ExportFormat.Jsonl,
            _ => ExportFormat.Csv,
        };
        SplitRatios ratios;
        try { ratios = SplitRatios.ParseRatios(parse.GetValue(SplitRatiosOpt)!); }
        catch (FormatException e) { throw new UsageException($"--split-ratios: {e.Message}"); }
        var version = parse.GetValue(DatasetVersion)!;
        if (!TrainingRecordV2.IsSemVer(version)) throw new UsageException($"--dataset-version '{version}' is not MAJOR.MINOR.PATCH (e.g. 1.0.0).");
        var fromV1 = parse.GetValue(FromV1);
        if (fromV1 is not null && format != ExportFormat.Jsonl) throw new UsageException("--from-v1 writes TrainingRecordV2 JSONL: use --format jsonl.");
        var output = parse.GetValue(Output)!;
        if (string.IsNullOrWhiteSpace(output)) throw new UsageException("--output is empty.");
        var split = parse.GetValue(Split) is { } s ? SplitRatios.Parse(s) : (DatasetSplit?)null;
        var db = fromV1 is null ? CommonOptions.SqliteOnly(parse.GetValue(Db)!, "giflab export") : parse.GetValue(Db)!;
        if (output != "-" && fromV1 is null && string.Equals(Path.GetFullPath(output), Path.GetFullPath(db), StringComparison.Ordinal))
            throw new UsageException($"--output '{output}' is the database itself; choose another path.");
        var metric = GifLab.Answers.QualityMetric.Resolve(parse.GetValue(QualityMetric)!, out var metricError)
            ?? throw new UsageException("--quality-metric: " + metricError);
        if (!metric.HigherIsBetter)
            throw new UsageException($"--quality-metric: '{metric.Name}' is lower-is-better; the Pareto frontier needs a higher-is-better metric " +
                                     $"({string.Join(", ", GifLab.Answers.QualityMetric.Names.Where(n => GifLab.Answers.QualityMetric.Resolve(n, out _)!.HigherIsBetter))}).");
        return new Request(db, format, output, split, ratios, version, metric.Name, fromV1);
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        var request = Parse(parse);
        try
        {
            return request.FromV1 is not null ? await ConvertV1Async(request, ct) : await ExportAsync(request, ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The database is read through SQLite (its errors are StorageUnavailableException); these come from the output.
            await Console.Error.WriteLineAsync($"giflab export: cannot write '{request.Output}': {e.Message}");
            return ExitCodes.StorageUnavailable;
        }
    }

    private static async Task<int> ExportAsync(Request request, CancellationToken ct)
    {
        await using var store = StoreFactory.Create(request.Db, readOnly: true);
        await store.InitializeAsync(ct);   // brings an older schema up to date (SqliteResultStore)
        using var reader = store.OpenDatasetReader(EngineCurves.LossyToolOrder)
            ?? throw new StorageUnavailableException(store.Location, "export reads a SQLite database (merge the workers' results into one with `giflab merge`)");
        var options = new ExportOptions(request.Format, ColumnSources.For(reader), request.DatasetVersion, request.Ratios,
            request.Split, DateTimeOffset.UtcNow, request.QualityMetric);
        var summary = await WriteOutputAsync(request.Output, stream => DatasetExporter.Export(reader, options, stream, ct), ct);
        if (request.Output != "-")
        {
            await using var meta = File.Create(ExportMetadata.SidecarPath(request.Output));
            ExportMetadata.Write(meta, options, summary, reader.Location, reader.ReadTools());
        }
        foreach (var s in summary.SkippedGifs.Take(20)) await Console.Error.WriteLineAsync($"giflab export: skipped {s}");
        if (summary.SkippedGifs.Count > 20) await Console.Error.WriteLineAsync($"giflab export: … and {summary.SkippedGifs.Count - 20} more skipped GIFs.");
        var what = request.Split is { } sp ? $" in split '{SplitRatios.Name(sp)}'" : "";
        if (summary.Records == 0)
            await Console.Error.WriteLineAsync($"giflab export: nothing to export{what} ({summary.Gifs} GIFs, {summary.Runs} runs); wrote an empty {request.Format.ToString().ToLowerInvariant()} file.");
        else
            await Console.Error.WriteLineAsync($"giflab export: {summary.Gifs} GIFs, {summary.Runs} runs, {summary.Records} {(request.Format == ExportFormat.Jsonl ? "records" : request.Format == ExportFormat.Json ? "GIF objects" : "rows")}{what} → {request.Output}");
        return ExitCodes.Ok;
    }

    private static async Task<int> ConvertV1Async(Request request, CancellationToken ct)
    {
        if (!File.Exists(request.FromV1))
        {
            await Console.Error.WriteLineAsync($"giflab export: --from-v1 file '{request.FromV1}' does not exist.");
            return ExitCodes.InputError;
        }
        using var input = new StreamReader(request.FromV1!);
        var summary = await WriteOutputAsync(request.Output, stream => V1Importer.Convert(input, stream, 20, ct), ct);
        foreach (var e in summary.Errors) await Console.Error.WriteLineAsync($"giflab export: {request.FromV1} {e}");
        await Console.Error.WriteLineAsync($"giflab export: converted {summary.Converted} V1 records to V2, {summary.Failed} failed → {request.Output}");
        return summary.Failed > 0 ? ExitCodes.InputError : ExitCodes.Ok;
    }

    /// <summary>Writes to stdout, or to PATH.partial renamed to PATH on success (a failed export never leaves a half file under PATH).</summary>
    private static async Task<T> WriteOutputAsync<T>(string output, Func<Stream, T> write, CancellationToken ct)
    {
        if (output == "-")
        {
            await using var stdout = Console.OpenStandardOutput();
            var result = await Task.Run(() => write(stdout), ct);
            await stdout.FlushAsync(ct);
            return result;
        }
        var full = Path.GetFullPath(output);
        var dir = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        var partial = full + ".partial";
        try
        {
            T result;
            await using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
                result = await Task.Run(() => write(file), ct);
            File.Move(partial, full, overwrite: true);
            return result;
        }
        catch
        {
            try { File.Delete(partial); } catch (IOException) { }
            throw;
        }
    }
}
