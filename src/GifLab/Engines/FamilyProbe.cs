using System.Text.RegularExpressions;

namespace GifLab.Engines;

/// <summary>What a family's probe may use: the settings, a process runner with the probe timeout, and binary look-up.</summary>
public sealed class FamilyProbe(EngineSettings settings)
{
    private readonly ToolRunner _runner = new(settings);

    public EngineSettings Settings { get; } = settings;

    /// <summary>The family's configured binary: <see cref="EngineSettings.BinaryPaths"/>, else <c>GIFLAB_&lt;FAMILY&gt;_PATH</c>, else null.</summary>
    public string? Configured(string family) =>
        Settings.BinaryPaths.GetValueOrDefault(family) ?? Env(EnvName(family));

    /// <summary><c>GIFLAB_&lt;FAMILY&gt;_PATH</c>, e.g. <c>GIFLAB_GIFSICLE_PATH</c>.</summary>
    public static string EnvName(string family) => $"GIFLAB_{family.ToUpperInvariant().Replace('-', '_')}_PATH";

    private string? Env(string name) =>
        Settings.UseEnvironment && Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;

    /// <summary>Every executable file of this name on the search path (see <see cref="EngineProbe.Locate"/>).</summary>
    public IEnumerable<string> Locate(string name) => EngineProbe.Locate(name, Settings);

    /// <summary>Runs the binary with the probe timeout: its output (stdout then stderr) and whether it exited 0.</summary>
    public async Task<(string Text, bool Ran)> TryRunAsync(string exe, string[] args, CancellationToken ct)
    {
        try
        {
            var r = await _runner.RunAsync(new ToolInvocation(exe, args), Path.GetFileName(exe), null, Settings.ProbeTimeout, ct).ConfigureAwait(false);
            return (r.StdoutTail + "\n" + r.StderrTail, true);
        }
        catch (ToolFailedException e)
        {
            return (e.StderrTail, false);
        }
    }

    /// <summary>An unavailable family with its reason.</summary>
    public static FamilyStatus Missing(string family, string reason) =>
        new(family, false, null, null, reason, new Dictionary<string, string>());

    /// <summary>
    /// The usual probe: the configured binary or <paramref name="defaultName"/> on the search path, run with
    /// <paramref name="versionArgs"/>; available when it exits 0, version from the first group of <paramref name="versionPattern"/>.
    /// </summary>
    public async Task<FamilyStatus> SimpleAsync(string family, string defaultName, string[] versionArgs, Regex versionPattern, CancellationToken ct)
    {
        var configured = Configured(family);
        var name = configured ?? defaultName;
        var exe = Locate(name).FirstOrDefault();
        if (exe is null)
            return Missing(family, configured is not null
                ? $"'{name}' is not an executable file"
                : $"'{defaultName}' not found on PATH (set {EnvName(family)})");
        var (text, ran) = await TryRunAsync(exe, versionArgs, ct).ConfigureAwait(false);
        if (!ran) return new FamilyStatus(family, false, exe, null, $"'{exe} {string.Join(' ', versionArgs)}' failed: {text.Trim()}", new Dictionary<string, string>());
        var m = versionPattern.Match(text);
        return new FamilyStatus(family, true, exe, m.Success ? m.Groups[1].Value : "unknown", null, new Dictionary<string, string>());
    }
}
