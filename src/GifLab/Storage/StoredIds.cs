using GifLab.Core.Model;

namespace GifLab.Storage;

/// <summary>Stable identity of a pipeline or preset in the store.</summary>
public readonly record struct StoredIds(IReadOnlyDictionary<PipelineId, long> Pipelines, IReadOnlyDictionary<ParamPreset, long> Presets);
