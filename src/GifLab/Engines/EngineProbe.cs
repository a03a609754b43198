using System.Text.RegularExpressions;

namespace GifLab.Engines;

/// <summary>What probing found for one binary family.</summary>
/// <param name="Capabilities">Family facts found by capability probes, e.g. <c>paletteuse.dithers</c>.</param>
public sealed record FamilyStatus(string Family, bool Available, string? BinaryPath, string? Version, string? Reason,
    IReadOnlyDictionary<string, string> Capabilities);

/// <summary>
/// Finds each family's binary once and probes its version and capabilities once (the reference re-ran a
/// <c>-version</c> subprocess on every availability check and every run).
/// </summary>
public static partial class EngineProbe
{
    /// <summary>Probes every family and derives each tool's status.</summary>
    public static async Task<IReadOnlyList<FamilyStatus>> ProbeFamiliesAsync(EngineSettings settings, CancellationToken ct)
    {
        var runner = new ToolRunner(settings);
        var tasks = new[]
        {
            ProbeGifsicleAsync(runner, settings, ct),
            ProbeImageMagickAsync(runner, settings, ct),
            ProbeFfmpegAsync(runner, settings, ct),
            ProbeGifskiAsync(runner, settings, ct),
            ProbeAnimatelyAsync(runner, settings, ct),
        };
        return await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    /// <summary>A tool's status from its family's status (FFmpeg dither variants also need their dither).</summary>
    public static ToolStatus StatusOf(ToolDescriptor tool, IReadOnlyDictionary<string, FamilyStatus> families)
    {
        if (tool.IsNoOp) return new ToolStatus(tool, true, null, "builtin", null);
        if (!families.TryGetValue(tool.Family, out var f) || !f.Available)
            return new ToolStatus(tool, false, f?.BinaryPath, f?.Version, f?.Reason ?? $"{tool.Family} not probed");
        if (tool.Family == ToolFamilies.Ffmpeg && FfmpegTools.DitherModeOf(tool.Name) is { } mode
            && f.Capabilities.TryGetValue("paletteuse.dithers", out var list))
        {
            var supported = list.Split(',', StringSplitOptions.RemoveEmptyEntries);
            if (!supported.Contains(mode, StringComparer.Ordinal))
                return new ToolStatus(tool, false, f.BinaryPath, f.Version,
                    $"ffmpeg {f.Version} paletteuse has no dither '{mode}' (supports: {string.Join(", ", supported)})");
        }
        return new ToolStatus(tool, true, f.BinaryPath, f.Version, null);
    }

    private static string? Env(EngineSettings s, string name) =>
        s.UseEnvironment && Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;

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

    private static async Task<(string Text, bool Ran)> TryRunAsync(ToolRunner runner, string exe, string[] args, EngineSettings s, CancellationToken ct)
    {
        try
        {
            var r = await runner.RunAsync(new ToolInvocation(exe, args), Path.GetFileName(exe), null, s.ProbeTimeout, ct).ConfigureAwait(false);
            return (r.StdoutTail + "\n" + r.StderrTail, true);
        }
        catch (ToolFailedException e)
        {
            return (e.StderrTail, false);
        }
    }

    private static FamilyStatus Missing(string family, string reason) =>
        new(family, false, null, null, reason, new Dictionary<string, string>());

    private static async Task<FamilyStatus> ProbeSimpleAsync(ToolRunner runner, EngineSettings s, string family, string? configured,
        string envName, string defaultName, string[] versionArgs, Regex versionPattern, CancellationToken ct)
    {
        var name = configured ?? Env(s, envName) ?? defaultName;
        var exe = Locate(name, s).FirstOrDefault();
        if (exe is null)
            return Missing(family, configured is not null || Env(s, envName) is not null
                ? $"'{name}' is not an executable file"
                : $"'{defaultName}' not found on PATH (set {envName})");
        var (text, ran) = await TryRunAsync(runner, exe, versionArgs, s, ct).ConfigureAwait(false);
        if (!ran) return new FamilyStatus(family, false, exe, null, $"'{exe} {string.Join(' ', versionArgs)}' failed: {text.Trim()}", new Dictionary<string, string>());
        var m = versionPattern.Match(text);
        return new FamilyStatus(family, true, exe, m.Success ? m.Groups[1].Value : "unknown", null, new Dictionary<string, string>());
    }

    private static Task<FamilyStatus> ProbeGifsicleAsync(ToolRunner runner, EngineSettings s, CancellationToken ct) =>
        ProbeSimpleAsync(runner, s, ToolFamilies.Gifsicle, s.GifsiclePath, "GIFLAB_GIFSICLE_PATH", "gifsicle", ["--version"], GifsicleVersion(), ct);

    private static async Task<FamilyStatus> ProbeGifskiAsync(ToolRunner runner, EngineSettings s, CancellationToken ct)
    {
        var f = await ProbeSimpleAsync(runner, s, ToolFamilies.Gifski, s.GifskiPath, "GIFLAB_GIFSKI_PATH", "gifski", ["--version"], GifskiVersion(), ct).ConfigureAwait(false);
        if (!f.Available || f.BinaryPath is null) return f;
        var (help, _) = await TryRunAsync(runner, f.BinaryPath, ["--help"], s, ct).ConfigureAwait(false);
        foreach (var option in new[] { "--fps", "--repeat", "--no-sort", "--quality" })
            if (!help.Contains(option, StringComparison.Ordinal))
                return f with { Available = false, Reason = $"gifski {f.Version} lacks {option} (needed to keep delays and loop count)" };
        return f with { Capabilities = new Dictionary<string, string> { ["options"] = "--fps,--repeat,--no-sort,--quality" } };
    }

    private static async Task<FamilyStatus> ProbeAnimatelyAsync(ToolRunner runner, EngineSettings s, CancellationToken ct)
    {
        var name = s.AnimatelyPath ?? Env(s, "GIFLAB_ANIMATELY_PATH") ?? "animately";
        var exe = Locate(name, s).FirstOrDefault();
        if (exe is null)
            return Missing(ToolFamilies.Animately, name == "animately"
                ? "'animately' not found on PATH (proprietary, no Linux build; set EngineSettings.AnimatelyPath or GIFLAB_ANIMATELY_PATH)"
                : $"'{name}' is not an executable file");
        var (text, ran) = await TryRunAsync(runner, exe, ["--version"], s, ct).ConfigureAwait(false);
        var m = AnimatelyVersion().Match(text);
        // animately's --version is not guaranteed: a binary that starts is usable; record "unknown" then.
        return new FamilyStatus(ToolFamilies.Animately, true, exe, m.Success ? m.Groups[1].Value : ran ? FirstToken(text) : "unknown", null,
            new Dictionary<string, string>());
    }

    private static string FirstToken(string text)
    {
        var t = text.Trim().Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries);
        return t.Length > 0 && t[0].Length <= 40 ? t[0] : "unknown";
    }

