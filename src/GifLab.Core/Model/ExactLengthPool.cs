using System.Collections.Concurrent;

namespace GifLab.Core.Model;

/// <summary>
/// Arrays of exact lengths, reused. <see cref="System.Buffers.ArrayPool{T}"/> returns longer arrays, and GifLab's
/// frame and plane code sizes its loops by array length, so these pools hand out exactly the length asked for.
/// Measured reason for pooling at all: a fresh large array is mostly page faults (kernel zero-fill of new pages); on
/// `giflab run` of one 300×300×304 GIF (gifsicle, 16 runs) decoded outputs and views in reused arrays cut GifLab's
/// CPU by a fifth and page faults by half (docs/performance.md).
/// Bounded: at most <c>maxPooledBytes</c> are kept across all element types and lengths. When a returned array does not
/// fit, arrays of the lengths used least recently are dropped to make room (a run moves from one GIF's canvas size to
/// the next, and arrays of a finished GIF's size would otherwise fill the pool for good); when nothing else can go, the
/// returned array is left to the GC. Contents are not cleared: callers overwrite every element. Thread-safe.
/// </summary>
internal sealed class ExactLengthPool(long maxPooledBytes)
{
    private sealed class Bucket(long arrayBytes)
    {
        public readonly ConcurrentBag<Array> Arrays = [];
        public readonly long ArrayBytes = arrayBytes;
        public long LastUse;
    }

    private readonly ConcurrentDictionary<(Type Type, int Length), Bucket> _buckets = new();
    private long _pooled;
    private long _clock;

    public long PooledBytes => Interlocked.Read(ref _pooled);

    public unsafe T[] Rent<T>(int length) where T : unmanaged
    {
        if (_buckets.TryGetValue((typeof(T), length), out var bucket))
        {
            Volatile.Write(ref bucket.LastUse, Interlocked.Increment(ref _clock));
            if (bucket.Arrays.TryTake(out var array))
            {
                Interlocked.Add(ref _pooled, -bucket.ArrayBytes);
                return (T[])array;
            }
        }
        return GC.AllocateUninitializedArray<T>(length);
    }

    public unsafe void Return<T>(T[] array) where T : unmanaged
    {
        long bytes = (long)array.Length * sizeof(T);
        if (bytes > maxPooledBytes) return;
        var bucket = _buckets.GetOrAdd((typeof(T), array.Length), _ => new Bucket(bytes));
        Volatile.Write(ref bucket.LastUse, Interlocked.Increment(ref _clock));
        while (Interlocked.Add(ref _pooled, bytes) > maxPooledBytes)
        {
            Interlocked.Add(ref _pooled, -bytes);
            if (!EvictLeastRecentlyUsed(bucket)) return;
        }
        bucket.Arrays.Add(array);
    }

    /// <summary>Drops one pooled array of the bucket, other than <paramref name="keep"/>, used longest ago.</summary>
    private bool EvictLeastRecentlyUsed(Bucket keep)
    {
        while (true)
        {
            Bucket? oldest = null;
            foreach (var (_, bucket) in _buckets)
                if (bucket != keep && !bucket.Arrays.IsEmpty && (oldest is null || Volatile.Read(ref bucket.LastUse) < Volatile.Read(ref oldest.LastUse)))
                    oldest = bucket;
            if (oldest is null) return false;
            if (oldest.Arrays.TryTake(out _))
            {
                Interlocked.Add(ref _pooled, -oldest.ArrayBytes);
                return true;
            }
            // Another thread took it meanwhile: look again.
        }
    }
}
