using System.Diagnostics;

namespace GifLab.Cli.Tests.Reliability;

/// <summary>A small tmpfs mounted for one test (needs root / CAP_SYS_ADMIN); null with a reason when mounting is not permitted.</summary>
internal sealed class TmpfsMount : IDisposable
{
    private TmpfsMount(string path) => Path = path;

    public string Path { get; }

    public static TmpfsMount? TryCreate(string path, string size, out string reason)
    {
        Directory.CreateDirectory(path);
        if (!OperatingSystem.IsLinux()) { reason = "not Linux"; return null; }
        var (ok, err) = Exec("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", path);
        reason = ok ? "" : $"mount -t tmpfs not permitted here ({err.Trim()})";
        return ok ? new TmpfsMount(path) : null;
    }

    public void ReadOnly() => Check(Exec("mount", "-o", "remount,ro", Path));

    public void ReadWrite() => Check(Exec("mount", "-o", "remount,rw", Path));

    public void Dispose() => Exec("umount", "-l", Path);

    private static void Check((bool Ok, string Err) r)
    {
        if (!r.Ok) throw new InvalidOperationException("remount failed: " + r.Err);
    }

    private static (bool Ok, string Err) Exec(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(psi)!;
            var err = p.StandardError.ReadToEnd();
            p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return (p.ExitCode == 0, err);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (false, e.Message);
        }
    }
}
