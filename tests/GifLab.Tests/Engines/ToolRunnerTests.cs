using System.Diagnostics;
using System.Text;
using GifLab.Engines;

namespace GifLab.Tests.Engines;

public class ToolRunnerTests
{
    private static readonly ToolRunner Runner = new(new EngineSettings { Timeout = TimeSpan.FromSeconds(30), MaxConcurrentProcesses = 4 });

    [Fact(Timeout = 30_000)]
    public async Task Run_Copy_ExitsZeroAndMeasuresTime()
    {
        using var tmp = TestEnvironment.NewTempDir();
        File.WriteAllText(tmp.File("in.gif"), "GIF89a-data");
        var r = await Runner.RunCheckedAsync(TestEnvironment.Fake("copy", tmp.File("in.gif"), tmp.File("out.gif")), "fake");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("GIF89a-data", File.ReadAllText(tmp.File("out.gif")));
        Assert.True(r.WallMs > 0);
        Assert.NotNull(r.CpuMs);
    }

    [Fact(Timeout = 30_000)]
    public async Task RunChecked_NonZeroExit_ThrowsWithExitCodeAndStderr()
    {
        var e = await Assert.ThrowsAsync<ToolFailedException>(() => Runner.RunCheckedAsync(TestEnvironment.Fake("exit", "7", "boom on purpose"), "fake"));
        Assert.Equal(ToolFailureReason.ExitCode, e.Reason);
        Assert.Equal(7, e.ExitCode);
        Assert.Contains("boom on purpose", e.StderrTail);
        Assert.Equal("exit", e.ReasonName);
        Assert.Contains("FakeTool.dll", e.Message);
    }

