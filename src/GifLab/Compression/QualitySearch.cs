using GifLab.Core.Model;

namespace GifLab.Compression;

/// <summary>
/// The search of <see cref="GifCompressor.CompressToQualityAsync"/>, apart from files and engines so tests can drive it
/// with a model of quality and size. Per engine it keeps a bracket on the lossy level (at 256 colours): the highest
/// level known to meet the floor and the lowest known to miss it. Quality falls and size shrinks as the level rises, so
/// the best setting of an engine lies at the top of its feasible side.
/// <list type="number">
/// <item>Every engine is tried once at its start level (predicted, or the coarse default).</item>
/// <item>Then, until the budget is spent: the engine with the lowest bound on its best size is narrowed — a feasible
/// engine's bound is its best feasible size; an engine with no feasible try is bounded below by the smallest size that
/// missed the floor (a lower level can only be larger), and is dropped once that bound is no better than the best
/// feasible size found. Narrowing: while no level has missed the floor, try level 100; then bisect the bracket; once it
/// is at most <see cref="LossyStep"/> wide, bisect the colour count (128, 64, 32, 16: 32 first) at the best level.</item>
/// </list>
/// An engine that fails (tool error) or whose output changes the animation (frame count, delays, loop) is dropped. The result: every attempt, in order; the caller picks the smallest
/// feasible output.
/// </summary>
internal static class QualitySearch
{
    /// <summary>Bisection stops when the bracket is this narrow (lossy levels).</summary>
    public const int LossyStep = 4;

    /// <summary>The level every engine starts at when no model covers the GIF.</summary>
    public const int CoarseStartLevel = 40;

    /// <summary>Colour counts tried below 256, in order.</summary>
    private static readonly int[] ColorSteps = [128, 64, 32, 16];

    /// <param name="starts">One start per engine, most promising first.</param>
    /// <param name="hasColorTool">Whether an engine can run below 256 colours.</param>
    /// <param name="attempt">Runs one compression (and measures it).</param>
    public static async Task<IReadOnlyList<CompressionAttempt>> RunAsync(IReadOnlyList<EngineSetting> starts, QualityFloor floor, int maxTries,
        Func<Engine, bool> hasColorTool, Func<EngineSetting, CancellationToken, Task<CompressionAttempt>> attempt, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTries, 1);
        var states = starts.Select(s => new EngineState(s, hasColorTool(s.Engine))).ToList();
        var attempts = new List<CompressionAttempt>();
        var tried = new HashSet<EngineSetting>();
        while (attempts.Count < maxTries)
        {
            ct.ThrowIfCancellationRequested();
            var globalBest = attempts.Where(a => IsFeasible(a, floor)).Select(a => a.OutputBytes).DefaultIfEmpty(long.MaxValue).Min();
            EngineState? pick = null;
            EngineSetting? next = null;
            foreach (var s in states)
            {
                var candidate = s.Next(tried);
                if (candidate is null) continue;
                if (s.Tries > 0 && s.Best is null && s.LowerBound >= globalBest) continue; // cannot beat what we have
                if (pick is null || s.Key < pick.Key) (pick, next) = (s, candidate);
            }
            if (pick is null || next is null) break;
            tried.Add(next);
            var a = await attempt(next, ct).ConfigureAwait(false);
            attempts.Add(a);
            pick.Record(a, floor);
        }
        return attempts;
    }

    /// <summary>A valid output whose measured quality meets the floor.</summary>
    public static bool IsFeasible(CompressionAttempt a, QualityFloor floor) => a.IsValid && floor.IsMet(a.Quality);

    /// <summary>The smallest feasible attempt strictly smaller than <paramref name="inputBytes"/>, or null.</summary>
    public static CompressionAttempt? Best(IEnumerable<CompressionAttempt> attempts, QualityFloor floor, long inputBytes) =>
        attempts.Where(a => IsFeasible(a, floor) && a.OutputBytes < inputBytes).MinBy(a => a.OutputBytes);

    private sealed class EngineState(EngineSetting start, bool hasColors)
    {
        private int _feasible = -1;   // highest lossy level (at 256 colours) meeting the floor
        private int _infeasible = 101; // lowest lossy level (at 256 colours) missing it
        private int _colorOk = -1, _colorBad = ColorSteps.Length; // bracket on indices of ColorSteps at the chosen level
        private int _colorLevel = -1;
        private bool _broken;

        public int Tries { get; private set; }
        public CompressionAttempt? Best { get; private set; }
        public long LowerBound { get; private set; } = long.MaxValue;

        /// <summary>Order of narrowing: engines not yet tried first (in start order), then the lowest bound.</summary>
        public long Key => Tries == 0 ? long.MinValue : Best?.OutputBytes ?? LowerBound;

        public EngineSetting? Next(HashSet<EngineSetting> tried)
        {
            if (_broken) return null;
            var e = start.Engine;
            if (Tries == 0) return start with { ColorCount = 256 };
            if (_feasible < 0)
            {
                if (_infeasible == 0) return null; // even the mildest level misses the floor
                var level = _infeasible <= LossyStep ? 0 : _infeasible / 2;
                return Fresh(new EngineSetting(e, level), tried);
            }
            // Nothing missed the floor yet: try the strongest level first (small and simple GIFs often take it).
            if (_infeasible == 101 && _feasible < 100) return Fresh(new EngineSetting(e, 100), tried);
            if (_infeasible - _feasible > LossyStep && _feasible < 100)
                return Fresh(new EngineSetting(e, (_feasible + _infeasible) / 2), tried);
            if (!hasColors || _colorBad - _colorOk <= 1) return null;
            if (_colorLevel < 0) _colorLevel = _feasible;
            var index = (_colorOk + _colorBad + 1) / 2; // 32 first, then 16 or 64, then 128
            return Fresh(new EngineSetting(e, _colorLevel, ColorSteps[index]), tried);
        }

        private EngineSetting? Fresh(EngineSetting s, HashSet<EngineSetting> tried)
        {
            if (!tried.Contains(s)) return s;
            if (s.ColorCount < 256) _colorBad = _colorOk + 1; // colour bracket cannot be split further
            else _infeasible = _feasible + 1;                 // lossy bracket cannot be split further
            return null;
        }

        public void Record(CompressionAttempt a, QualityFloor floor)
        {
            Tries++;
            // The engine failed, or its output changes the animation (gifsicle and gifski merge identical consecutive
            // frames whatever the level): no other level of it is worth a try.
            if (!a.IsValid) { _broken = true; return; }
            var feasible = IsFeasible(a, floor);
            if (a.Setting.ColorCount == 256)
            {
                if (feasible) _feasible = Math.Max(_feasible, a.Setting.LossyLevel);
                else _infeasible = Math.Min(_infeasible, a.Setting.LossyLevel);
            }
            else if (Array.IndexOf(ColorSteps, a.Setting.ColorCount) is var i and >= 0)
            {
                if (feasible) _colorOk = Math.Max(_colorOk, i);
                else _colorBad = Math.Min(_colorBad, i);
            }
            if (feasible && (Best is null || a.OutputBytes < Best.OutputBytes)) Best = a;
            if (!feasible) LowerBound = Math.Min(LowerBound, a.OutputBytes);
        }
    }
}
