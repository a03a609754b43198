using System.CommandLine;
using System.Reflection;
using GifLab.Cli.Commands;

namespace GifLab.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        // Every line written to stdout/stderr passes the one redaction function (no message can print a password).
        RedactingWriter.Install();
        // `giflab --version` is scripted per file like other tools' version probes: answer it before System.CommandLine
        // and the command tree are loaded (same text as the parser's --version).
        if (args is ["--version"])
        {
            Console.Out.WriteLine(VersionText());
            return ExitCodes.Ok;
        }
        try
        {
            return MainAsync(args).GetAwaiter().GetResult();
        }
        finally
        {
            RedactingWriter.FlushBoth();
        }
    }

    /// <summary>The entry assembly's informational version, as System.CommandLine's <c>--version</c> prints it.</summary>
    internal static string VersionText() =>
        typeof(Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(Program).Assembly.GetName().Version?.ToString() ?? "";

    private static async Task<int> MainAsync(string[] args)
    {
        var parse = BuildRoot().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
                await Console.Error.WriteLineAsync($"giflab: {error.Message}");
            foreach (var hint in Suggest.ForUnmatched(parse))
                await Console.Error.WriteLineAsync($"giflab: {hint}");
            await Console.Error.WriteLineAsync("Run 'giflab --help' or 'giflab <command> --help' for usage.");
            return ExitCodes.Usage;
        }
        return await parse.InvokeAsync();
    }

    /// <summary>The root command with every verb; tests parse against it without running jobs.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("GifLab: a GIF compression laboratory. " + ExitCodes.HelpText);
        foreach (var command in Commands())
            root.Subcommands.Add(command);
        return root;
    }

    private static IEnumerable<Command> Commands()
    {
        // One line per verb (keep alphabetical).
        yield return CompressCommand.Create();
        yield return EnginesCommand.Create();
        yield return ExportCommand.Create();
        yield return FeaturesCommand.Create();
        yield return LeaderboardCommand.Create();
        yield return MeasureCommand.Create();
        yield return MergeCommand.Create();
        yield return PredictCommand.Create();
        yield return ReportCommand.Create();
        yield return RunCommand.Create();
        yield return StatsCommand.Create();
        yield return TrainCommand.Create();
    }
}
