using GifLab.Cli;

namespace GifLab.Cli.Tests;

public class ProgramTests
{
    [Fact]
    public void UnknownCommand_IsAParseError()
    {
        var result = Program.BuildRoot().Parse(["no-such-verb"]);
        Assert.NotEmpty(result.Errors);
    }

    [Fact]
    public void Version_PrintsTheCliInformationalVersion()
    {
        // `--version` alone is answered before the command tree is built; it prints what System.CommandLine's own
        // --version prints: the entry assembly's informational version.
        var run = CliRunner.Run(Path.GetTempPath(), TimeSpan.FromSeconds(60), "--version");
        var expected = typeof(Program).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .Cast<System.Reflection.AssemblyInformationalVersionAttribute>().Single().InformationalVersion;
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(expected + Environment.NewLine, run.Stdout);
        Assert.Equal("", run.Stderr);
        Assert.Matches(@"^\d+\.\d+\.\d+", run.Stdout);
    }
}
