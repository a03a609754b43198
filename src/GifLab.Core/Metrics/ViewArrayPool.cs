using System.Collections.Concurrent;

namespace GifLab.Core.Metrics;

/// <summary>
/// Exact-length arrays for the flattened compressed frames (<see cref="FrameView"/>), reused across measurements.
/// Measured reason: a fresh 7 B/px view per measurement is mostly page faults (kernel zero-fill) — on the
/// 480×270×40 workload the candidate view took ~20 ms of a ~130 ms suite. <see cref="System.Buffers.ArrayPool{T}"/>
/// returns longer arrays, and the metric code sizes its loops by array length, so this pool hands out exact lengths.
/// Bounded: at most <see cref="MaxPooledBytes"/> are kept; beyond that returned arrays are left to the GC.
/// Contents are not cleared (the view overwrites every element).
/// </summary>
internal static class ViewArrayPool
{
    public const long MaxPooledBytes = 256L << 20;

    private static readonly ConcurrentDictionary<int, ConcurrentBag<byte[]>> s_bytes = new();
    private static readonly ConcurrentDictionary<int, ConcurrentBag<float[]>> s_floats = new();
    private static long s_pooled;

    public static long PooledBytes => Interlocked.Read(ref s_pooled);

    public static byte[] RentBytes(int length) => Rent(s_bytes, length, sizeof(byte));

    public static float[] RentFloats(int length) => Rent(s_floats, length, sizeof(float));

    public static void Return(byte[] array) => Return(s_bytes, array, sizeof(byte));

    public static void Return(float[] array) => Return(s_floats, array, sizeof(float));

    private static T[] Rent<T>(ConcurrentDictionary<int, ConcurrentBag<T[]>> pool, int length, int size)
    {
        if (pool.TryGetValue(length, out var bag) && bag.TryTake(out var array))
        {
            Interlocked.Add(ref s_pooled, -(long)length * size);
            return array;
        }
        return GC.AllocateUninitializedArray<T>(length);
    }

    private static void Return<T>(ConcurrentDictionary<int, ConcurrentBag<T[]>> pool, T[] array, int size)
    {
        long bytes = (long)array.Length * size;
        if (Interlocked.Add(ref s_pooled, bytes) > MaxPooledBytes)
        {
            Interlocked.Add(ref s_pooled, -bytes);
            return;
        }
        pool.GetOrAdd(array.Length, _ => []).Add(array);
    }
}