    private static async Task<FamilyStatus> ProbeImageMagickAsync(ToolRunner runner, EngineSettings s, CancellationToken ct)
    {
        var explicitName = s.ImageMagickPath ?? Env(s, "GIFLAB_IMAGEMAGICK_PATH");
        string[] names = explicitName is not null ? [explicitName] : ["magick", "convert", "convert-im6.q16", "convert-im6"];
        var rejected = new List<string>();
        foreach (var name in names)
        {
            foreach (var exe in Locate(name, s))
            {
                // A script (e.g. a sandbox's stand-in 'convert') is never trusted as ImageMagick, even if it forwards.
                if (IsScript(exe)) { rejected.Add($"{exe} is a script wrapper"); continue; }
                var (text, ran) = await TryRunAsync(runner, exe, ["-version"], s, ct).ConfigureAwait(false);
                var m = ImageMagickVersion().Match(text);
                if (!ran || !m.Success) { rejected.Add($"{exe} -version does not report ImageMagick"); continue; }
                return new FamilyStatus(ToolFamilies.ImageMagick, true, exe, m.Groups[1].Value, null,
                    new Dictionary<string, string> { ["command"] = Path.GetFileName(exe) });
            }
        }
        return Missing(ToolFamilies.ImageMagick, rejected.Count > 0
            ? "no real ImageMagick binary: " + string.Join("; ", rejected)
            : "neither 'magick' nor 'convert' found on PATH (set GIFLAB_IMAGEMAGICK_PATH)");
    }

