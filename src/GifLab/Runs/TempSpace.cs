using System.Diagnostics;
using System.Globalization;

namespace GifLab.Runs;

/// <summary>
/// The private temp folder of one process (<c>giflab-run-PID-RANDOM</c>), removed on dispose. At creation, folders
/// left by killed GifLab processes (their PID no longer alive) are removed.
/// </summary>
public sealed class TempSpace : IDisposable
{
    private const string Prefix = "giflab-run-";
    private long _next;

    public TempSpace(string? parent = null)
    {
        Parent = parent ?? DefaultParent();
        Directory.CreateDirectory(Parent);
        RemovedStale = CleanStale(Parent);
        Root = Path.Combine(Parent, $"{Prefix}{Environment.ProcessId}-{Path.GetRandomFileName().Replace(".", "", StringComparison.Ordinal)}");
        Directory.CreateDirectory(Root);
    }

    public string Parent { get; }

    /// <summary>
    /// Free bytes a run must find in the temp folder before it starts (and below which a failed run is taken for a
    /// victim of a full disk): four times the source file (intermediates, the output, a safe copy of the source) plus
    /// a reserve of GIFLAB_TEMP_RESERVE_MB MiB (default 4).
    /// </summary>
    public static long NeededFreeBytes(long sourceBytes)
    {
        long reserveMb = long.TryParse(Environment.GetEnvironmentVariable("GIFLAB_TEMP_RESERVE_MB"), System.Globalization.NumberStyles.None,
            CultureInfo.InvariantCulture, out var mb) ? mb : 4;
        return 4 * sourceBytes + (reserveMb << 20);
    }

    /// <summary>Free bytes on the temp folder's file system.</summary>
    public long FreeBytes => SafeFreeBytes(Parent);

    /// <summary>
    /// /dev/shm (tmpfs: intermediates never touch the disk) when it exists, is writable and has at least 1 GiB free;
    /// otherwise the system temp folder.
    /// </summary>
    public static string DefaultParent()
    {
        const string shm = "/dev/shm";
        try
        {
            if (OperatingSystem.IsLinux() && Directory.Exists(shm) && SafeFreeBytes(shm) >= (1L << 30))
            {
                var probe = Path.Combine(shm, $".giflab-probe-{Environment.ProcessId}");
                File.WriteAllBytes(probe, [1]);
                File.Delete(probe);
                return shm;
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return Path.GetTempPath();
    }

    /// <summary>Free bytes on the file system holding <paramref name="path"/>, or -1 when unknown.</summary>
    public static long SafeFreeBytes(string path)
    {
        try { return new DriveInfo(Path.GetFullPath(path)).AvailableFreeSpace; }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException) { return -1; }
    }
    public string Root { get; }

    /// <summary>Number of stale folders of dead processes removed at start.</summary>
    public int RemovedStale { get; }

    /// <summary>A new empty folder for one work item.</summary>
    public string CreateWorkDir()
    {
        var dir = Path.Combine(Root, Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static void TryDelete(string dir)
    {
        try { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static int CleanStale(string parent)
    {
        var removed = 0;
        foreach (var dir in Directory.EnumerateDirectories(parent, Prefix + "*"))
        {
            var name = Path.GetFileName(dir).AsSpan(Prefix.Length);
            var dash = name.IndexOf('-');
            if (dash <= 0 || !int.TryParse(name[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            if (pid == Environment.ProcessId || IsAlive(pid)) continue;
            TryDelete(dir);
            removed++;
        }
        return removed;
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    public void Dispose() => TryDelete(Root);
}
