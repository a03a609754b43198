using GifLab.Core.Curves;
using System.CommandLine;
using GifLab.Core.Model;
using GifLab.Modeling;

namespace GifLab.Cli.Commands;

/// <summary><c>giflab train</c>: train compression-curve models from the database and print held-out accuracy.</summary>
internal static class TrainCommand
{
    public const string DefaultModelsDir = "data/models";

    private static readonly Option<string> Db = CommonOptions.Db();
    private static readonly Option<string> Format = CommonOptions.Format("table", "json");
    private static readonly Option<string?> EngineOpt = CommonOptions.Engines("every engine with data");
    private static readonly Option<string> Out = CommonOptions.Output("Folder for model files and metadata.", DefaultModelsDir);
    private static readonly Option<int> MinGifs = new("--min-gifs")
    {
        Description = "Train an engine's curve only when at least this many GIFs have valid points of it.",
        DefaultValueFactory = _ => TrainOptions.DefaultMinGifs,
    };

    private static readonly Option<string?> Groups = new("--groups")
    {
        Description = "Tab-separated table (header with 'sha256' and 'package' or 'group') whose groups are held out whole, e.g. "
                    + "testdata/train-corpus/MANIFEST.tsv: GIFs of one source package never sit on both sides of the split.",
    };
    private static readonly Option<bool> Tune = new("--tune")
    {
        Description = "Choose the LightGBM settings per engine and curve by grouped 4-fold cross-validation on the training GIFs " +
                      "(4 candidates; about 2× the training time). The choice and every candidate's figure go into the metadata.",
    };
    private static readonly Option<string?> Card = new("--model-card")
    {
        Description = "Rewrite the generated accuracy section of this model card (e.g. models/README.md) from the saved metadata.",
    };

    public static Command Create()
    {
        var command = new Command("train",
            "Train models that predict each engine's lossy and colour curves (size, composite_score, ssim) from GIF features; " +
            "print accuracy on the held-out test split and save the trained LightGBM trees (.gbm) with metadata JSON.")
        {
            Db, EngineOpt, Out, MinGifs, Groups, Tune, Card, Format,
        };
        command.SetAction((parse, ct) => CliErrors.Guard(() => RunAsync(parse, ct)));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        var db = CommonOptions.SqliteOnly(parse.GetValue(Db)!, "giflab train");
        var minGifs = parse.GetValue(MinGifs);
        if (minGifs < 1) throw new UsageException("--min-gifs must be at least 1.");
        var engines = GridParsing.Engines(parse.GetValue(EngineOpt));
        if (!File.Exists(db))
        {
            await Console.Error.WriteLineAsync($"giflab train: database '{db}' does not exist (run `giflab run` first).");
            return ExitCodes.StorageUnavailable;
        }
        var outDir = parse.GetValue(Out)!;
        var err = Console.Error;
        SplitGroups? groups = null;
        if (parse.GetValue(Groups) is { } groupsPath)
        {
            if (!System.IO.File.Exists(groupsPath)) throw new UsageException($"--groups: '{groupsPath}' does not exist.");
            try { groups = SplitGroups.Load(groupsPath); }
            catch (FormatException e) { throw new UsageException($"--groups: {e.Message}"); }
        }
        var report = await ModelTraining.RunAsync(new TrainOptions(db, outDir, null, minGifs) { Groups = groups, Engines = engines, Tune = parse.GetValue(Tune) }, err, ct);
        foreach (var n in report.Notes) await err.WriteLineAsync($"note: {n}");
        foreach (var s in report.Skipped) await err.WriteLineAsync($"skipped {s}");
        if (report.Trained.Count == 0)
        {
            await err.WriteLineAsync($"giflab train: nothing trained: no engine curve has at least {minGifs} GIFs with valid runs and features in '{db}'.");
            return ExitCodes.InputError;
        }
        if (parse.GetValue(Format) == "json") Console.WriteLine(report.ToJson());
        else Console.Write(report.FormatTable());
        foreach (var w in report.Warnings()) await err.WriteLineAsync(w);
        await err.WriteLineAsync($"saved {report.SavedFiles.Count} model set(s) to {outDir}");
        if (parse.GetValue(Card) is { } card)
        {
            ModelCard.Update(card, ModelCard.ReadAll(outDir));
            await err.WriteLineAsync($"model card {card} updated from the metadata in {outDir}");
        }
        return ExitCodes.Ok;
    }
}
