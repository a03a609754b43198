using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using GifLab.Compression;
using GifLab.Core.Decoding;
using GifLab.Core.Metrics;
using GifLab.Core.Model;
using GifLab.Metrics;
using GifLab.Modeling;

namespace GifLab.Cli.Commands;

/// <summary>
/// <c>giflab compress INPUT(.gif|DIR) -o OUTPUT</c>: the smallest GIF that still meets a quality floor, per file, through
/// <see cref="GifCompressor.CompressToQualityAsync"/>. A folder is mirrored into OUTPUT (resumable through
/// <see cref="CompressionManifest"/>). One summary line per file and totals on stdout (or JSON); progress on stderr.
/// Exit 0 ok, 2 usage (unknown metric/engine, output = input), 3 some files failed (unreadable or corrupt GIF),
/// 4 no requested engine installed, 6 input missing or no GIFs.
/// </summary>
internal static class CompressCommand
{
    private static readonly Argument<string> Input = new("input") { Description = "A GIF file or a folder of GIFs (searched recursively)." };
    private static readonly Option<string> Output = CommonOptions.Output(
        "Output file (for a GIF input; an existing folder or one ending in '/' receives INPUT's name) or folder (for a folder input: mirrored).");
    private static readonly Option<string?> Metric = new("--metric")
    {
        Description = $"Quality metric of the floor (default {QualityFloor.DefaultMetric}; any metric of `giflab measure` with a direction, e.g. composite_score, ssim).",
    };
    private static readonly Option<double?> MinQuality = new("--min-quality")
    {
        Description = "Quality floor in the metric's units (default: ssimulacra2 70, composite_score 0.90, ssim/ms_ssim 0.95, psnr 35; other metrics need one; a ceiling for lower-is-better metrics).",
    };
    private static readonly Option<string?> Engines = CommonOptions.Engines("every installed one; the search may use only these");
    private static readonly Option<int> MaxTries = new("--max-tries")
    {
        Description = "At most this many compressions per GIF.",
        DefaultValueFactory = _ => FloorOptions.DefaultMaxTries,
    };
    private static readonly Option<int> Jobs = new("--jobs", "-j")
    {
        Description = "GIFs compressed at once (one per core unless given).",
        DefaultValueFactory = _ => Environment.ProcessorCount,
    };
    private static readonly Option<string?> Models = new("--models")
    {
        Description = "Prediction models folder (default: the shipped models, as `giflab predict`); without models covering a GIF the search starts coarse.",
    };
    private static readonly Option<bool> NoModels = new("--no-models") { Description = "Always start from the coarse search." };
    private static readonly Option<string> Format = CommonOptions.Format("table", "json");

    public static Command Create()
    {
        var command = new Command("compress",
            "Write the smallest GIF whose measured quality (same metric code as `run`) meets --min-quality and whose size is below the input's, " +
            "using at most --max-tries compressions: start from the predictor's best candidates (or a coarse search), then bisect the lossy level " +
            "and halve the colour count of the 2–3 most promising engines. Otherwise the input is copied unchanged and the reason printed. " +
            "Frames, delays and loop count are kept (checked); writes are atomic; the input is never overwritten. A folder is mirrored into " +
            "OUTPUT and resumable (outputs done with the same parameters are skipped). Exit 3 when some GIFs are unreadable or corrupt (the others are done), " +
            "4 when no requested engine is installed.")
        {
            Input, Output, Metric, MinQuality, Engines, MaxTries, Jobs, Models, NoModels, Format,
        };
        command.SetAction((parse, ct) => CliErrors.Guard(() => RunAsync(parse, Console.Out, Console.Error, ct)));
        return command;
    }

    /// <summary>One file of the job: input, output, key in the manifest.</summary>
    internal sealed record Item(string Input, string Output, string Key);

    /// <summary>What happened to one file (for the summary).</summary>
    internal sealed record FileOutcome(Item Item, CompressionResult? Result, ManifestEntry? Skipped, string? Error);

