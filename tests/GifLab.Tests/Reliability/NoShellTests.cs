using System.Text.RegularExpressions;

namespace GifLab.Tests.Reliability;

/// <summary>
/// No shell anywhere: every process GifLab starts gets an argument list, never a command string a shell would parse.
/// ToolRunner refuses shell executables (Engines/ToolRunnerTests.Run_ShellExecutable_IsRejected, IsShell_FollowsSymlinks);
/// this scan keeps the rest of src/ from growing a way around it.
/// </summary>
public partial class NoShellTests
{
    private static readonly (string Name, Regex Pattern)[] Forbidden =
    [
        ("UseShellExecute = true", UseShellExecuteTrue()),
        ("\"/bin/sh\" or \"/bin/bash\"", BinShell()),
        ("bash -c / sh -c", ShellDashC()),
        ("Process.Start(string …) with a command string", ProcessStartString()),
        ("ProcessStartInfo.Arguments (one string parsed into argv)", ArgumentsString()),
        ("ProcessStartInfo(file, arguments string)", PsiTwoArgs()),
    ];

    [Fact]
    public void Sources_StartNoShell_AndPassArgumentListsOnly()
    {
        var src = Path.Combine(Engines.TestEnvironment.RepoRoot, "src");
        var files = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                     && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        Assert.True(files.Count > 50, $"only {files.Count} source files found under {src}");
        var hits = new List<string>();
        var starts = 0;
        foreach (var file in files)
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i];
                if (line.TrimStart().StartsWith("//", StringComparison.Ordinal)) continue;
                if (line.Contains("ProcessStartInfo(", StringComparison.Ordinal)) starts++;
                foreach (var (name, pattern) in Forbidden)
                    if (pattern.IsMatch(line))
                        hits.Add($"{Path.GetRelativePath(src, file)}:{i + 1}: {name}: {line.Trim()}");
            }
        }
        Assert.True(hits.Count == 0, "shell-style process starts found:\n" + string.Join('\n', hits));
        Assert.True(starts >= 2, "the scan found no ProcessStartInfo at all: the patterns no longer match the code");
    }

    [Theory]
    [InlineData("var psi = new ProcessStartInfo(\"x\") { UseShellExecute = true };")]
    [InlineData("Process.Start(\"/bin/sh\", new[] { \"-c\", cmd });")]
    [InlineData("args = [\"bash\", \"-c\", script];")]
    [InlineData("Process.Start(\"gifsicle \" + path);")]
    [InlineData("Process.Start(command);")]
    [InlineData("psi.Arguments = $\"-O3 {input}\";")]
    [InlineData("new ProcessStartInfo(\"gifsicle\", \"-O3 \" + input)")]
    public void Scan_CatchesEachForbiddenForm(string line) =>
        Assert.Contains(Forbidden, f => f.Pattern.IsMatch(line));

    [Theory]
    [InlineData("using var p = Process.Start(psi);")]
    [InlineData("var psi = new ProcessStartInfo(invocation.Executable)")]
    [InlineData("psi.ArgumentList.Add(a);")]
    [InlineData("UseShellExecute = false,")]
    public void Scan_AllowsArgumentLists(string line) =>
        Assert.DoesNotContain(Forbidden, f => f.Pattern.IsMatch(line));

    [GeneratedRegex(@"UseShellExecute\s*=\s*true")]
    private static partial Regex UseShellExecuteTrue();

    [GeneratedRegex("\"/(usr/)?bin/(ba|da|z|k)?sh\"")]
    private static partial Regex BinShell();

    [GeneratedRegex("\\b(ba|da|z)?sh\"?\\s*,?\\s*\"?-c\\b")]
    private static partial Regex ShellDashC();

    // Process.Start with anything but a ProcessStartInfo variable (psi/startInfo/info): a file name or command string.
    [GeneratedRegex(@"Process\.Start\(\s*(?!(psi|startInfo|info)\s*\))[^)]")]
    private static partial Regex ProcessStartString();

    [GeneratedRegex(@"\.Arguments\s*=|\bArguments\s*=\s*\$?""")]
    private static partial Regex ArgumentsString();

    [GeneratedRegex(@"new\s+ProcessStartInfo\([^)]*,")]
    private static partial Regex PsiTwoArgs();
}
