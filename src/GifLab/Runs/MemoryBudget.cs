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
    private int _finalHolders;
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
    /// Default byte budget: GIFLAB_MEMORY_BUDGET_MB, else half of the memory available to the process (cgroup limits
    /// included), at least 512 MiB and at most 16 GiB. The estimates behind it are conservative (measured on
    /// ../shared/corpus/real with gifsicle: an 8 GiB budget peaked at 6.5 GB RSS). A budget too small for a large GIF
    /// makes its runs go one at a time and leaves cores idle: the same corpus took 148 s with a 4 GiB budget (89 % of the
    /// cores busy) and 138 s with 8 GiB (98 %).
    /// </summary>
    public static long DefaultBytes()
    {
        if (long.TryParse(Environment.GetEnvironmentVariable("GIFLAB_MEMORY_BUDGET_MB"), out var mb) && mb > 0) return mb << 20;
        var total = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return Math.Clamp(total / 2, 512L << 20, 16L << 30);
    }

    /// <summary>Takes a slot (before decoding a GIF).</summary>
    public async Task<Lease> EnterAsync(CancellationToken ct)
    {
        await _slots.WaitAsync(ct).ConfigureAwait(false);
        return new Lease(this);
    }

    private async Task ReserveAsync(Lease lease, long bytes, bool final, CancellationToken ct)
    {
        while (true)
        {
            Task? wait;
            TaskCompletionSource? shrunk = null;
            lock (_lock)
            {
                var held = lease.Reserved ?? 0;
                // A first reservation waits while anyone holds bytes that do not leave room. A lease that already holds
                // its decode reservation waits only for final holders (whose runs are under way and will release), so
                // two GIFs between decode and runs can never wait for each other.
                var blockers = lease.Reserved is null ? _holders : _finalHolders - (lease.Final ? 1 : 0);
                if (blockers > 0 && _used - held + bytes > Bytes)
                {
                    wait = _changed.Task;
                }
                else
                {
                    _used += bytes - held;
                    if (lease.Reserved is null) _holders++;
                    if (final && !lease.Final) { _finalHolders++; lease.Final = true; }
                    lease.Reserved = bytes;
                    if (bytes < held)
                    {
                        shrunk = _changed;
                        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    }
                    wait = null;
                }
            }
            if (wait is null)
            {
                shrunk?.TrySetResult();
                return;
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
                if (lease.Final) _finalHolders--;
                lease.Reserved = null;
                lease.Final = false;
            }
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
        _slots.Release();
    }

    /// <summary>Bytes per pixel (width × height × distinct frames) held for a GIF while its runs execute: its decoded
    /// frames (4 B/px) and the metric view of them (RGB + luma, 7 B/px) — two views (white and black) when it has
    /// transparent pixels (<see cref="SourceBytesPerPixel(bool)"/>). A frame byte-identical to the one before it shares
    /// that frame's decoded array and views, so only distinct frames count.</summary>
    public static long SourceBytesPerPixel(bool transparent) => transparent ? 18 : 11;

    /// <summary>Bytes per pixel of the source GIF (every frame, width × height × frames) held by each run in flight: the
    /// decoded output and one metric view of it (the white and black views of a transparent GIF are not alive together).
    /// Every frame counts: an engine's output is not known to repeat frames where the source does.</summary>
    public const long RunBytesPerPixel = 11;

    /// <summary>
    /// How many of one GIF's runs may execute at once: all that <paramref name="jobs"/> and the pending runs allow when
    /// they fit the budget, fewer when they do not, and at least one. A GIF too large for the budget therefore runs one
    /// run at a time, so its peak is about (11 + 11) bytes per pixel instead of (11 + 11 × jobs).
    /// </summary>
    /// <param name="pixels">Width × height × frames.</param>
    /// <param name="cacheBytes">What the GIF's prepared metric reference may cache besides its views (SSIMULACRA 2 pyramids).</param>
    /// <param name="distinctPixels">Width × height × frames that differ from the frame before them (what the source holds);
    /// <paramref name="pixels"/> when not given.</param>
    public static int ConcurrentRuns(long pixels, long budgetBytes, int jobs, int pendingRuns, bool transparent = false, long cacheBytes = 0,
                                     long? distinctPixels = null)
    {
        int wanted = Math.Max(1, Math.Min(jobs, pendingRuns));
        if (pixels <= 0) return wanted;
        long room = budgetBytes - EstimateBytes(pixels, 0, transparent, cacheBytes, distinctPixels);
        long fit = room <= 0 ? 1 : room / (RunBytesPerPixel * pixels);
        return (int)Math.Clamp(fit, 1, wanted);
    }

    /// <summary>Estimated bytes of a GIF of <paramref name="pixels"/> (width × height × frames, of which
    /// <paramref name="distinctPixels"/> in frames that differ from the one before) with <paramref name="runs"/> runs in flight.</summary>
    public static long EstimateBytes(long pixels, int runs, bool transparent = false, long cacheBytes = 0, long? distinctPixels = null) =>
        (distinctPixels ?? pixels) * SourceBytesPerPixel(transparent) + pixels * RunBytesPerPixel * runs + cacheBytes;

    /// <summary>One GIF's hold on the budget: a slot, then its bytes once known. Dispose once.</summary>
    public sealed class Lease(MemoryBudget owner) : IDisposable
    {
        private int _disposed;
        internal long? Reserved { get; set; }
        internal bool Final { get; set; }

        /// <summary>The whole budget this lease draws from.</summary>
        public long BudgetBytes => owner.Bytes;

        /// <summary>
        /// Waits until <paramref name="bytes"/> fit in the budget (immediately when no other GIF holds bytes), replacing
        /// what this lease held: the estimate for its runs, once decoded.
        /// </summary>
        public Task ReserveAsync(long bytes, CancellationToken ct) => owner.ReserveAsync(this, bytes, final: true, ct);

        /// <summary>
        /// Before decoding: waits until the decoded frames (estimated from the block structure, without decoding) fit
        /// in the budget, so large GIFs are not decoded side by side beyond it. Replaced by <see cref="ReserveAsync"/>.
        /// </summary>
        public Task ReserveForDecodeAsync(long bytes, CancellationToken ct) => owner.ReserveAsync(this, bytes, final: false, ct);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) owner.Release(this);
        }
    }
}
