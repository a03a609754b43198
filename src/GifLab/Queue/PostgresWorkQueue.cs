using System.Globalization;
using GifLab.Storage;
using GifLab.Storage.Postgres;
using Npgsql;
using NpgsqlTypes;
using static GifLab.Storage.Postgres.PostgresResultStore;
using static GifLab.Storage.Postgres.PostgresSql;

namespace GifLab.Queue;

/// <summary>
/// <see cref="IWorkQueue"/> on the <c>work_items</c> / <c>workers</c> tables of a PostgreSQL GifLab database
/// (migration 002). Claims use <c>FOR UPDATE SKIP LOCKED</c>, so concurrent claimers never wait on each other and never
/// get the same item; a claim is identified by (item id, worker id, attempt number), and completing it re-checks all
/// three under the row lock, in the same transaction that stores the results. Every call goes through the store's
/// transient-error retry; each is idempotent (a retried completion of an already-completed claim reports it lost and
/// stores nothing twice, because compression_runs is unique on the run key).
/// </summary>
public sealed class PostgresWorkQueue(PostgresDatabase database, WorkQueueOptions? options = null) : IWorkQueue
{
    public WorkQueueOptions Options { get; } = options ?? WorkQueueOptions.Default;

    public Task<string> RegisterWorkerAsync(CancellationToken ct)
    {
        var host = Environment.MachineName;
        var pid = Environment.ProcessId;
        var id = $"{host}:{pid.ToString(CultureInfo.InvariantCulture)}:{Guid.NewGuid().ToString("N")[..8]}";
        return database.ExecuteAsync(async (conn, ct) =>
        {
            await ExecAsync(conn, null, """
                INSERT INTO workers(id, host, pid) VALUES (@id, @host, @pid)
                ON CONFLICT(id) DO UPDATE SET last_seen = now();
                """, ct, P("id", NpgsqlDbType.Text, id), P("host", NpgsqlDbType.Text, host), P("pid", NpgsqlDbType.Integer, pid)).ConfigureAwait(false);
            return id;
        }, ct);
    }