    internal static async Task<int> RunAsync(ParseResult parse, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var input = parse.GetValue(Input)!;
        var output = parse.GetValue(Output)!;
        QualityFloor floor;
        try { floor = QualityFloor.Create(parse.GetValue(Metric), parse.GetValue(MinQuality)); }
        catch (ArgumentException e) { throw new UsageException(e.Message.Split(" (Parameter")[0]); }
        var requested = ParseEngines(parse.GetValue(Engines));
        var maxTries = parse.GetValue(MaxTries);
        if (maxTries < 1) throw new UsageException("--max-tries must be at least 1.");
        var jobs = parse.GetValue(Jobs);
        if (jobs < 1) throw new UsageException("--jobs must be at least 1.");
        var json = parse.GetValue(Format) == "json";

        var items = Plan(input, output, stderr, out var outputRoot, out var planError);
        if (planError is not null) return planError.Value;

        OnnxLpipsModel? lpips = null;
        if (floor.Metric == "lpips")
        {
            try { lpips = OnnxLpipsModel.LoadFromEnvironment(); }
            catch (LpipsModelException e)
            {
                await stderr.WriteLineAsync($"giflab compress: LPIPS model ({OnnxLpipsModel.EnvironmentVariable}): {e.Message}");
                return ExitCodes.ToolMissing;
            }
        }
        using var lpipsModel = lpips;
        using var compressor = await GifCompressor.CreateAsync(
            metricOptions: lpips is null ? null : new MetricOptions { LpipsModel = lpips, LpipsModelPath = lpips.Path }, ct: ct);

        var candidates = requested ?? GifCompressor.CoarseOrder;
        var missing = candidates.Where(e => !compressor.IsAvailable(e)).ToList();
        var engines = candidates.Where(compressor.IsAvailable).ToList();
        if (engines.Count == 0)
        {
            foreach (var e in missing) await stderr.WriteLineAsync($"giflab compress: engine {e.Name()} unavailable: {compressor.UnavailableReason(e)}");
            await stderr.WriteLineAsync("giflab compress: no requested engine is installed.");
            return ExitCodes.ToolMissing;
        }
        if (requested is not null)
            foreach (var e in missing)
                await stderr.WriteLineAsync($"warning: engine {e.Name()} unavailable ({compressor.UnavailableReason(e)}); continuing with {string.Join(", ", engines.Select(x => x.Name()))}.");

        var modelsDir = parse.GetValue(Models);
        var useModels = !parse.GetValue(NoModels);
        var options = new FloorOptions(floor)
        {
            MaxTries = maxTries, Engines = requested is null ? null : engines, ModelsDirectory = modelsDir, UseModels = useModels,
        };
        var parameters = CompressionManifest.ParametersOf(options, useModels ? CompressionManifest.ModelsFingerprint(modelsDir ?? ShippedModels.Directory) : "off");
        var manifest = CompressionManifest.Open(outputRoot);

        var outcomes = new FileOutcome[items.Count];
        var done = 0;
        await stderr.WriteLineAsync($"giflab compress: {items.Count} GIF(s), {floor}, engines {string.Join(", ", engines.Select(x => x.Name()))}, at most {maxTries} tries each");
        await Parallel.ForEachAsync(Enumerable.Range(0, items.Count), new ParallelOptions { MaxDegreeOfParallelism = jobs, CancellationToken = ct }, async (i, token) =>
        {
            var outcome = await OneAsync(compressor, items[i], options, parameters, manifest, token);
            outcomes[i] = outcome;
            var n = Interlocked.Increment(ref done);
            lock (stderr) stderr.WriteLine($"[{n}/{items.Count}] {items[i].Key}: {Short(outcome)}");
        });

        stdout.Write(json ? ToJson(outcomes, floor) : ToTable(outcomes, floor));
        return outcomes.Any(o => o.Error is not null) ? ExitCodes.ItemFailures : ExitCodes.Ok;
    }

