namespace GifLab.Runs;

/// <summary>
/// Bounds the source GIFs held in memory at once, by count (slots) and by estimated bytes, so peak memory depends on
/// the budget and the largest single GIF — not on corpus size or on how many large GIFs come in a row. A GIF larger
/// than the whole byte budget is still admitted, alone.
/// </summary>
public sealed class MemoryBudget
{
    private readonly SemaphoreSlim _slots;
    private readonly Lock _lock = new();
    private long _used;
    private int _holders;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public MemoryBudget(int slots, long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(bytes, 1);
        _slots = new SemaphoreSlim(slots, slots);
        Bytes = bytes;
    }

    /// <summary>The byte budget.</summary>
    public long Bytes { get; }

    /// <summary>Bytes reserved now.</summary>
    public long Used { get { lock (_lock) return _used; } }

    /// <summary>
    /// Default byte budget: GIFLAB_MEMORY_BUDGET_MB, else a quarter of the memory available to the process, capped at 4 GiB
    /// and at least 512 MiB.
    /// </summary>
    public static long DefaultBytes()
    {
        if (long.TryParse(Environment.GetEnvironmentVariable("GIFLAB_MEMORY_BUDGET_MB"), out var mb) && mb > 0) return mb << 20;
        var total = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return Math.Clamp(total / 4, 512L << 20, 4L << 30);
    }

    /// <summary>Takes a slot (before decoding a GIF).</summary>
    public async Task<Lease> EnterAsync(CancellationToken ct)
    {
        await _slots.WaitAsync(ct).ConfigureAwait(false);
        return new Lease(this);
    }

    private async Task ReserveAsync(Lease lease, long bytes, CancellationToken ct)
    {
        while (true)
        {
            Task wait;
            lock (_lock)
            {
                if (_holders == 0 || _used + bytes <= Bytes)
                {
                    _used += bytes;
                    _holders++;
                    lease.Reserved = bytes;
                    return;
                }
                wait = _changed.Task;
            }
            await wait.WaitAsync(ct).ConfigureAwait(false);
        }
    }

    private void Release(Lease lease)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            if (lease.Reserved is { } r)
            {
                _used -= r;
                _holders--;
                lease.Reserved = null;
            }
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
        _slots.Release();
    }

    /// <summary>One GIF's hold on the budget: a slot, then its bytes once known. Dispose once.</summary>
    public sealed class Lease(MemoryBudget owner) : IDisposable
    {
        private int _disposed;
        internal long? Reserved { get; set; }

        /// <summary>Waits until <paramref name="bytes"/> fit in the budget (immediately when no other GIF holds bytes).</summary>
        public Task ReserveAsync(long bytes, CancellationToken ct) => owner.ReserveAsync(this, bytes, ct);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) owner.Release(this);
        }
    }
}