    public Task<int> EnqueueAsync(IEnumerable<WorkKey> keys, CancellationToken ct)
    {
        var list = keys.DistinctBy(k => (k.GifSha, k.PipelineId, k.PresetId)).ToList();
        if (list.Count == 0) return Task.FromResult(0);
        return database.ExecuteAsync(async (conn, ct) =>
        {
            // One statement per 10,000 keys keeps parameter arrays bounded; all in one transaction.
            await using var tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false);
            var added = 0;
            foreach (var chunk in list.Chunk(10_000))
            {
                added += await ExecAsync(conn, tx, """
                    INSERT INTO work_items(gif_sha, file_path, pipeline_id, param_preset_id)
                    SELECT * FROM unnest(@sha, @path, @p, @r)
                    ON CONFLICT(gif_sha, pipeline_id, param_preset_id) DO NOTHING;
                    """, ct,
                    P("sha", NpgsqlDbType.Array | NpgsqlDbType.Text, chunk.Select(k => k.GifSha).ToArray()),
                    P("path", NpgsqlDbType.Array | NpgsqlDbType.Text, chunk.Select(k => k.FilePath).ToArray()),
                    P("p", NpgsqlDbType.Array | NpgsqlDbType.Bigint, chunk.Select(k => k.PipelineId).ToArray()),
                    P("r", NpgsqlDbType.Array | NpgsqlDbType.Bigint, chunk.Select(k => k.PresetId).ToArray())).ConfigureAwait(false);
            }
            await tx.CommitAsync(ct).ConfigureAwait(false);
            return added;
        }, ct);
    }

    private const string Claimable = "(state = 'pending' OR (state = 'claimed' AND lease_until < now() AND attempts < @max_attempts))";

    public Task<IReadOnlyList<WorkClaim>> ClaimAsync(string workerId, int max, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        // Single statement (autocommit): rows stay locked only while it runs; SKIP LOCKED makes concurrent claimers
        // take disjoint rows. Expired claims are re-claimable unless they already used every attempt.
        return ClaimCoreAsync(workerId, max, $"""
            SELECT id FROM work_items WHERE {Claimable}
            ORDER BY id LIMIT @n FOR UPDATE SKIP LOCKED
            """, ct);
    }

    public Task<IReadOnlyList<WorkClaim>> ClaimGifsAsync(string workerId, int maxGifs, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxGifs, 1);
        // The oldest claimable rows pick the GIFs (locking them), then every claimable row of those GIFs is taken; rows
        // our own statement locked are not skipped, rows another claimer holds are.
        return ClaimCoreAsync(workerId, maxGifs, $"""
            WITH pick AS (
                SELECT gif_sha FROM work_items WHERE {Claimable}
                ORDER BY id LIMIT @n FOR UPDATE SKIP LOCKED
            )
            SELECT id FROM work_items WHERE gif_sha IN (SELECT gif_sha FROM pick) AND {Claimable}
            FOR UPDATE SKIP LOCKED
            """, ct);
    }

    private async Task<IReadOnlyList<WorkClaim>> ClaimCoreAsync(string workerId, int n, string select, CancellationToken ct)
    {
        var claims = await database.ExecuteAsync(async (conn, ct) =>
        {
            await using var cmd = Command(conn, null, $"""
                WITH c AS (
                    {select}
                ), seen AS (
                    UPDATE workers SET last_seen = now() WHERE id = @w
                )
                UPDATE work_items w
                SET state = 'claimed', claimed_by = @w, lease_until = now() + @lease, heartbeat_at = now(), attempts = w.attempts + 1
                FROM c WHERE w.id = c.id
                RETURNING w.id, w.gif_sha, w.file_path, w.pipeline_id, w.param_preset_id, w.attempts;
                """,
                P("n", NpgsqlDbType.Integer, n), P("w", NpgsqlDbType.Text, workerId),
                P("lease", NpgsqlDbType.Interval, Options.Lease), P("max_attempts", NpgsqlDbType.Integer, Options.MaxAttempts));
            var list = new List<WorkClaim>();
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
                list.Add(new WorkClaim(r.GetInt64(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetInt64(3), r.GetInt64(4), r.GetInt32(5), workerId));
            return list;
        }, ct).ConfigureAwait(false);
        claims.Sort((a, b) => a.Id.CompareTo(b.Id));
        if (claims.Count < n) await FailExhaustedAsync(ct).ConfigureAwait(false);
        return claims;
    }

    /// <summary>Marks expired claims that used every attempt as failed (their worker died on them each time).</summary>
    private Task FailExhaustedAsync(CancellationToken ct) => database.ExecuteAsync(async (conn, ct) =>
        await ExecAsync(conn, null, """
            UPDATE work_items SET state = 'failed', finished_at = now(), lease_until = NULL,
                last_error = 'lease expired on each of ' || attempts || ' claims (worker died or hung)'
            WHERE id IN (SELECT id FROM work_items WHERE state = 'claimed' AND lease_until < now() AND attempts >= @max_attempts
                         FOR UPDATE SKIP LOCKED);
            """, ct, P("max_attempts", NpgsqlDbType.Integer, Options.MaxAttempts)).ConfigureAwait(false), ct);

    public Task<int> HeartbeatAsync(string workerId, CancellationToken ct) => database.ExecuteAsync(async (conn, ct) =>
    {
        await using var tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false);
        await ExecAsync(conn, tx, "UPDATE workers SET last_seen = now() WHERE id = @w;", ct, P("w", NpgsqlDbType.Text, workerId)).ConfigureAwait(false);
        var n = await ExecAsync(conn, tx, """
            UPDATE work_items SET lease_until = now() + @lease, heartbeat_at = now()
            WHERE claimed_by = @w AND state = 'claimed';
            """, ct, P("w", NpgsqlDbType.Text, workerId), P("lease", NpgsqlDbType.Interval, Options.Lease)).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return n;
    }, ct);

    public Task<CompletionResult> SaveRunsAndCompleteAsync(IReadOnlyList<ClaimedRun> runs, CancellationToken ct)
    {
        if (runs.Count == 0) return Task.FromResult(new CompletionResult([], []));
        return database.ExecuteAsync(async (conn, ct) =>
        {
            await using var tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false);
            var completed = await CompleteCoreAsync(conn, tx, runs.Select(r => r.Claim).ToList(), ct).ConfigureAwait(false);
            var toStore = runs.Where(r => completed.Contains(r.Claim.Id)).Select(r => r.Run).ToList();
            if (toStore.Count > 0) await SaveRunsCoreAsync(conn, tx, toStore, ct).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
            return Result(runs.Select(r => r.Claim), completed);
        }, ct);
    }

    public Task<CompletionResult> CompleteAsync(IReadOnlyList<WorkClaim> claims, CancellationToken ct)
    {
        if (claims.Count == 0) return Task.FromResult(new CompletionResult([], []));
        return database.ExecuteAsync(async (conn, ct) =>
        {
            await using var tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false);
            var completed = await CompleteCoreAsync(conn, tx, claims, ct).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
            return Result(claims, completed);
        }, ct);
    }

    private static CompletionResult Result(IEnumerable<WorkClaim> claims, HashSet<long> completed)
    {
        var done = new List<long>();
        var lost = new List<long>();
        foreach (var id in claims.Select(c => c.Id).Distinct()) (completed.Contains(id) ? done : lost).Add(id);
        return new CompletionResult(done, lost);
    }

    /// <summary>Marks claims done when they are still ours (same worker, same attempt, still claimed); returns those ids.</summary>
    private static async Task<HashSet<long>> CompleteCoreAsync(NpgsqlConnection conn, NpgsqlTransaction tx, IReadOnlyList<WorkClaim> claims, CancellationToken ct)
    {
        var ordered = claims.DistinctBy(c => c.Id).OrderBy(c => c.Id).ToList();
        await using var cmd = Command(conn, tx, """
            UPDATE work_items w SET state = 'done', finished_at = now(), lease_until = NULL, last_error = NULL
            FROM unnest(@ids, @attempts, @workers) AS c(id, attempt, worker)
            WHERE w.id = c.id AND w.attempts = c.attempt AND w.claimed_by = c.worker AND w.state = 'claimed'
            RETURNING w.id;
            """,
            P("ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint, ordered.Select(c => c.Id).ToArray()),
            P("attempts", NpgsqlDbType.Array | NpgsqlDbType.Integer, ordered.Select(c => c.Attempt).ToArray()),
            P("workers", NpgsqlDbType.Array | NpgsqlDbType.Text, ordered.Select(c => c.WorkerId).ToArray()));
        var done = new HashSet<long>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false)) done.Add(r.GetInt64(0));
        return done;
    }

    public Task<bool> FailAsync(WorkClaim claim, string error, bool retry, CancellationToken ct) => database.ExecuteAsync(async (conn, ct) =>
        await ExecAsync(conn, null, """
            UPDATE work_items SET
                state = CASE WHEN @retry AND attempts < @max_attempts THEN 'pending' ELSE 'failed' END,
                finished_at = CASE WHEN @retry AND attempts < @max_attempts THEN NULL ELSE now() END,
                lease_until = NULL, last_error = @error
            WHERE id = @id AND attempts = @attempt AND claimed_by = @w AND state = 'claimed';
            """, ct,
            P("retry", NpgsqlDbType.Boolean, retry), P("max_attempts", NpgsqlDbType.Integer, Options.MaxAttempts),
            P("error", NpgsqlDbType.Text, error), P("id", NpgsqlDbType.Bigint, claim.Id),
            P("attempt", NpgsqlDbType.Integer, claim.Attempt), P("w", NpgsqlDbType.Text, claim.WorkerId)).ConfigureAwait(false) == 1, ct);

    public Task<int> ReleaseAsync(string workerId, CancellationToken ct) => database.ExecuteAsync(async (conn, ct) =>
        // A clean release does not count as an attempt.
        await ExecAsync(conn, null, """
            UPDATE work_items SET state = 'pending', lease_until = NULL, attempts = GREATEST(attempts - 1, 0)
            WHERE claimed_by = @w AND state = 'claimed';
            """, ct, P("w", NpgsqlDbType.Text, workerId)).ConfigureAwait(false), ct);

    public Task<QueueProgress> GetProgressAsync(CancellationToken ct) => database.ExecuteAsync(async (conn, ct) =>
    {
        await using var cmd = Command(conn, null, """
            SELECT
                (SELECT COUNT(*) FROM work_items WHERE state = 'pending'),
                (SELECT COUNT(*) FROM work_items WHERE state = 'claimed'),
                (SELECT COUNT(*) FROM work_items WHERE state = 'claimed' AND lease_until < now()),
                (SELECT COUNT(*) FROM work_items WHERE state = 'done'),
                (SELECT COUNT(*) FROM work_items WHERE state = 'failed'),
                (SELECT COUNT(*) FROM workers),
                (SELECT COUNT(*) FROM workers WHERE last_seen > now() - @window);
            """, P("window", NpgsqlDbType.Interval, Options.ActiveWindow));
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await r.ReadAsync(ct).ConfigureAwait(false);
        return new QueueProgress(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6));
    }, ct);

    public Task<long> CountHeldByOthersAsync(string workerId, CancellationToken ct) => database.ExecuteAsync(async (conn, ct) =>
    {
        await using var cmd = Command(conn, null, "SELECT COUNT(*) FROM work_items WHERE state = 'claimed' AND claimed_by IS DISTINCT FROM @w;",
            P("w", NpgsqlDbType.Text, workerId));
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }, ct);

    public Task<IReadOnlyList<WorkerInfo>> GetWorkersAsync(CancellationToken ct) => database.ExecuteAsync<IReadOnlyList<WorkerInfo>>(async (conn, ct) =>
    {
        await using var cmd = Command(conn, null, """
            SELECT w.id, w.host, w.pid, w.started_at, w.last_seen, EXTRACT(EPOCH FROM now() - w.last_seen)::float8,
                   COUNT(i.id) FILTER (WHERE i.state = 'claimed'),
                   COUNT(i.id) FILTER (WHERE i.state = 'claimed' AND i.lease_until < now()),
                   COUNT(i.id) FILTER (WHERE i.state = 'done')
            FROM workers w LEFT JOIN work_items i ON i.claimed_by = w.id
            GROUP BY w.id, w.host, w.pid, w.started_at, w.last_seen
            ORDER BY w.last_seen DESC, w.id;
            """);
        var list = new List<WorkerInfo>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
            list.Add(new WorkerInfo(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetFieldValue<DateTimeOffset>(3), r.GetFieldValue<DateTimeOffset>(4),
                TimeSpan.FromSeconds(Math.Max(0, r.GetDouble(5))), r.GetInt64(6), r.GetInt64(7), r.GetInt64(8)));
        return list;
    }, ct);
}
