using System.Diagnostics;
using Xunit.Abstractions;

namespace GifLab.Cli.Tests.Reliability;

/// <summary>
/// Only regular files are read (issue #19, item 9): a FIFO named <c>*.gif</c> and <c>/dev/zero</c> given to
/// <c>features</c>, <c>predict</c> and <c>measure</c> get a clear error at once (exit 6), never a hang (a FIFO blocks
/// its reader until a writer appears) or an OutOfMemoryException (<c>/dev/zero</c> never ends).
/// </summary>
public class SpecialFileTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    public static TheoryData<string, string> Cases => new()
    {
        { "features", "fifo" },
        { "features", "/dev/zero" },
        { "predict", "fifo" },
        { "predict", "/dev/zero" },
        { "measure", "fifo" },
        { "measure", "/dev/zero" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void SpecialFile_ClearErrorAtOnce_Exit6(string command, string target)
    {
        if (!OperatingSystem.IsLinux()) return;
        using var box = new Sandbox();
        var path = target;
        if (target == "fifo")
        {
            path = box.PathOf("fifo.gif");
            using var mk = Process.Start(new ProcessStartInfo("mkfifo") { ArgumentList = { path }, UseShellExecute = false })!;
            mk.WaitForExit();
            Assert.Equal(0, mk.ExitCode);
        }
        var good = box.CopyGif("engines/animated-red-blue.gif", "in");
        string[] args = command == "measure" ? [command, path, good] : [command, path];
        var sw = Stopwatch.StartNew();
        var (code, stdout, stderr) = box.Run(Limit, args); // throws TimeoutException on a hang
        output.WriteLine($"giflab {string.Join(' ', args)}: exit {code} in {sw.Elapsed.TotalSeconds:0.0} s\n{stdout}{stderr}");
        Assert.Equal(ExitCodes.InputError, code);
        Assert.Contains("not a regular file", stderr);
        Assert.Contains(target == "fifo" ? "FIFO" : "character device", stderr);
        Assert.DoesNotContain("OutOfMemory", stderr);
        Assert.DoesNotContain("unexpected error", stderr);
    }
}
