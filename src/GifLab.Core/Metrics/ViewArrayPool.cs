using GifLab.Core.Model;

namespace GifLab.Core.Metrics;

/// <summary>
/// Exact-length arrays for the flattened compressed frames (<see cref="FrameView"/>) and the metrics' scratch planes,
/// reused across measurements (<see cref="ExactLengthPool"/> says why exact lengths and why pooling). Bounded: at most
/// <see cref="MaxPooledBytes"/> are kept; beyond that returned arrays are left to the GC. Contents are not cleared
/// (every user overwrites every element).
/// </summary>
internal static class ViewArrayPool
{
    public const long MaxPooledBytes = 256L << 20;

    private static readonly ExactLengthPool s_pool = new(MaxPooledBytes);

    public static long PooledBytes => s_pool.PooledBytes;

    public static byte[] RentBytes(int length) => s_pool.Rent<byte>(length);

    public static float[] RentFloats(int length) => s_pool.Rent<float>(length);

    public static void Return(byte[] array) => s_pool.Return(array);

    public static void Return(float[] array) => s_pool.Return(array);
}
