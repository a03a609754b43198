using System.CommandLine;
using GifLab.Cli.Commands;

namespace GifLab.Cli;

public static class Program
{
    public static int Main(string[] args) => CliEntry.Run(args, BuildRoot, typeof(Program).Assembly);

    /// <summary>The entry assembly's informational version, as System.CommandLine's <c>--version</c> prints it.</summary>
    internal static string VersionText() => CliEntry.VersionText(typeof(Program).Assembly);

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
