using System.CommandLine;
using System.Reflection;

namespace GifLab.Cli;

/// <summary>
/// The entry sequence both executables share (<see cref="Program"/> and giflab-native's <c>NativeProgram</c>, which links
/// this file): redacting writers, <c>--version</c> answered before the command tree is built, parse errors with
/// suggestions (exit 2), then the command's action.
/// </summary>
internal static class CliEntry
{
    public static int Run(string[] args, Func<RootCommand> buildRoot, Assembly entry, Func<string[], int?>? before = null)
    {
        // Every line written to stdout/stderr passes the one redaction function (no message can print a password).
        RedactingWriter.Install();
        // `giflab --version` is scripted per file like other tools' version probes: answer it before System.CommandLine
        // and the command tree are loaded (same text as the parser's --version).
        if (args is ["--version"])
        {
            Console.Out.WriteLine(VersionText(entry));
            return ExitCodes.Ok;
        }
        try
        {
            return before?.Invoke(args) ?? InvokeAsync(buildRoot(), args).GetAwaiter().GetResult();
        }
        finally
        {
            RedactingWriter.FlushBoth();
        }
    }

    /// <summary>The assembly's informational version, as System.CommandLine's <c>--version</c> prints it.</summary>
    public static string VersionText(Assembly entry) =>
        entry.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? entry.GetName().Version?.ToString() ?? "";

    private static async Task<int> InvokeAsync(RootCommand root, string[] args)
    {
        var parse = root.Parse(args);
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
}
