using GifLab.Engines;
using GifLab.Runs;

namespace GifLab.Tests.Runs;

/// <summary>Issue #19 item 1: which engine failures are environment problems (deferred, never stored) and which are the GIF's.</summary>
public class EnvironmentProblemTests
{
    private static readonly ToolInvocation Invocation = new("/usr/bin/gifsicle", ["-O3", "in.gif"]);

    [Theory]
    [InlineData(ToolFailureReason.StartFailed, null, true)]
    [InlineData(ToolFailureReason.ExitCode, 137, true)]  // SIGKILL (OOM killer)
    [InlineData(ToolFailureReason.ExitCode, 143, true)]  // SIGTERM
    [InlineData(ToolFailureReason.ExitCode, 130, true)]  // SIGINT
    [InlineData(ToolFailureReason.ExitCode, 129, true)]  // SIGHUP
    [InlineData(ToolFailureReason.ExitCode, 1, false)]
    [InlineData(ToolFailureReason.ExitCode, 139, false)] // SIGSEGV: the engine crashed on this input
    [InlineData(ToolFailureReason.NoOutput, 0, false)]
    [InlineData(ToolFailureReason.Timeout, null, false)] // stored as a transient failure, as before
    public void Classification(ToolFailureReason reason, int? exitCode, bool environment)
    {
        var e = new ToolFailedException("gifsicle", reason, exitCode, Invocation, "");
        Assert.Equal(environment, RunStep.EnvironmentProblem(e) is not null);
    }

    [Fact]
    public void TempReserve_IsFourTimesTheSourcePlusFourMiB_ByDefault()
    {
        Assert.Equal(4 * 1000 + (4L << 20), TempSpace.NeededFreeBytes(1000));
    }
}
