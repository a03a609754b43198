using GifLab.Core.Model;

namespace GifLab.Runs;

/// <summary>One run of a GIF that must execute: its identity, its stored pipeline and preset ids, its tools' versions.</summary>
internal sealed record PendingRun(RunKey Key, long PipelineId, long PresetId, string ToolVersionsJson)
{
    /// <summary>"path pipeline preset", the prefix of this run's failure messages.</summary>
    public string Describe(string path) => $"{path} {Key.Pipeline} {Key.Preset}";
}
