using GifLab.Core.Model;
using GifLab.Storage.Merge;
using GifLab.Storage.Postgres;

namespace GifLab.Storage;

/// <summary>
/// The storage contract (SQLite by default; a PostgreSQL implementation follows the same contract).
/// All writes are transactional and idempotent per run key.
/// </summary>
public interface IResultStore : IAsyncDisposable
{
    /// <summary>Human-readable location (file path or connection without password).</summary>
    string Location { get; }

    /// <summary>Creates or migrates the schema.</summary>
    Task InitializeAsync(CancellationToken ct);

    /// <summary>Upserts tool rows by name (availability and versions as probed now).</summary>
    Task SyncToolsAsync(IEnumerable<ToolRow> tools, CancellationToken ct);

    /// <summary>Ensures the pipelines and presets exist; returns their ids.</summary>
    Task<StoredIds> EnsurePipelinesAndPresetsAsync(IEnumerable<PipelineId> pipelines, IEnumerable<ParamPreset> presets, CancellationToken ct);

    /// <summary>The stored GIF with this SHA-256 and its id, or null.</summary>
    Task<(long Id, GifRecord Gif)?> GetGifAsync(string sha256, CancellationToken ct);

    /// <summary>Inserts or updates a GIF row by SHA-256; returns its id.</summary>
    Task<long> UpsertGifAsync(GifRecord gif, CancellationToken ct);

    /// <summary>State of every stored run key of a GIF, keyed by (pipeline id, preset id).</summary>
    Task<IReadOnlyDictionary<(long PipelineId, long PresetId), RunState>> GetRunStatesAsync(long gifId, CancellationToken ct);

    /// <summary>Stores a batch of finished runs (replacing rows of the same key) and their failures in one transaction.</summary>
    Task SaveRunsAsync(IReadOnlyList<RunRecord> runs, CancellationToken ct);

    /// <summary>Stores a failure that is not tied to a run (file-level: unreadable, not a GIF, undecodable).</summary>
    Task RecordFileFailureAsync(FailureRecord failure, CancellationToken ct);

    /// <summary>Removes file-level failures recorded for a path (it has now been processed).</summary>
    Task ClearFileFailuresAsync(string filePath, CancellationToken ct);

    Task<StoreStats> GetStatsAsync(CancellationToken ct);

    // Capabilities: what a backend offers beyond the common contract (callers ask the store, never test its type).

    /// <summary>
    /// The database that several workers share (PostgreSQL), through which a work queue coordinates them; null when the
    /// store is one process's file (SQLite: parallel machines write shards and merge them).
    /// </summary>
    PostgresDatabase? SharedDatabase { get; }

    /// <summary>
    /// Merges SQLite shard databases (from <c>giflab run --shard K/N</c>) into this store by natural keys, the newer row
    /// winning; one transaction per shard; merging again changes nothing. Creates or migrates the schema first.
    /// </summary>
    Task<IReadOnlyList<ShardMergeCounts>> MergeShardsAsync(IReadOnlyList<string> shardPaths, CancellationToken ct);

    /// <summary>
    /// Opens the streaming read side (export, statistics, training data) on this store's database, or returns null when
    /// the backend has none (PostgreSQL).
    /// </summary>
    /// <param name="lossyToolOrder">Lossy tool names in the order runs are returned (see <see cref="IDatasetReader.ReadRuns"/>).</param>
    /// <exception cref="StorageUnavailableException">The database is missing, unreadable or not a GifLab database.</exception>
    IDatasetReader? OpenDatasetReader(IReadOnlyList<string> lossyToolOrder);
}
