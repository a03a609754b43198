using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace GifLab.Engines;

/// <summary>What one finished external process produced.</summary>
/// <param name="ExitCode">The process exit code.</param>
/// <param name="StdoutTail">The last <see cref="ToolRunner.TailLimitChars"/> characters of stdout.</param>
/// <param name="StderrTail">The last <see cref="ToolRunner.TailLimitChars"/> characters of stderr.</param>
/// <param name="WallMs">Wall time from start to exit.</param>
/// <param name="CpuMs">
/// User + system CPU time, best effort: sampled from <c>/proc/&lt;pid&gt;/stat</c> (utime + stime + cutime + cstime) every
/// <see cref="ToolRunner.CpuSampleInterval"/> while the process runs, so the CPU used in the last interval before exit is
/// missed (a lower bound; 0 for processes shorter than one interval). Null where /proc is absent (non-Linux).
/// </param>
public sealed record ProcessResult(int ExitCode, string StdoutTail, string StderrTail, double WallMs, double? CpuMs)
{
    /// <summary>
    /// Processes the engine left behind, killed by GifLab: members of its process group still alive after it exited,
    /// and descendants that escaped the group (<c>setsid</c>) but kept its output pipes open. Empty normally.
    /// </summary>
    public IReadOnlyList<string> LeftBehind { get; init; } = [];
}

/// <summary>
/// The only code that starts processes. Argument lists only (<see cref="ProcessStartInfo.ArgumentList"/>), never a
/// shell; stdout and stderr drained concurrently into bounded tails; a timeout and cancellation that kill the whole
/// process tree; a cap on processes running at once shared by every runner built from the same
/// <see cref="EngineSettings"/> instance.
/// </summary>
/// <remarks>
/// Process isolation (issue #19 items 2 and 10; see <see cref="EngineLauncher"/>): every tool runs in its own process
/// group, so a terminal's Ctrl+C (SIGINT to the foreground group) reaches GifLab alone and GifLab stops its engines
/// itself; on timeout, cancellation and after a normal exit the whole group is killed; descendants that escaped the
/// group but hold the tool's output pipes are found through the pipes, killed and reported instead of waited for;
/// and a tool whose GifLab dies (even by SIGKILL) is sent SIGTERM, then SIGKILL 2 s later, with its group.
/// </remarks>
public sealed partial class ToolRunner
{
    /// <summary>Characters of stdout/stderr kept (the tail).</summary>
    public const int TailLimitChars = 8 * 1024;

