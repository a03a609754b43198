using GifLab.Core.Model;
using GifLab.Storage;
using GifLab.Storage.Merge;
using GifLab.Storage.Postgres;

namespace GifLab.Tests.Storage;

/// <summary>
/// A real store behind every member of <see cref="IResultStore"/>; a test overrides only the member whose behaviour it
/// changes (a failing save, a slow lookup), so the interface is spelled out once for all such stores.
/// </summary>
public abstract class DelegatingResultStore(IResultStore inner) : IResultStore
{
    protected IResultStore Inner { get; } = inner;

    public virtual string Location => Inner.Location;
    public virtual Task InitializeAsync(CancellationToken ct) => Inner.InitializeAsync(ct);
    public virtual Task SyncToolsAsync(IEnumerable<ToolRow> tools, CancellationToken ct) => Inner.SyncToolsAsync(tools, ct);
    public virtual Task<StoredIds> EnsurePipelinesAndPresetsAsync(IEnumerable<PipelineId> pipelines, IEnumerable<ParamPreset> presets, CancellationToken ct) =>
        Inner.EnsurePipelinesAndPresetsAsync(pipelines, presets, ct);
    public virtual Task<(long Id, GifRecord Gif)?> GetGifAsync(string sha256, CancellationToken ct) => Inner.GetGifAsync(sha256, ct);
    public virtual Task<long> UpsertGifAsync(GifRecord gif, CancellationToken ct) => Inner.UpsertGifAsync(gif, ct);
    public virtual Task<IReadOnlyDictionary<(long PipelineId, long PresetId), RunState>> GetRunStatesAsync(long gifId, CancellationToken ct) =>
        Inner.GetRunStatesAsync(gifId, ct);
    public virtual Task SaveRunsAsync(IReadOnlyList<RunRecord> runs, CancellationToken ct) => Inner.SaveRunsAsync(runs, ct);
    public virtual Task RecordFileFailureAsync(FailureRecord failure, CancellationToken ct) => Inner.RecordFileFailureAsync(failure, ct);
    public virtual Task ClearFileFailuresAsync(string filePath, CancellationToken ct) => Inner.ClearFileFailuresAsync(filePath, ct);
    public virtual Task<StoreStats> GetStatsAsync(CancellationToken ct) => Inner.GetStatsAsync(ct);
    public virtual PostgresDatabase? SharedDatabase => Inner.SharedDatabase;
    public virtual Task<IReadOnlyList<ShardMergeCounts>> MergeShardsAsync(IReadOnlyList<string> shardPaths, CancellationToken ct) =>
        Inner.MergeShardsAsync(shardPaths, ct);
    public virtual IDatasetReader? OpenDatasetReader(IReadOnlyList<string> lossyToolOrder) => Inner.OpenDatasetReader(lossyToolOrder);
    public virtual ValueTask DisposeAsync() => Inner.DisposeAsync();
}
