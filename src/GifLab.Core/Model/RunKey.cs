namespace GifLab.Core.Model;

/// <summary>Identity of one compression run: GIF content × pipeline × preset. Success or failure is recorded once per key.</summary>
public readonly record struct RunKey(string GifSha, PipelineId Pipeline, ParamPreset Preset);
