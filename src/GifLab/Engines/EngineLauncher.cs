using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace GifLab.Engines;

/// <summary>
/// How engines are started so that they neither catch a terminal's Ctrl+C nor outlive GifLab. Each tool is started as
/// <c>setpriv --pdeathsig TERM -- timeout --kill-after=2 0 TOOL ARGS…</c> (both from util-linux / coreutils, present on
/// every Linux distribution; neither is a shell, the arguments stay a list):
/// <list type="bullet">
/// <item><c>timeout</c> (duration 0: no time limit of its own; GifLab keeps its own) puts itself and the tool in a new
/// process group, so SIGINT sent to the terminal's foreground group reaches GifLab alone; on SIGTERM it forwards the
/// signal to the whole group and sends SIGKILL 2 s later to anything still there.</item>
/// <item><c>setpriv --pdeathsig TERM</c> makes the kernel send that SIGTERM when GifLab dies, however it dies (SIGKILL,
/// OOM killer). The parent-death signal belongs to the forking <em>thread</em>, so every engine is forked from one
/// long-lived thread (<see cref="StartAsync"/>), never from a pool thread that may retire.</item>
/// </list>
/// Without <c>timeout</c> tools run directly (no own group); without a <c>setpriv</c> that knows <c>--pdeathsig</c>
/// they run without the parent-death signal. <see cref="Description"/> says which.
/// </summary>
public static class EngineLauncher
{
    /// <summary>What coreutils' timeout prints when it cannot execute the tool (exit 126/127).</summary>
    internal const string StartFailureText = "timeout: failed to run command";

    private static readonly Lazy<IReadOnlyList<string>> LazyPrefix = new(Probe);
    private static readonly BlockingCollection<Action> Starts = new();
    private static readonly Lazy<Thread> Spawner = new(() =>
    {
        var t = new Thread(() => { foreach (var start in Starts.GetConsumingEnumerable()) start(); })
        {
            IsBackground = true,
            Name = "giflab-engine-spawner",
        };
        t.Start();
        return t;
    });

    /// <summary>The argv placed before every tool's own (empty: tools run directly).</summary>
    public static IReadOnlyList<string> Prefix => LazyPrefix.Value;

    /// <summary>One line for logs: how engines are isolated here.</summary>
    public static string Description => Prefix.Count switch
    {
        0 => "engines run directly (no `timeout` found: no own process group, no parent-death signal)",
        _ when Prefix[0].EndsWith("setpriv", StringComparison.Ordinal) => "engines run in their own process group, killed when GifLab dies (setpriv --pdeathsig, timeout)",
        _ => "engines run in their own process group (timeout); no parent-death signal (no setpriv with --pdeathsig)",
    };

    /// <summary>Starts <paramref name="process"/> from the spawner thread (see the class remarks).</summary>
    internal static Task<bool> StartAsync(Process process)
    {
        if (Prefix.Count == 0) return Task.FromResult(process.Start());
        _ = Spawner.Value;
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        Starts.Add(() =>
        {
            try { done.SetResult(process.Start()); }
            catch (Exception e) { done.SetException(e); }
        });
        return done.Task;
    }

    private static IReadOnlyList<string> Probe()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("GIFLAB_ENGINE_ISOLATION") == "off") return [];
        var timeout = Find("timeout");
        if (timeout is null) return [];
        string[] group = [timeout, "--kill-after=2", "0"];
        var setpriv = Find("setpriv");
        if (setpriv is null || !SupportsPdeathsig(setpriv)) return group;
        return [setpriv, "--pdeathsig", "TERM", "--", .. group];
    }

    private static bool SupportsPdeathsig(string setpriv)
    {
        try
        {
            var psi = new ProcessStartInfo(setpriv) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add("--help");
            using var p = Process.Start(psi)!;
            var text = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
            p.WaitForExit(5000);
            return text.Contains("--pdeathsig", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return false;
        }
    }

    private static string? Find(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries)
                     .Concat(["/usr/bin", "/bin"]))
        {
            var path = Path.Combine(dir, name);
            if (File.Exists(path)) return path;
        }
        return null;
    }
}

/// <summary>Finds and kills processes other than GifLab that hold a child's stdout/stderr pipes open (Linux /proc).</summary>
internal static class PipeHolders
{
    /// <summary>Kills every other process holding <paramref name="process"/>'s output pipes; returns them as "pid N (name)".</summary>
    public static IReadOnlyList<string> KillHoldersOf(Process process)
    {
        if (!OperatingSystem.IsLinux()) return [];
        var pipes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var reader in new[] { process.StandardOutput, process.StandardError })
            if (reader.BaseStream is System.IO.Pipes.PipeStream ps && LinkOf($"/proc/self/fd/{ps.SafePipeHandle.DangerousGetHandle().ToInt64().ToString(CultureInfo.InvariantCulture)}") is { } link
                && link.StartsWith("pipe:", StringComparison.Ordinal))
                pipes.Add(link);
        if (pipes.Count == 0) return [];
        var self = Environment.ProcessId;
        var killed = new List<string>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == self) continue;
            try
            {
                foreach (var fd in Directory.EnumerateFileSystemEntries(Path.Combine(dir, "fd")))
                {
                    if (LinkOf(fd) is not { } l || !pipes.Contains(l)) continue;
                    var name = File.ReadAllText(Path.Combine(dir, "comm")).Trim();
                    ToolRunner.SysKill(pid, 9);
                    killed.Add($"pid {pid.ToString(CultureInfo.InvariantCulture)} ({name})");
                    break;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        return killed;
    }

    /// <summary>
    /// Walks the descendants of <paramref name="root"/> (/proc children lists) and kills those whose process group is
    /// not <paramref name="group"/>: they escaped the group (setsid) and a group kill would miss them.
    /// </summary>
    public static IReadOnlyList<string> KillEscapedDescendants(int root, int group)
    {
        if (!OperatingSystem.IsLinux()) return [];
        var escaped = new List<string>();
        var pending = new Stack<int>();
        pending.Push(root);
        var seen = new HashSet<int>();
        while (pending.Count > 0 && seen.Count < 10_000)
        {
            var pid = pending.Pop();
            if (!seen.Add(pid)) continue;
            var id = pid.ToString(CultureInfo.InvariantCulture);
            try
            {
                foreach (var child in File.ReadAllText($"/proc/{id}/task/{id}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    if (int.TryParse(child, NumberStyles.None, CultureInfo.InvariantCulture, out var c)) pending.Push(c);
                if (pid == root) continue;
                var stat = File.ReadAllText($"/proc/{id}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                // After comm: state(3) ppid(4) pgrp(5) → index 2.
                if (fields.Length > 2 && int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var pgrp) && pgrp != group)
                {
                    var name = File.ReadAllText($"/proc/{id}/comm").Trim();
                    ToolRunner.SysKill(pid, 9);
                    escaped.Add($"pid {id} ({name})");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        return escaped;
    }

    private static string? LinkOf(string path)
    {
        try { return new FileInfo(path).LinkTarget; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }
}
