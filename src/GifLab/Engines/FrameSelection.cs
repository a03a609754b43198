namespace GifLab.Engines;

/// <summary>
/// Which frames a frame-reduction step keeps and the delays they get (engines-and-tools.md §4.1–4.2), except that
/// adjusted delays are not floored at 20 ms: each kept frame is shown for the sum of the delays of the frames it
/// replaces, so the total duration is exactly kept.
/// </summary>
public static class FrameSelection
{
    /// <summary>Kept frame indices for <paramref name="total"/> frames at <paramref name="ratio"/>: target = max(1, ⌊total·r⌋), keep ⌊i·total/target⌋.</summary>
    public static int[] KeptIndices(int total, double ratio)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(total);
        if (double.IsNaN(ratio) || ratio < 0) throw new ArgumentOutOfRangeException(nameof(ratio), ratio, "Frame ratio must be in [0, 1].");
        if (ratio >= 1) return Enumerable.Range(0, total).ToArray();
        var target = Math.Max(1, (int)Math.Floor(total * ratio));
        if (target >= total) return Enumerable.Range(0, total).ToArray();
        var step = (double)total / target;
        var kept = new SortedSet<int>();
        for (var i = 0; i < target; i++) kept.Add(Math.Min(total - 1, (int)Math.Floor(i * step)));
        return kept.ToArray();
    }

    /// <summary>True when <paramref name="ratio"/> drops at least one of <paramref name="total"/> frames.</summary>
    public static bool Reduces(int total, double ratio) => total > 0 && KeptIndices(total, ratio).Length < total;

    /// <summary>Delays for the kept frames: each kept frame lasts until the next kept one (the last one until the end).</summary>
    public static int[] AdjustedDelays(IReadOnlyList<int> delaysMs, IReadOnlyList<int> kept)
    {
        var result = new int[kept.Count];
        for (var i = 0; i < kept.Count; i++)
        {
            var end = i + 1 < kept.Count ? kept[i + 1] : delaysMs.Count;
            var sum = 0;
            for (var k = kept[i]; k < end; k++) sum += delaysMs[k];
            result[i] = sum;
        }
        return result;
    }

    /// <summary>A timeline after frame reduction at <paramref name="ratio"/>: the kept frames with their adjusted delays.</summary>
    public static Timeline Reduce(Timeline input, double ratio) =>
        input with { DelaysMs = AdjustedDelays(input.DelaysMs, KeptIndices(input.FrameCount, ratio)) };
}
