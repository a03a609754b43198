using GifLab.Core.Model;

namespace GifLab.Core.Metrics;

/// <summary>
/// Pairs every original frame with the compressed frame a viewer sees at the same moment.
/// </summary>
/// <remarks>
/// <para>Same frame count: frame i ↔ frame i (the golden-data definition).</para>
/// <para>Different counts (frame dropping, merged duplicates): both timelines are laid out from the
/// frame delays, with delays ≤ 10 ms played as 100 ms as browsers do. The midpoint of each original
/// frame's display interval is mapped to the same relative position of the compressed timeline
/// (position × compressed duration / original duration, so a re-timed output is compared at the
/// same point of its loop) and paired with the compressed frame on screen then. A dropped frame is
/// therefore compared with the frame that replaced it on screen, and its differences count; a merged
/// duplicate is compared with the merged frame and costs nothing. This replaces the reference's
/// greedy content alignment (metrics.md §2.4), which ignored order and never penalised drops.</para>
/// </remarks>
public static class FramePairing
{
    /// <summary>Display delay used for pairing: delays ≤ 10 ms become 100 ms (browser behaviour).</summary>
    public static int EffectiveDelayMs(int delayMs) => delayMs <= 10 ? 100 : delayMs;

    /// <summary>Index of the candidate frame paired with each reference frame.</summary>
    public static int[] Pair(FrameSequence reference, FrameSequence candidate)
    {
        int n = reference.FrameCount, m = candidate.FrameCount;
        var pairs = new int[n];
        if (m == 0) { Array.Fill(pairs, -1); return pairs; }
        if (n == m)
        {
            for (int i = 0; i < n; i++) pairs[i] = i;
            return pairs;
        }
        var candStart = new double[m + 1];
        for (int j = 0; j < m; j++) candStart[j + 1] = candStart[j] + EffectiveDelayMs(candidate.Frames[j].DelayMs);
        double refTotal = 0;
        for (int i = 0; i < n; i++) refTotal += EffectiveDelayMs(reference.Frames[i].DelayMs);
        double scale = candStart[m] / refTotal;
        double t = 0;
        for (int i = 0; i < n; i++)
        {
            double d = EffectiveDelayMs(reference.Frames[i].DelayMs);
            double mid = (t + 0.5 * d) * scale;
            t += d;
            int j = Array.BinarySearch(candStart, 0, m + 1, mid);
            if (j < 0) j = ~j - 1; // last start ≤ mid
            pairs[i] = Math.Clamp(j, 0, m - 1);
        }
        return pairs;
    }

    /// <summary>
    /// For each pair i, the first pair r ≤ i whose two frames are byte-identical to pair i's (found along runs of
    /// identical consecutive frames on both sides). Every metric that is a function of one pair's two frames alone
    /// gives pair i exactly the value of pair r, so it computes r and copies — the stored numbers do not change.
    /// </summary>
    public static int[] Representatives(int[] referenceRunStarts, int[] candidateRunStarts, int[] pairs)
    {
        var reps = new int[pairs.Length];
        for (int i = 1; i < reps.Length; i++)
        {
            bool same = referenceRunStarts[i] == referenceRunStarts[i - 1]
                        && pairs[i] >= 0 && pairs[i - 1] >= 0
                        && candidateRunStarts[pairs[i]] == candidateRunStarts[pairs[i - 1]];
            reps[i] = same ? reps[i - 1] : i;
        }
        return reps;
    }

    /// <summary><paramref name="count"/> indices spread uniformly over 0..total−1 (NumPy
    /// <c>floor(linspace(0, total−1, count))</c>); all indices when count ≥ total.</summary>
    public static int[] UniformSample(int total, int count)
    {
        if (total <= 0) return [];
        if (count >= total || count <= 0)
        {
            var all = new int[total];
            for (int i = 0; i < total; i++) all[i] = i;
            return all;
        }
        var idx = new int[count];
        for (int k = 0; k < count; k++)
            idx[k] = count == 1 ? 0 : (int)Math.Floor(k * (double)(total - 1) / (count - 1));
        return idx;
    }
}
