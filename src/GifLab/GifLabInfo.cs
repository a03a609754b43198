using System.Reflection;

namespace GifLab;

/// <summary>Version facts recorded with results and exports.</summary>
public static class GifLabInfo
{
    /// <summary>The GifLab version (assembly informational version without build metadata).</summary>
    public static string Version { get; } =
        (typeof(GifLabInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0")
        .Split('+')[0];
}