    /// <summary>How often CPU time is sampled from /proc while a process runs.</summary>
    public static readonly TimeSpan CpuSampleInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>Executable names that are shells or command interpreters; refused so no shell string can ever run.</summary>
    private static readonly HashSet<string> ShellNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "sh", "bash", "dash", "zsh", "ksh", "mksh", "csh", "tcsh", "fish", "ash", "busybox", "rbash",
        "cmd", "cmd.exe", "powershell", "powershell.exe", "pwsh", "pwsh.exe", "command.com", "env",
    };

    private static readonly ConditionalWeakTable<EngineSettings, SemaphoreSlim> Gates = new();

    /// <summary>Environment variables pointed at the working directory so tools' own temp files land there.</summary>
    public static IReadOnlyList<string> TempVariables { get; } = ["TMPDIR", "TMP", "TEMP", "MAGICK_TEMPORARY_PATH"];

    /// <summary>
    /// glibc allocator settings given to every engine unless the user's environment sets them: large blocks come from
    /// the heap and freed memory is kept for reuse instead of a fresh zero-filled <c>mmap</c> per block. Measured
    /// reason: ImageMagick 6.9 maps and unmaps a 128 MiB block per frame; on a 320×240×30 GIF its <c>-coalesce
    /// -colors 64 -layers OptimizeFrame</c> took 2.7 s (2.2 s of it kernel time zeroing pages) and takes 0.85 s with
    /// these settings, with byte-identical output (ffmpeg, gifsicle and gifski are unaffected either way). Only the
    /// allocator's strategy changes, never a tool's result; a process's peak memory stays what it was.
    /// </summary>
    public static IReadOnlyDictionary<string, string> AllocatorVariables { get; } = new Dictionary<string, string>
    {
        ["MALLOC_MMAP_THRESHOLD_"] = "1073741824",
        ["MALLOC_TRIM_THRESHOLD_"] = "1073741824",
    };

    private readonly SemaphoreSlim _gate;

    public ToolRunner(EngineSettings settings)
    {
        Settings = settings;
        _gate = Gates.GetValue(settings, s => new SemaphoreSlim(Math.Max(1, s.MaxConcurrentProcesses)));
    }

    public EngineSettings Settings { get; }

    /// <summary>True when the executable (by name, or the file a symlink points to) is a shell or command interpreter.</summary>
    public static bool IsShell(string executable)
    {
        if (ShellNames.Contains(Path.GetFileName(executable))) return true;
        try
        {
            var info = new FileInfo(executable);
            if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
                return ShellNames.Contains(target.Name);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return false;
    }

    /// <summary>Runs <paramref name="invocation"/> and returns its result whatever the exit code.</summary>
    /// <param name="invocation">Executable and arguments, passed verbatim.</param>
    /// <param name="timeout">Wall-clock limit; null → <see cref="EngineSettings.Timeout"/>.</param>
    /// <param name="workingDirectory">Working directory of the process (tools that write temp files write them here).</param>
    /// <param name="toolName">Tool name used in exceptions.</param>
    /// <param name="ct">Cancellation: kills the process tree, then throws <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="ArgumentException">The executable is a shell.</exception>
    /// <exception cref="ToolFailedException">Timeout (tree killed) or start failure.</exception>
    public async Task<ProcessResult> RunAsync(ToolInvocation invocation, string toolName, string? workingDirectory = null,
        TimeSpan? timeout = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        if (IsShell(invocation.Executable))
            throw new ArgumentException($"Refusing to run a shell or command interpreter ('{invocation.Executable}'); tools are run with argument lists only.", nameof(invocation));

        var limit = timeout ?? Settings.Timeout;
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return await RunCoreAsync(invocation, toolName, workingDirectory, limit, ct).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Runs and requires exit code 0.</summary>
    /// <exception cref="ToolFailedException">Non-zero exit, timeout or start failure.</exception>
    public async Task<ProcessResult> RunCheckedAsync(ToolInvocation invocation, string toolName, string? workingDirectory = null,
        TimeSpan? timeout = null, CancellationToken ct = default)
    {
        var result = await RunAsync(invocation, toolName, workingDirectory, timeout, ct).ConfigureAwait(false);
        if (result.ExitCode != 0)
            throw new ToolFailedException(toolName, ToolFailureReason.ExitCode, result.ExitCode, invocation, result.StderrTail);
        return result;
    }

    private static async Task<ProcessResult> RunCoreAsync(ToolInvocation invocation, string toolName, string? workingDirectory,
        TimeSpan limit, CancellationToken ct)
    {
        // A missing engine is an environment problem reported as a start failure (not an exit code of the launcher).
        if (invocation.Executable.Contains('/', StringComparison.Ordinal) && !File.Exists(invocation.Executable))
            throw new ToolFailedException(toolName, ToolFailureReason.StartFailed, null, invocation, $"{invocation.Executable}: no such file");
        var launcher = EngineLauncher.Prefix;
        var psi = new ProcessStartInfo(launcher.Count > 0 ? launcher[0] : invocation.Executable)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        if (workingDirectory is not null)
        {
            psi.WorkingDirectory = workingDirectory;
            // Temporary files the tool itself makes (ImageMagick pixel caches, etc.) stay inside the run's directory.
            foreach (var name in TempVariables) psi.Environment[name] = workingDirectory;
        }
        foreach (var (name, value) in AllocatorVariables)
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name))) psi.Environment[name] = value;
        for (var i = 1; i < launcher.Count; i++) psi.ArgumentList.Add(launcher[i]);
        if (launcher.Count > 0) psi.ArgumentList.Add(invocation.Executable);
        foreach (var a in invocation.Arguments) psi.ArgumentList.Add(a);

        using var process = new Process { StartInfo = psi };
        var stdout = new BoundedTail(TailLimitChars);
        var stderr = new BoundedTail(TailLimitChars);
        var clock = Stopwatch.StartNew();
        try
        {
            // Started from one long-lived thread: the parent-death signal fires when the thread that forked dies.
            if (!await EngineLauncher.StartAsync(process).ConfigureAwait(false))
                throw new ToolFailedException(toolName, ToolFailureReason.StartFailed, null, invocation, "");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or FileNotFoundException)
        {
            throw new ToolFailedException(toolName, ToolFailureReason.StartFailed, null, invocation, e.Message);
        }

        try { process.StandardInput.Close(); } catch (IOException) { }
        var pid = process.Id;
        var isolated = launcher.Count > 0; // the launcher leads the tool's own process group: pgid = pid
        var outTask = PumpAsync(process.StandardOutput, stdout);
        var errTask = PumpAsync(process.StandardError, stderr);

        using var timeoutCts = new CancellationTokenSource(limit);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeoutCts.Token);
        var cpu = new CpuSampler(pid);
        using var samplerStop = new CancellationTokenSource();
        var samplerTask = cpu.RunAsync(samplerStop.Token);

        try
        {
            await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            var escaped = new List<string>(KillTree(process, isolated ? pid : null));
            await samplerStop.CancelAsync().ConfigureAwait(false);
            escaped.AddRange(await DrainAsync(process, outTask, errTask).ConfigureAwait(false));
            await samplerTask.ConfigureAwait(false);
            if (ct.IsCancellationRequested) throw new OperationCanceledException($"{toolName} was cancelled (process tree killed).", ct);
            throw new ToolFailedException(toolName, ToolFailureReason.Timeout, null, invocation,
                stderr.ToString() + string.Create(CultureInfo.InvariantCulture, $"\n[killed after {limit.TotalSeconds:0.###} s]")
                + (escaped.Count > 0 ? $"\n[escaped processes killed: {string.Join(", ", escaped)}]" : ""));
        }

        clock.Stop();
        await samplerStop.CancelAsync().ConfigureAwait(false);
        await samplerTask.ConfigureAwait(false);
        // Whatever the tool left in its process group dies with it; descendants that escaped the group but keep the
        // pipes open are found through the pipes and killed (reported, not waited for).
        var leftBehind = new List<string>();
        if (isolated && KillGroup(pid)) leftBehind.Add($"members of process group {pid.ToString(CultureInfo.InvariantCulture)}");
        leftBehind.AddRange(await DrainAsync(process, outTask, errTask).ConfigureAwait(false));
        var exitCode = process.ExitCode;
        if (isolated && exitCode is 126 or 127 && stderr.ToString().Contains(EngineLauncher.StartFailureText, StringComparison.Ordinal))
            throw new ToolFailedException(toolName, ToolFailureReason.StartFailed, null, invocation, stderr.ToString());
        return new ProcessResult(exitCode, stdout.ToString(), stderr.ToString(), clock.Elapsed.TotalMilliseconds, cpu.CpuMs) { LeftBehind = leftBehind };
    }

    /// <summary>How long the output pipes may stay open after the tool exited or was killed before their holders are hunted.</summary>
    internal static readonly TimeSpan DrainGrace = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Waits (briefly) for stdout and stderr to reach end of file. Pipes still open then are held by descendants that
    /// escaped the tool's process group: they are found through /proc (same pipe inode), killed, and returned as
    /// "pid N (name)"; the drain then gets one more short grace.
    /// </summary>
    private static async Task<IReadOnlyList<string>> DrainAsync(Process process, Task a, Task b)
    {
        var both = Task.WhenAll(a, b);
        if (await Task.WhenAny(both, Task.Delay(DrainGrace)).ConfigureAwait(false) == both) return [];
        var escaped = PipeHolders.KillHoldersOf(process);
        await Task.WhenAny(both, Task.Delay(DrainGrace)).ConfigureAwait(false);
        return escaped;
    }

    /// <summary>
    /// Kills the tool's process tree and its process group; returns the descendants that had left the group (setsid),
    /// as "pid N (name)", killed too.
    /// </summary>
    private static IReadOnlyList<string> KillTree(Process process, int? group)
    {
        var escaped = group is { } g0 ? PipeHolders.KillEscapedDescendants(process.Id, g0) : [];
        try { process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { }
        catch (System.ComponentModel.Win32Exception) { }
        if (group is { } g) KillGroup(g);
        try { process.WaitForExit(5000); } catch (InvalidOperationException) { }
        return escaped;
    }

    /// <summary>SIGKILL to every process of group <paramref name="pgid"/>; true when the group still had members.</summary>
    private static bool KillGroup(int pgid)
    {
        if (!OperatingSystem.IsLinux() || pgid <= 1) return false;
        try { return SysKill(-pgid, 9) == 0; }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return false; }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    internal static partial int SysKill(int pid, int signal);

    private static async Task PumpAsync(StreamReader reader, BoundedTail tail)
    {
        var buffer = new char[4096];
        try
        {
            int n;
            while ((n = await reader.ReadAsync(buffer.AsMemory()).ConfigureAwait(false)) > 0)
                tail.Append(buffer.AsSpan(0, n));
        }
        catch (IOException) { }
        catch (ObjectDisposedException) { }
    }

    /// <summary>Keeps the last N characters written to it.</summary>
    private sealed class BoundedTail(int limit)
    {
        private readonly StringBuilder _sb = new();
        private readonly Lock _lock = new();

        public void Append(ReadOnlySpan<char> chars)
        {
            lock (_lock)
            {
                if (chars.Length >= limit) { _sb.Clear(); _sb.Append(chars[^limit..]); return; }
                _sb.Append(chars);
                if (_sb.Length > limit) _sb.Remove(0, _sb.Length - limit);
            }
        }

        public override string ToString()
        {
            lock (_lock) return _sb.ToString();
        }
    }

    /// <summary>Polls /proc/&lt;pid&gt;/stat for utime+stime+cutime+cstime (clock ticks) while the process lives.</summary>
    private sealed class CpuSampler(int pid)
    {
        // USER_HZ is 100 on every Linux ABI .NET supports (sysconf(_SC_CLK_TCK)).
        private const double MsPerTick = 10.0;
        private long _ticks = -1;

        public double? CpuMs => _ticks < 0 ? (OperatingSystem.IsLinux() ? 0 : null) : _ticks * MsPerTick;

        public async Task RunAsync(CancellationToken stop)
        {
            if (!OperatingSystem.IsLinux()) return;
            var path = $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat";
            while (true)
            {
                Sample(path);
                try { await Task.Delay(CpuSampleInterval, stop).ConfigureAwait(false); }
                catch (OperationCanceledException) { return; } // no sample after exit: the pid may already be reused
            }
        }

        private void Sample(string path)
        {
            // The launcher execs nothing itself: the tool is its child. Its own counters plus its children's (the
            // launcher's cutime/cstime take over a child's time once it is reaped, so the sum stays continuous).
            var total = Ticks(path);
            if (total < 0) return;
            try
            {
                var children = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/task/{pid.ToString(CultureInfo.InvariantCulture)}/children");
                foreach (var child in children.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    var t = Ticks($"/proc/{child}/stat");
                    if (t > 0) total += t;
                }
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
            if (total > _ticks) _ticks = total;
        }

        private static long Ticks(string path)
        {
            try
            {
                var text = File.ReadAllText(path);
                // Field 2 (comm) may contain spaces and parentheses: parse after the last ')'.
                var close = text.LastIndexOf(')');
                if (close < 0) return -1;
                var fields = text[(close + 2)..].Split(' ');
                // After comm: state(3) ... utime(14) stime(15) cutime(16) cstime(17) → indices 11..14 here.
                if (fields.Length < 15) return -1;
                long sum = 0;
                for (var i = 11; i <= 14; i++) sum += long.Parse(fields[i], CultureInfo.InvariantCulture);
                return sum;
            }
            catch (IOException) { return -1; }
            catch (UnauthorizedAccessException) { return -1; }
            catch (FormatException) { return -1; }
        }
    }
}
