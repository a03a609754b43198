using System.CommandLine;
using GifLab.Cli.Commands;

namespace GifLab.Cli;

public static class Program
{
    public static Task<int> Main(string[] args) => BuildRoot().Parse(args).InvokeAsync();

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
        yield return MeasureCommand.Create();
    }
}
