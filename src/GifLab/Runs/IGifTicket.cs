namespace GifLab.Runs;

/// <summary>
/// Why this process runs a GIF, and whom to tell what came of it: nobody in local mode (<see cref="LocalWorkSource"/>),
/// the work queue in queue mode (<see cref="QueueWorkSource"/>: claims to skip, fail, or tie to the stored GIF).
/// </summary>
internal interface IGifTicket
{
    /// <summary>The (pipeline id, preset id) keys this process may run for the GIF, or null for every planned item.</summary>
    IReadOnlySet<(long PipelineId, long PresetId)>? Keys { get; }

    /// <summary>Completes the keys that need no run (not in <paramref name="pending"/>: stored meanwhile, or skipped by the rerun policy).</summary>
    Task SkipAllButAsync(IReadOnlyList<PendingRun> pending, CancellationToken ct);

    /// <summary>Gives every key up for good (the GIF cannot be decoded).</summary>
    Task FailAsync(string why, CancellationToken ct);

    /// <summary>Ties the keys to the GIF's stored id, so that its finished runs complete them.</summary>
    void Attach(long gifId);
}