    [Fact(Timeout = 30_000)]
    public async Task Run_WithWorkingDirectory_PointsTempVariablesThere()
    {
        using var tmp = TestEnvironment.NewTempDir();
        foreach (var name in ToolRunner.TempVariables)
        {
            var r = await Runner.RunCheckedAsync(TestEnvironment.Fake("printenv", name), "fake", tmp.Path);
            Assert.Equal(tmp.Path, r.StdoutTail);
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Run_GivesEnginesTheAllocatorSettings_UnlessTheUserSetThem()
    {
        foreach (var (name, value) in ToolRunner.AllocatorVariables)
        {
            var r = await Runner.RunCheckedAsync(TestEnvironment.Fake("printenv", name), "fake");
            var own = Environment.GetEnvironmentVariable(name);
            Assert.Equal(string.IsNullOrEmpty(own) ? value : own, r.StdoutTail);
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Run_NonZeroExit_ReturnsResult()
    {
        var r = await Runner.RunAsync(TestEnvironment.Fake("exit", "3"), "fake");
        Assert.Equal(3, r.ExitCode);
    }

    [Fact(Timeout = 30_000)]
    public async Task Run_ArgumentsArriveVerbatim()
    {
        using var tmp = TestEnvironment.NewTempDir();
        string[] hostile = ["-leading-dash", "with space", "quote\"double", "quote'single", "new\nline", "ünïcödé-日本", "", "$HOME", "*.gif", "a;b|c&d", "back\\slash", "%d", "#0"];
        await Runner.RunCheckedAsync(TestEnvironment.Fake(["echo", tmp.File("argv.txt"), .. hostile]), "fake");
        var echoed = File.ReadAllText(tmp.File("argv.txt"), Encoding.UTF8).Split('\0');
        Assert.Equal(hostile, echoed);
    }

    [Theory]
    [InlineData("sh")]
    [InlineData("bash")]
    [InlineData("/bin/sh")]
    [InlineData("/usr/bin/dash")]
    [InlineData("zsh")]
    [InlineData("cmd.exe")]
    [InlineData("powershell")]
    public async Task Run_ShellExecutable_IsRejected(string shell)
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => Runner.RunAsync(new ToolInvocation(shell, ["-c", "echo hi"]), "shell"));
        Assert.Contains("shell", e.Message);
    }

    [Fact]
    public void IsShell_FollowsSymlinks()
    {
        if (!File.Exists("/bin/sh")) return;
        using var tmp = TestEnvironment.NewTempDir();
        var link = tmp.File("innocent-name");
        File.CreateSymbolicLink(link, "/bin/sh");
        Assert.True(ToolRunner.IsShell(link));
        Assert.False(ToolRunner.IsShell(TestEnvironment.FakeToolHost));
    }

    [Fact(Timeout = 30_000)]
    public async Task Run_MissingExecutable_FailsToStart()
    {
        var e = await Assert.ThrowsAsync<ToolFailedException>(() => Runner.RunAsync(new ToolInvocation("/nonexistent/giflab-no-such-tool", []), "missing"));
        Assert.Equal(ToolFailureReason.StartFailed, e.Reason);
    }

    [Fact(Timeout = 30_000)]
    public async Task Run_Hang_TimesOutAndKillsTheWholeTree()
    {
        using var tmp = TestEnvironment.NewTempDir();
        var pidFile = tmp.File("child.pid");
        var runner = new ToolRunner(new EngineSettings { Timeout = TimeSpan.FromSeconds(3) });
        var clock = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<ToolFailedException>(() => runner.RunAsync(TestEnvironment.Fake("spawn-hang", pidFile), "hang"));
        Assert.Equal(ToolFailureReason.Timeout, e.Reason);
        Assert.Equal("timeout", e.ReasonName);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        var childPid = int.Parse(File.ReadAllText(pidFile), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(await ProcessGoneAsync(childPid), $"grandchild {childPid} survived the tree kill");
    }

    [Fact(Timeout = 30_000)]
    public async Task Run_Cancelled_KillsTreeAndThrowsOperationCanceled()
    {
        using var tmp = TestEnvironment.NewTempDir();
        var pidFile = tmp.File("child.pid");
        using var cts = new CancellationTokenSource();
        var task = Runner.RunAsync(TestEnvironment.Fake("spawn-hang", pidFile), "hang", ct: cts.Token);
        var waited = Stopwatch.StartNew();
        while (!File.Exists(pidFile) || new FileInfo(pidFile).Length == 0)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(15), "child never started");
            await Task.Delay(50);
        }
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        var childPid = int.Parse(File.ReadAllText(pidFile), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(await ProcessGoneAsync(childPid), $"grandchild {childPid} survived cancellation");
    }

    [Fact(Timeout = 60_000)]
    public async Task Run_LargeStdoutAndStderr_AreDrainedConcurrentlyAndTailIsBounded()
    {
        var r = await Runner.RunCheckedAsync(TestEnvironment.Fake("spam", "4"), "spam");
        Assert.True(r.StderrTail.Length <= ToolRunner.TailLimitChars);
        Assert.True(r.StdoutTail.Length <= ToolRunner.TailLimitChars);
        Assert.EndsWith("END-OF-STDERR", r.StderrTail.TrimEnd());
    }

    [Fact(Timeout = 60_000)]
    public async Task Run_ConcurrencyCap_SerialisesProcesses()
    {
        var settings = new EngineSettings { MaxConcurrentProcesses = 1, Timeout = TimeSpan.FromSeconds(30) };
        var a = new ToolRunner(settings);
        var b = new ToolRunner(settings); // same settings instance → same gate
        var clock = Stopwatch.StartNew();
        var results = await Task.WhenAll(
            a.RunCheckedAsync(TestEnvironment.Fake("sleep", "400"), "s"),
            b.RunCheckedAsync(TestEnvironment.Fake("sleep", "400"), "s"),
            a.RunCheckedAsync(TestEnvironment.Fake("sleep", "400"), "s"));
        // Serialised: the wall time covers at least the three sleeps one after another.
        Assert.True(clock.Elapsed.TotalMilliseconds >= 1200, $"elapsed {clock.Elapsed.TotalMilliseconds} ms");
        Assert.All(results, r => Assert.True(r.WallMs >= 400));
    }

    private static async Task<bool> ProcessGoneAsync(int pid)
    {
        for (var i = 0; i < 50; i++)
        {
            if (!IsAlive(pid)) return true;
            await Task.Delay(100);
        }
        return false;
    }

    private static bool IsAlive(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            var stat = $"/proc/{pid}/stat";
            if (!File.Exists(stat)) return false;
            try
            {
                var text = File.ReadAllText(stat);
                var state = text[(text.LastIndexOf(')') + 2)..].Split(' ')[0];
                return state != "Z" && state != "X"; // a zombie is dead, only not yet reaped by its (re)parent
            }
            catch (IOException) { return false; }
        }
        try { using var p = Process.GetProcessById(pid); return !p.HasExited; }
        catch (ArgumentException) { return false; }
    }
}
