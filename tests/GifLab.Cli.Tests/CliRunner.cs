using System.Diagnostics;

namespace GifLab.Cli.Tests;

/// <summary>Runs the built CLI (GifLab.Cli.dll next to the test assembly) as a child process, with a timeout.</summary>
internal static class CliRunner
{
    public static string CliDll => Path.Combine(AppContext.BaseDirectory, "GifLab.Cli.dll");

    public static (int ExitCode, string Stdout, string Stderr) Run(string workDir, TimeSpan timeout, params string[] args) =>
        Run(workDir, timeout, new Dictionary<string, string?>(), args);

    /// <summary>Runs with extra environment variables (a null value removes the variable from the inherited environment).</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(string workDir, TimeSpan timeout, IReadOnlyDictionary<string, string?> environment,
                                                                 params string[] args) =>
        RunExecutable("dotnet", [CliDll, .. args], workDir, timeout, environment);

    /// <summary>Runs any executable (e.g. giflab-native) with the given arguments and extra environment variables.</summary>
    public static (int ExitCode, string Stdout, string Stderr) RunExecutable(string fileName, IReadOnlyList<string> args, string workDir,
                                                                           TimeSpan timeout, IReadOnlyDictionary<string, string?> environment)
    {
        var psi = new ProcessStartInfo(fileName) { WorkingDirectory = workDir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (key, value) in environment)
        {
            if (value is null) psi.Environment.Remove(key);
            else psi.Environment[key] = value;
        }
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"giflab {string.Join(' ', args)} did not finish in {timeout}");
        }
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>The repository root (for testdata and samples), found by walking up to GifLab.slnx.</summary>
    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "GifLab.slnx"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
        }
    }
}
