using System.Runtime.InteropServices;

namespace GifLab.Runs;

/// <summary>
/// CPU time (user + system) of this process's terminated, reaped child processes, from <c>getrusage(RUSAGE_CHILDREN)</c>.
/// The runtime reaps every engine process it starts, so the difference between two readings is the exact CPU the
/// engines (and their own children) used in between — including processes too short for /proc sampling to see.
/// Returns null where the call is not available (non-Linux).
/// </summary>
internal static partial class ChildCpu
{
    private const int RusageChildren = -1;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeVal
    {
        public long Seconds;
        public long Microseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct RUsage
    {
        public TimeVal UserTime;
        public TimeVal SystemTime;
        // 14 further long fields (maxrss, ixrss, …, nivcsw) that we do not read.
        public long F0, F1, F2, F3, F4, F5, F6, F7, F8, F9, F10, F11, F12, F13;
    }

    [LibraryImport("libc", EntryPoint = "getrusage", SetLastError = true)]
    private static partial int GetRUsage(int who, out RUsage usage);

    /// <summary>Milliseconds of CPU used by reaped children so far, or null when unknown.</summary>
    public static double? ReadMs()
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            if (GetRUsage(RusageChildren, out var u) != 0) return null;
            return (u.UserTime.Seconds + u.SystemTime.Seconds) * 1000.0 + (u.UserTime.Microseconds + u.SystemTime.Microseconds) / 1000.0;
        }
        catch (DllNotFoundException) { return null; }
        catch (EntryPointNotFoundException) { return null; }
    }
}
