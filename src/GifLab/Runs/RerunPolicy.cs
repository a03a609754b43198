using GifLab.Core.Metrics;
using GifLab.Storage;

namespace GifLab.Runs;

/// <summary>Which planned runs of a GIF must (re)execute given what is stored, under --force, --upgrade and --retry-failed.</summary>
internal static class RerunPolicy
{
    /// <summary>Whether a stored state means the run must (re)execute.</summary>
    public static bool NeedsRun(RunState? state, RunOptions options)
    {
        if (options.Force || state is null) return true;
        if (!state.HasRun)
            return state.FailurePermanent != true || options.RetryFailed;
        if (options.Upgrade && (state.MetricSetVersion ?? 0) < MetricSuite.SetVersion) return true;
        return state.ValidationStatus switch
        {
            "valid" => false,
            // A transient failure (timeout, internal error) is retried; a permanent one only with --retry-failed.
            "error" => state.FailurePermanent != true || options.RetryFailed,
            "corrupted" => options.RetryFailed,
            _ => true,
        };
    }

    /// <summary>A GIF that failed to decode earlier is left alone unless --force or --retry-failed.</summary>
    public static bool SkipsUndecodable(GifRecord? stored, RunOptions options) =>
        stored is { DecodeStatus: "error" } && !options.Force && !options.RetryFailed;

    /// <summary>What is stored about a GIF's runs (nothing when the GIF is new).</summary>
    public static async Task<IReadOnlyDictionary<(long PipelineId, long PresetId), RunState>> StatesAsync(RunContext ctx, long? gifId, CancellationToken ct) =>
        gifId is { } id
            ? await ctx.Store.GetRunStatesAsync(id, ct).ConfigureAwait(false)
            : new Dictionary<(long, long), RunState>();

    /// <summary>The planned runs of a GIF that must execute, in plan order; only keys in <paramref name="allowed"/> when given (queue claims).</summary>
    public static List<PendingRun> Pending(RunContext ctx, string gifSha, IReadOnlyDictionary<(long PipelineId, long PresetId), RunState> states,
                                           IReadOnlySet<(long PipelineId, long PresetId)>? allowed)
    {
        var pending = new List<PendingRun>();
        foreach (var item in ctx.Plan.Items)
        {
            var key = (ctx.Ids.Pipelines[item.Pipeline], ctx.Ids.Presets[item.Preset]);
            if (allowed is not null && !allowed.Contains(key)) continue;
            if (NeedsRun(states.GetValueOrDefault(key), ctx.Options))
                pending.Add(new PendingRun(item.On(gifSha), key.Item1, key.Item2, ctx.ToolVersions[item.Pipeline]));
        }
        return pending;
    }
}
