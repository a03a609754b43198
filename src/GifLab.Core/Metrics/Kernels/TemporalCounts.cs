using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GifLab.Core.Metrics.Kernels;

/// <summary>
/// Per-transition pixel counts for the temporal artefact scores, on luma planes of two consecutive
/// original frames (o0, o1) and their paired compressed frames (c0, c1).
/// </summary>
/// <remarks>
/// Lanes: <see cref="Vector256{T}"/> of 8 floats; comparisons give all-ones lanes, turned into a
/// bit mask (<c>ExtractMostSignificantBits</c>) and counted with PopCount. Tail in scalar. The
/// <c>…Scalar</c> methods are the twins.
/// </remarks>
internal static class TemporalCounts
{
    /// <summary>Disposal counts: changed = |o1−o0| &gt; t; stale = changed ∧ |c1−o1| &gt; t ∧ |c1−c0| ≤ t;
    /// ghost = ¬changed ∧ |c1−o1| &gt; t ∧ |c1−c0| &gt; t.</summary>
    public static (long Changed, long Stale, long Ghost) Disposal(ReadOnlySpan<float> o0, ReadOnlySpan<float> o1,
                                                                ReadOnlySpan<float> c0, ReadOnlySpan<float> c1, float t)
    {
        long changed = 0, stale = 0, ghost = 0;
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var vt = Vector256.Create(t);
            ref float ro0 = ref MemoryMarshal.GetReference(o0), ro1 = ref MemoryMarshal.GetReference(o1);
            ref float rc0 = ref MemoryMarshal.GetReference(c0), rc1 = ref MemoryMarshal.GetReference(c1);
            for (; i + 8 <= o1.Length; i += 8)
            {
                var a0 = Vector256.LoadUnsafe(ref ro0, (nuint)i); var a1 = Vector256.LoadUnsafe(ref ro1, (nuint)i);
                var b0 = Vector256.LoadUnsafe(ref rc0, (nuint)i); var b1 = Vector256.LoadUnsafe(ref rc1, (nuint)i);
                var ch = Vector256.GreaterThan(Vector256.Abs(a1 - a0), vt);
                var wrong = Vector256.GreaterThan(Vector256.Abs(b1 - a1), vt);
                var chC = Vector256.GreaterThan(Vector256.Abs(b1 - b0), vt);
                changed += BitOperations.PopCount(ch.ExtractMostSignificantBits());
                stale += BitOperations.PopCount((ch & wrong & ~chC).ExtractMostSignificantBits());
                ghost += BitOperations.PopCount((~ch & wrong & chC).ExtractMostSignificantBits());
            }
        }
        for (; i < o1.Length; i++) Count(o0[i], o1[i], c0[i], c1[i], t, ref changed, ref stale, ref ghost);
        return (changed, stale, ghost);
    }

    public static (long Changed, long Stale, long Ghost) DisposalScalar(ReadOnlySpan<float> o0, ReadOnlySpan<float> o1,
                                                                      ReadOnlySpan<float> c0, ReadOnlySpan<float> c1, float t)
    {
        long changed = 0, stale = 0, ghost = 0;
        for (int i = 0; i < o1.Length; i++) Count(o0[i], o1[i], c0[i], c1[i], t, ref changed, ref stale, ref ghost);
        return (changed, stale, ghost);
    }

    private static void Count(float a0, float a1, float b0, float b1, float t, ref long changed, ref long stale, ref long ghost)
    {
        bool ch = MathF.Abs(a1 - a0) > t, wrong = MathF.Abs(b1 - a1) > t, chC = MathF.Abs(b1 - b0) > t;
        if (ch) { changed++; if (wrong && !chC) stale++; }
        else if (wrong && chC) ghost++;
    }

    /// <summary>Flicker counts: still = |o1−o0| ≤ s; flicker = still ∧ |c1−c0| &gt; f.</summary>
    public static (long Still, long Flicker) Flicker(ReadOnlySpan<float> o0, ReadOnlySpan<float> o1,
                                                     ReadOnlySpan<float> c0, ReadOnlySpan<float> c1, float s, float f)
    {
        long still = 0, flicker = 0;
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var vs = Vector256.Create(s); var vf = Vector256.Create(f);
            ref float ro0 = ref MemoryMarshal.GetReference(o0), ro1 = ref MemoryMarshal.GetReference(o1);
            ref float rc0 = ref MemoryMarshal.GetReference(c0), rc1 = ref MemoryMarshal.GetReference(c1);
            for (; i + 8 <= o1.Length; i += 8)
            {
                var st = Vector256.LessThanOrEqual(Vector256.Abs(Vector256.LoadUnsafe(ref ro1, (nuint)i) - Vector256.LoadUnsafe(ref ro0, (nuint)i)), vs);
                var fl = Vector256.GreaterThan(Vector256.Abs(Vector256.LoadUnsafe(ref rc1, (nuint)i) - Vector256.LoadUnsafe(ref rc0, (nuint)i)), vf);
                still += BitOperations.PopCount(st.ExtractMostSignificantBits());
                flicker += BitOperations.PopCount((st & fl).ExtractMostSignificantBits());
            }
        }
        for (; i < o1.Length; i++)
        {
            if (MathF.Abs(o1[i] - o0[i]) > s) continue;
            still++;
            if (MathF.Abs(c1[i] - c0[i]) > f) flicker++;
        }
        return (still, flicker);
    }

    public static (long Still, long Flicker) FlickerScalar(ReadOnlySpan<float> o0, ReadOnlySpan<float> o1,
                                                           ReadOnlySpan<float> c0, ReadOnlySpan<float> c1, float s, float f)
    {
        long still = 0, flicker = 0;
        for (int i = 0; i < o1.Length; i++)
        {
            if (MathF.Abs(o1[i] - o0[i]) > s) continue;
            still++;
            if (MathF.Abs(c1[i] - c0[i]) > f) flicker++;
        }
        return (still, flicker);
    }
}
