using System.Diagnostics;

namespace GifLab.Export;

/// <summary>Where an export came from: GifLab version and the git commit of the code when it can be found.</summary>
public static class Provenance
{
    private static readonly Lazy<string> Commit = new(FindGitCommit);

    /// <summary><c>git rev-parse --short HEAD</c> run next to the GifLab binaries, or <c>unknown</c> (no git, not a checkout, timeout).</summary>
    public static string GitCommit => Commit.Value;

    private static string FindGitCommit()
    {
        try
        {
            var psi = new ProcessStartInfo("git")
            {
                WorkingDirectory = AppContext.BaseDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            psi.ArgumentList.Add("rev-parse");
            psi.ArgumentList.Add("--short");
            psi.ArgumentList.Add("HEAD");
            using var p = Process.Start(psi);
            if (p is null) return "unknown";
            var stdout = p.StandardOutput.ReadToEndAsync();
            _ = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(3000))
            {
                try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                return "unknown";
            }
            var sha = stdout.GetAwaiter().GetResult().Trim();
            return p.ExitCode == 0 && sha.Length >= 7 && sha.All(char.IsAsciiHexDigit) ? sha : "unknown";
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return "unknown";
        }
    }
}