    private static async Task<FamilyStatus> ProbeFfmpegAsync(ToolRunner runner, EngineSettings s, CancellationToken ct)
    {
        var f = await ProbeSimpleAsync(runner, s, ToolFamilies.Ffmpeg, s.FfmpegPath, "GIFLAB_FFMPEG_PATH", "ffmpeg", ["-hide_banner", "-version"], FfmpegVersion(), ct).ConfigureAwait(false);
        if (!f.Available || f.BinaryPath is null) return f;
        var caps = new Dictionary<string, string>();
        var (use, _) = await TryRunAsync(runner, f.BinaryPath, ["-hide_banner", "-h", "filter=paletteuse"], s, ct).ConfigureAwait(false);
        var (gen, _) = await TryRunAsync(runner, f.BinaryPath, ["-hide_banner", "-h", "filter=palettegen"], s, ct).ConfigureAwait(false);
        var (mux, _) = await TryRunAsync(runner, f.BinaryPath, ["-hide_banner", "-h", "muxer=gif"], s, ct).ConfigureAwait(false);
        if (!gen.Contains("max_colors", StringComparison.Ordinal) || !use.Contains("dither", StringComparison.Ordinal))
            return f with { Available = false, Reason = $"ffmpeg {f.Version} lacks the palettegen/paletteuse filters" };
        caps["paletteuse.dithers"] = string.Join(',', ParseDithers(use));
        caps["gif.final_delay"] = mux.Contains("final_delay", StringComparison.Ordinal) ? "yes" : "no";
        return f with { Capabilities = caps };
    }

    /// <summary>
    /// Dither names from <c>ffmpeg -h filter=paletteuse</c>: the named constants listed under the <c>dither</c> option, plus
    /// <c>none</c> when the option's range starts at 0 (FFmpeg 5.1 accepts <c>none</c> = 0 without listing it).
    /// </summary>
    public static IReadOnlyList<string> ParseDithers(string helpText)
    {
        var result = new List<string>();
        var lines = helpText.Split('\n');
        var inDither = false;
        foreach (var raw in lines)
        {
            var line = raw.TrimEnd('\r');
            var option = OptionLine().Match(line);
            if (option.Success)
            {
                inDither = option.Groups[1].Value == "dither";
                if (inDither && line.Contains("from 0 ", StringComparison.Ordinal)) result.Add("none");
                continue;
            }
            if (!inDither) continue;
            var constant = ConstantLine().Match(line);
            if (constant.Success) { if (!result.Contains(constant.Groups[1].Value)) result.Add(constant.Groups[1].Value); }
            else if (line.Trim().Length > 0) inDither = false;
        }
        return result;
    }

    [GeneratedRegex(@"LCDF Gifsicle (\S+)")] private static partial Regex GifsicleVersion();
    [GeneratedRegex(@"gifski (\S+)")] private static partial Regex GifskiVersion();
    [GeneratedRegex(@"ffmpeg version (\S+)")] private static partial Regex FfmpegVersion();
    [GeneratedRegex(@"Version: ImageMagick (\S+)")] private static partial Regex ImageMagickVersion();
    [GeneratedRegex(@"Version: (\S+)")] private static partial Regex AnimatelyVersion();
    [GeneratedRegex(@"^  {1,3}-?([a-z_0-9]+)\s+<")] private static partial Regex OptionLine();
    [GeneratedRegex(@"^\s{4,}([a-z_0-9]+)\s+-?\d+\s")] private static partial Regex ConstantLine();
}