    private static async Task<FileOutcome> OneAsync(GifCompressor compressor, Item item, FloorOptions options, string parameters,
                                                   CompressionManifest manifest, CancellationToken ct)
    {
        try
        {
            var sha = CompressionManifest.Sha256Of(item.Input);
            if (manifest.Done(item.Key, sha, parameters, item.Output) is { } entry) return new FileOutcome(item, null, entry, null);
            var r = await compressor.CompressToQualityAsync(item.Input, item.Output, options, ct);
            manifest.Record(item.Key, ManifestEntry.For(r, sha, parameters, CompressionManifest.Sha256Of(item.Output)));
            return new FileOutcome(item, r, null, null);
        }
        catch (GifFormatException e)
        {
            return new FileOutcome(item, null, null, $"cannot decode as a GIF ({e.Kind}): {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new FileOutcome(item, null, null, $"cannot read or write: {e.Message}");
        }
    }

    /// <summary>The files of the job; null error when fine, else the exit code (message written).</summary>
    private static List<Item> Plan(string input, string output, TextWriter stderr, out string outputRoot, out int? error)
    {
        error = null;
        outputRoot = "";
        var items = new List<Item>();
        if (Directory.Exists(input))
        {
            var inFull = Path.TrimEndingDirectorySeparator(Path.GetFullPath(input));
            var outFull = Path.TrimEndingDirectorySeparator(Path.GetFullPath(output));
            if (outFull == inFull || outFull.StartsWith(inFull + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                throw new UsageException($"--output '{output}' is inside the input folder '{input}'; choose a folder outside it (inputs are never overwritten).");
            if (File.Exists(outFull)) throw new UsageException($"--output '{output}' is a file; a folder input needs an output folder.");
            outputRoot = outFull;
            // As `giflab run`: symbolic links inside the folder are not followed (files or folders); INPUT itself may be one.
            var files = new List<string>();
            var pending = new Stack<DirectoryInfo>([new DirectoryInfo(inFull)]);
            var only = new EnumerationOptions { IgnoreInaccessible = true, AttributesToSkip = 0 };
            while (pending.Count > 0)
                foreach (var entry in pending.Pop().EnumerateFileSystemInfos("*", only))
                {
                    if (entry.LinkTarget is not null)
                    {
                        if (entry is DirectoryInfo || entry.Name.EndsWith(".gif", StringComparison.OrdinalIgnoreCase))
                            stderr.WriteLine($"warning: {Path.GetRelativePath(inFull, entry.FullName)} is a symbolic link; not followed.");
                    }
                    else if (entry is DirectoryInfo d) pending.Push(d);
                    else if (entry.Name.EndsWith(".gif", StringComparison.OrdinalIgnoreCase)) files.Add(entry.FullName);
                }
            files.Sort(StringComparer.Ordinal);
            foreach (var f in files)
            {
                var rel = Path.GetRelativePath(inFull, f);
                items.Add(new Item(f, Path.Combine(outFull, rel), rel));
            }
            if (items.Count == 0)
            {
                stderr.WriteLine($"giflab compress: no .gif files under '{input}'.");
                error = ExitCodes.InputError;
            }
            return items;
        }
        if (!File.Exists(input))
        {
            stderr.WriteLine($"giflab compress: '{input}' does not exist.");
            error = ExitCodes.InputError;
            return items;
        }
        var target = Directory.Exists(output) || output.EndsWith('/') || output.EndsWith(Path.DirectorySeparatorChar)
            ? Path.Combine(output, Path.GetFileName(input)) : output;
        if (GifCompressor.SamePath(input, target))
            throw new UsageException($"--output '{output}' is the input; GifLab never overwrites its input.");
        var full = Path.GetFullPath(target);
        outputRoot = Path.GetDirectoryName(full)!;
        items.Add(new Item(Path.GetFullPath(input), full, Path.GetFileName(full)));
        return items;
    }

    private static IReadOnlyList<Engine>? ParseEngines(string? list)
    {
        if (list is null) return null;
        var engines = new List<Engine>();
        foreach (var name in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!EngineNames.TryParse(name, out var e) || name == "animately")
                throw new UsageException($"--engines: unknown engine '{name}'. Valid: {string.Join(", ", EngineNames.All.Select(x => x.Name()))}.");
            if (!engines.Contains(e)) engines.Add(e);
        }
        if (engines.Count == 0) throw new UsageException("--engines names no engine.");
        return engines;
    }

    private static string Short(FileOutcome o) =>
        o.Error is { } err ? "error: " + err
        : o.Skipped is { } s ? "skipped (done with the same parameters)"
        : o.Result!.Copied ? "copied unchanged: " + o.Result.Reason
        : string.Create(CultureInfo.InvariantCulture, $"{o.Result.Chosen!.Setting}, {o.Result.InputBytes} → {o.Result.OutputBytes} bytes");

    internal static string ToTable(IReadOnlyList<FileOutcome> outcomes, QualityFloor floor)
    {
        var inv = CultureInfo.InvariantCulture;
        var w = new StringWriter(inv);
        var nameWidth = Math.Max(4, outcomes.Max(o => o.Item.Key.Length));
        w.WriteLine($"{"file".PadRight(nameWidth)}  {"result",-36}{"before",10}{"after",10}{"saved",8}{floor.Metric,16}{"tries",6}{"time",8}");
        long before = 0, after = 0;
        int tries = 0, errors = 0, copied = 0, skipped = 0, compressed = 0;
        double seconds = 0;
        foreach (var o in outcomes)
        {
            var name = o.Item.Key.PadRight(nameWidth);
            if (o.Error is { } err) { errors++; w.WriteLine($"{name}  error: {err}"); continue; }
            long inB, outB; string what; double? q; int t; double s;
            if (o.Skipped is { } e)
            {
                skipped++;
                (inB, outB, what, q, t, s) = (e.InputBytes, e.OutputBytes, "(done) " + (e.Setting?.ToString() ?? "copied"), e.Quality, 0, 0);
            }
            else
            {
                var r = o.Result!;
                if (r.Copied) copied++; else compressed++;
                (inB, outB, what, q, t, s) = (r.InputBytes, r.OutputBytes, r.Chosen?.Setting.ToString() ?? "copied unchanged", r.Chosen?.Quality, r.Tries, r.Elapsed.TotalSeconds);
            }
            before += inB; after += outB; tries += t; seconds += s;
            w.WriteLine(string.Create(inv,
                $"{name}  {what,-36}{inB,10}{outB,10}{Saved(inB, outB),8}{(q is { } v ? v.ToString("0.###", inv) : "-"),16}{t,6}{s,7:0.0}s"));
            if (o.Result is { Copied: true } copiedResult) w.WriteLine($"{"".PadRight(nameWidth)}  reason: {copiedResult.Reason}");
        }
        w.WriteLine(string.Create(inv,
            $"total: {outcomes.Count} file(s), {compressed} compressed, {copied} copied unchanged, {skipped} skipped, {errors} error(s); {before} → {after} bytes ({Saved(before, after)} saved); {tries} compressions; {seconds:0.0} s"));
        return w.ToString();
    }

    private static string Saved(long before, long after) =>
        before > 0 ? ((before - after) * 100.0 / before).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "-";

    private static EngineSetting? Setting(FileOutcome o) => o.Result?.Chosen?.Setting ?? o.Skipped?.Setting;

    internal static string ToJson(IReadOnlyList<FileOutcome> outcomes, QualityFloor floor)
    {
        var files = outcomes.Select(o => new Dictionary<string, object?>
        {
            ["file"] = o.Item.Key,
            ["input"] = o.Item.Input,
            ["output"] = o.Item.Output,
            ["status"] = o.Error is not null ? "error" : o.Skipped is not null ? "skipped" : o.Result!.Copied ? "copied" : "compressed",
            ["error"] = o.Error,
            ["engine"] = Setting(o)?.Engine.Name(),
            ["lossy_level"] = Setting(o)?.LossyLevel,
            ["color_count"] = Setting(o)?.ColorCount,
            ["setting"] = Setting(o)?.ToString(),
            ["input_bytes"] = o.Result?.InputBytes ?? o.Skipped?.InputBytes,
            ["output_bytes"] = o.Result?.OutputBytes ?? o.Skipped?.OutputBytes,
            ["quality"] = o.Result?.Chosen?.Quality ?? o.Skipped?.Quality,
            ["tries"] = o.Result?.Tries ?? 0,
            ["started_from"] = o.Result?.StartedFrom,
            ["reason"] = o.Result?.Reason ?? o.Skipped?.Reason,
            ["seconds"] = o.Result is { } r ? Math.Round(r.Elapsed.TotalSeconds, 3) : 0,
            ["attempts"] = o.Result?.Attempts.Select(a => new Dictionary<string, object?>
            {
                ["setting"] = a.Setting.ToString(), ["output_bytes"] = a.OutputBytes, ["quality"] = a.Quality, ["rejection"] = a.Rejection,
            }).ToList(),
        }).ToList();
        long before = 0, after = 0;
        foreach (var f in files.Where(f => (string)f["status"]! != "error"))
        {
            before += (long)f["input_bytes"]!;
            after += (long)f["output_bytes"]!;
        }
        var doc = new Dictionary<string, object?>
        {
            ["metric"] = floor.Metric,
            ["min_quality"] = floor.MinQuality,
            ["files"] = files,
            ["totals"] = new Dictionary<string, object?>
            {
                ["files"] = outcomes.Count,
                ["compressed"] = files.Count(f => (string)f["status"]! == "compressed"),
                ["copied"] = files.Count(f => (string)f["status"]! == "copied"),
                ["skipped"] = files.Count(f => (string)f["status"]! == "skipped"),
                ["errors"] = files.Count(f => (string)f["status"]! == "error"),
                ["input_bytes"] = before,
                ["output_bytes"] = after,
                ["bytes_saved"] = before - after,
                ["compressions"] = outcomes.Sum(o => o.Result?.Tries ?? 0),
            },
        };
        return JsonSerializer.Serialize(doc, new JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine;
    }
}
