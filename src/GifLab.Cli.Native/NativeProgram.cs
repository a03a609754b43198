using System.CommandLine;
using System.Reflection;
using GifLab.Cli.Commands;

namespace GifLab.Cli;

/// <summary>
/// Entry point of <c>giflab-native</c>: <c>--version</c>, <c>measure</c> and <c>features</c> with the same definitions,
/// output and exit codes as <c>giflab</c> (GifLab.Cli's Program). Any other command is a usage error naming the full CLI.
/// </summary>
public static class NativeProgram
{
    /// <summary>The commands this executable answers (the launcher sends only these to it).</summary>
    public static readonly string[] Commands = ["measure", "features"];

    public static int Main(string[] args)
    {
        RedactingWriter.Install();
        if (args is ["--version"])
        {
            Console.Out.WriteLine(VersionText());
            return ExitCodes.Ok;
        }
        try
        {
            if (args.Length == 0 || Array.IndexOf(Commands, args[0]) < 0)
            {
                Console.Error.WriteLine($"giflab-native: answers only --version, {string.Join(", ", Commands)}; run ./giflab (GifLab.Cli) for every command.");
                return ExitCodes.Usage;
            }
            var root = new RootCommand("GifLab: a GIF compression laboratory. " + ExitCodes.HelpText) { MeasureCommand.Create(), FeaturesCommand.Create() };
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0)
            {
                foreach (var error in parse.Errors) Console.Error.WriteLine($"giflab: {error.Message}");
                foreach (var hint in Suggest.ForUnmatched(parse)) Console.Error.WriteLine($"giflab: {hint}");
                Console.Error.WriteLine("Run 'giflab --help' or 'giflab <command> --help' for usage.");
                return ExitCodes.Usage;
            }
            return parse.Invoke();
        }
        finally
        {
            RedactingWriter.FlushBoth();
        }
    }

    internal static string VersionText() =>
        typeof(NativeProgram).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(NativeProgram).Assembly.GetName().Version?.ToString() ?? "";
}
