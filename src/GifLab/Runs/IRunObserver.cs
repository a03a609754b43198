using GifLab.Core.Model;

namespace GifLab.Runs;

/// <summary>Progress events of a run (the CLI renders them; tests may count them). Called from several threads.</summary>
public interface IRunObserver
{
    void Discovered(int files);
    void GifStarted(string path, int pendingRuns);
    void GifFailed(string path, string reason);
    void RunFinished(string path, PipelineId pipeline, ParamPreset preset, string status);
    void Committed(int runs);

    /// <summary>
    /// Planned runs that will not run after all (already stored, a duplicate or rejected file, another shard's GIF, a GIF
    /// that does not decode): the live total starts at files × planned runs per GIF and shrinks by these.
    /// </summary>
    void RunsNotNeeded(int runs) { }

    /// <summary>Queue mode: nothing left to claim, waiting for <paramref name="heldByOthers"/> items other workers hold.</summary>
    void WaitingForOthers(long heldByOthers) { }
}

public sealed class NullRunObserver : IRunObserver
{
    public static NullRunObserver Instance { get; } = new();
    public void Discovered(int files) { }
    public void GifStarted(string path, int pendingRuns) { }
    public void GifFailed(string path, string reason) { }
    public void RunFinished(string path, PipelineId pipeline, ParamPreset preset, string status) { }
    public void Committed(int runs) { }
}
