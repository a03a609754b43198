using Npgsql;

namespace GifLab.Storage.Postgres;

/// <summary>
/// A PostgreSQL GifLab database as several processes share it: a pooled data source and one transaction per
/// operation, retried with exponential backoff on transient failures (<see cref="PostgresException.IsTransient"/>,
/// serialization failures, deadlocks, connection loss) until <see cref="RetryLimit"/>; then, and for environment errors
/// (authentication, missing database), <see cref="StorageUnavailableException"/>. The result store writes through it,
/// and so does the work queue (<c>Queue/PostgresWorkQueue</c>), which the store exposes it for
/// (<see cref="IResultStore.SharedDatabase"/>).
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private long _transientRetries;
    private bool _disposed;
    private volatile bool _connectedOnce;

    internal PostgresDatabase(string connectionString, string location, TimeSpan retryLimit)
    {
        _dataSource = new NpgsqlDataSourceBuilder(connectionString).Build();
        Location = location;
        RetryLimit = retryLimit;
    }

    /// <summary>Where the database is, without the password.</summary>
    public string Location { get; }

    /// <summary>How long transient failures are retried.</summary>
    public TimeSpan RetryLimit { get; }

    /// <summary>
    /// How long a connection that cannot even be opened (refused, unknown host, unreachable network) is retried before
    /// this database has been reached once: a wrong host or port fails within seconds instead of the whole
    /// <see cref="RetryLimit"/>. Once connected, a refused connection (a server restart) gets the full limit.
    /// </summary>
    public TimeSpan ConnectRetryLimit { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Transient failures retried so far (diagnostics).</summary>
    public long TransientRetries => Interlocked.Read(ref _transientRetries);

    /// <summary>
    /// Runs one operation (one transaction) on a pooled connection, retrying transient failures with exponential
    /// backoff and jitter. The operation must be safe to repeat: a retried transaction was rolled back, or (when the
    /// connection died during COMMIT) committed, so every write through it must be an idempotent upsert.
    /// </summary>
    public async Task<T> ExecuteAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> operation, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var started = DateTime.UtcNow;
        var delay = TimeSpan.FromMilliseconds(50);
        var attempt = 0;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            attempt++;
            try
            {
                await using var conn = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
                _connectedOnce = true;
                return await operation(conn, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (IsTransient(e) && !ct.IsCancellationRequested)
            {
                var waited = DateTime.UtcNow - started;
                if (!_connectedOnce && IsUnreachable(e) && waited + delay > ConnectRetryLimit)
                    throw new StorageUnavailableException(Location,
                        $"cannot connect to PostgreSQL: {Describe(e)}; gave up after {attempt} attempts in {waited.TotalSeconds:0.#} s " +
                        "(is the server running, and are the host and port right?)", e);
                if (waited + delay > RetryLimit)
                    throw new StorageUnavailableException(Location,
                        $"PostgreSQL kept failing with transient errors; gave up after {attempt} attempts in {waited.TotalSeconds:0.#} s (limit {RetryLimit.TotalSeconds:0} s): {Describe(e)}", e);
                Interlocked.Increment(ref _transientRetries);
                var jitter = 0.5 + Random.Shared.NextDouble() * 0.5;
                await Task.Delay(delay * jitter, ct).ConfigureAwait(false);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 2000));
            }
            catch (PostgresException e) when (IsEnvironment(e))
            {
                throw new StorageUnavailableException(Location, Describe(e), e);
            }
            catch (NpgsqlException e) when (e is not PostgresException)
            {
                throw new StorageUnavailableException(Location, Describe(e), e);
            }
        }
    }

    /// <summary>Whether a failure is worth retrying: Npgsql's own verdict, serialization failures, deadlocks, connection loss.</summary>
    internal static bool IsTransient(Exception e) => e switch
    {
        PostgresException pe => pe.IsTransient || pe.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected
                                 || pe.SqlState.StartsWith("08", StringComparison.Ordinal),
        NpgsqlException ne => ne.IsTransient || ne.InnerException is IOException or System.Net.Sockets.SocketException or TimeoutException,
        _ => false,
    };

    /// <summary>A connection that could not be opened at all: refused, host unknown, network or host unreachable.</summary>
    internal static bool IsUnreachable(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
            if (x is System.Net.Sockets.SocketException se && se.SocketErrorCode is System.Net.Sockets.SocketError.ConnectionRefused
                    or System.Net.Sockets.SocketError.HostNotFound or System.Net.Sockets.SocketError.HostUnreachable
                    or System.Net.Sockets.SocketError.NetworkUnreachable or System.Net.Sockets.SocketError.TryAgain
                    or System.Net.Sockets.SocketError.NoData or System.Net.Sockets.SocketError.AddressNotAvailable)
                return true;
        return false;
    }

    /// <summary>Errors of the environment rather than of GifLab: authentication, missing database, no permission, disk full.</summary>
    private static bool IsEnvironment(PostgresException e) =>
        e.SqlState.StartsWith("28", StringComparison.Ordinal)      // invalid authorization
        || e.SqlState.StartsWith("3D", StringComparison.Ordinal)   // invalid catalog (database does not exist)
        || e.SqlState.StartsWith("53", StringComparison.Ordinal)   // insufficient resources (disk full, out of memory)
        || e.SqlState == PostgresErrorCodes.InsufficientPrivilege
        || e.SqlState == PostgresErrorCodes.ReadOnlySqlTransaction;

    private static string Describe(Exception e) => e switch
    {
        PostgresException pe => $"{pe.SqlState}: {pe.MessageText}",
        _ => e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message,
    };

    public ValueTask DisposeAsync()
    {
        if (_disposed) return ValueTask.CompletedTask;
        _disposed = true;
        return _dataSource.DisposeAsync();
    }
}
