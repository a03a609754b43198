namespace GifLab.Engines;

/// <summary>
/// Finds each family's binary once and probes its version and capabilities once (the reference re-ran a
/// <c>-version</c> subprocess on every availability check and every run). Each family probes itself
/// (<see cref="EngineFamily.ProbeAsync"/>); this class runs them and holds the file-system look-ups they share.
/// </summary>
public static class EngineProbe
{
    /// <summary>Probes every family of <paramref name="registry"/> at once (families with nothing to probe are left out).</summary>
    public static async Task<IReadOnlyList<FamilyStatus>> ProbeFamiliesAsync(EngineSettings settings, FamilyRegistry registry, CancellationToken ct)
    {
        var probe = new FamilyProbe(settings);
        var found = await Task.WhenAll(registry.Families.Select(f => f.ProbeAsync(probe, ct))).ConfigureAwait(false);
        return found.OfType<FamilyStatus>().ToList();
    }

    /// <summary>A tool's status from its family's status (the family may refine it, e.g. FFmpeg dither variants).</summary>
    public static ToolStatus StatusOf(ToolDescriptor tool, IReadOnlyDictionary<string, FamilyStatus> families, FamilyRegistry? registry = null)
    {
        if (tool.IsNoOp) return new ToolStatus(tool, true, null, "builtin", null);
        if (!families.TryGetValue(tool.Family, out var f) || !f.Available)
            return new ToolStatus(tool, false, f?.BinaryPath, f?.Version, f?.Reason ?? $"{tool.Family} not probed");
        return (registry ?? FamilyRegistry.Default).FamilyOf(tool).StatusOf(tool, f);
    }

    /// <summary>Every executable file named <paramref name="name"/> on the search path, in order (or the path itself when it has a directory part).</summary>
    public static IEnumerable<string> Locate(string name, EngineSettings settings)
    {
        if (name.Contains(Path.DirectorySeparatorChar) || name.Contains(Path.AltDirectorySeparatorChar))
        {
            var full = Path.GetFullPath(name);
            if (IsExecutableFile(full)) yield return full;
            yield break;
        }
        var path = settings.SearchPath ?? Environment.GetEnvironmentVariable("PATH") ?? "";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate;
            try { candidate = Path.GetFullPath(Path.Combine(dir, name)); }
            catch (ArgumentException) { continue; }
            if (IsExecutableFile(candidate) && seen.Add(Resolve(candidate))) yield return candidate;
        }
    }

    private static string Resolve(string path)
    {
        try { return new FileInfo(path).ResolveLinkTarget(true)?.FullName ?? path; }
        catch (IOException) { return path; }
    }

    private static bool IsExecutableFile(string path)
    {
        try
        {
            if (!File.Exists(path)) return false;
            if (OperatingSystem.IsWindows()) return true;
            var mode = File.GetUnixFileMode(path);
            return (mode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }

    /// <summary>True when the file starts with "#!" (a script, e.g. a stand-in wrapper), not a native binary.</summary>
    public static bool IsScript(string path)
    {
        try
        {
            using var f = File.OpenRead(path);
            Span<byte> head = stackalloc byte[2];
            return f.Read(head) == 2 && head[0] == (byte)'#' && head[1] == (byte)'!';
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }
}
