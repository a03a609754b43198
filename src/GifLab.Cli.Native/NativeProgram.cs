using System.CommandLine;
using GifLab.Cli.Commands;

namespace GifLab.Cli;

/// <summary>
/// Entry point of <c>giflab-native</c>: <c>--version</c>, <c>measure</c>, <c>features</c> and <c>predict</c> with the same definitions,
/// output and exit codes as <c>giflab</c> (GifLab.Cli's Program). Any other command is a usage error naming the full CLI.
/// </summary>
public static class NativeProgram
{
    /// <summary>The commands this executable answers (the launcher sends only these to it).</summary>
    public static readonly string[] Commands = ["measure", "features", "predict"];

    public static int Main(string[] args) => CliEntry.Run(args, BuildRoot, typeof(NativeProgram).Assembly, before: a =>
    {
        if (a.Length > 0 && Array.IndexOf(Commands, a[0]) >= 0) return null;
        Console.Error.WriteLine($"giflab-native: answers only --version, {string.Join(", ", Commands)}; run ./giflab (GifLab.Cli) for every command.");
        return ExitCodes.Usage;
    });

    private static RootCommand BuildRoot() =>
        new("GifLab: a GIF compression laboratory. " + ExitCodes.HelpText) { MeasureCommand.Create(), FeaturesCommand.Create(), PredictCommand.Create() };
}
