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
}
