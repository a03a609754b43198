using System.Collections.Concurrent;
using System.Security.Cryptography;
using GifLab.Core.Model;
using GifLab.Validation;

namespace GifLab.Runs;

/// <summary>
/// What one source GIF's runs learned about each distinct output file: outputs with the same bytes (SHA-256) decode
/// to the same frames, so their colour count and metric values are the same, and are computed once.
/// </summary>
/// <remarks>
/// Byte-identical outputs are common: lossy levels that change nothing on a GIF with few colours, lossy level 0 next
/// to a 256-colour pass, two frame tools that keep every frame. Measured on ../shared/corpus/real with gifsicle alone:
/// 150 of 576 outputs repeat another output of the same GIF (<c>metrics_reused_runs</c> in <c>--profile</c>).
/// Everything that depends on the run rather than on the bytes (the expectation checks, duration, engine CPU) is still
/// computed per run (validation is reused only under an equal expectation); only values that are functions of
/// (original, output bytes, metric options) are shared, so stored rows are identical with or without the memo
/// (<c>OutputMemoTests</c>). Lives as long as the GIF's <c>GifContext</c>: a few hundred bytes per distinct output.
/// </remarks>
internal sealed class OutputMemo
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>The entry for these output bytes (created on first sight).</summary>
    public Entry For(ReadOnlySpan<byte> output) =>
        _entries.GetOrAdd(Convert.ToHexString(SHA256.HashData(output)), static _ => new Entry());

    /// <summary>Distinct outputs seen so far.</summary>
    public int Count => _entries.Count;

    /// <summary>
    /// One distinct output. The first run computes a value under the entry's lock; a run with the same bytes that
    /// arrives meanwhile waits for it instead of computing it again.
    /// </summary>
    internal sealed class Entry
    {
        private readonly Lock _colorsGate = new();
        private readonly Lock _metricsGate = new();
        private readonly Lock _validationsGate = new();
        private readonly List<(OutputExpectation Expected, ValidationResult Result, string ChecksJson)> _validations = [];
        private int? _maxColors;
        private string? _metricsJson;

        /// <summary>
        /// The validation an earlier run with these bytes got under the same expectation — returned only when nothing
        /// else needs the decoded frames: the output was not valid, or its metric values are known. The caller then
        /// skips decoding it (a 600-frame output is ~200 MB of pixels).
        /// </summary>
        public bool TryKnownValidation(OutputExpectation expected, out ValidationResult result, out string checksJson)
        {
            lock (_validationsGate)
                foreach (var v in _validations)
                    if (SameExpectation(v.Expected, expected) && (v.Result.Status != ValidationStatus.Valid || Volatile.Read(ref _metricsJson) is not null))
                    {
                        (result, checksJson) = (v.Result, v.ChecksJson);
                        return true;
                    }
            (result, checksJson) = (null!, null!);
            return false;
        }

        /// <summary>Records the validation of these bytes under <paramref name="expected"/> (results are never mutated).</summary>
        public void AddValidation(OutputExpectation expected, ValidationResult result, string checksJson)
        {
            lock (_validationsGate)
            {
                foreach (var v in _validations) if (SameExpectation(v.Expected, expected)) return;
                _validations.Add((expected, result, checksJson));
            }
        }

        private static bool SameExpectation(OutputExpectation a, OutputExpectation b) =>
            a.Width == b.Width && a.Height == b.Height && a.LoopCount == b.LoopCount && a.MaxColors == b.MaxColors &&
            (ReferenceEquals(a.DelaysMs, b.DelaysMs) || a.DelaysMs.SequenceEqual(b.DelaysMs));

        /// <summary><see cref="OutputValidator.MaxDistinctColors"/> of these bytes' frames.</summary>
        public int MaxColors(FrameSequence frames)
        {
            lock (_colorsGate) return _maxColors ??= OutputValidator.MaxDistinctColors(frames);
        }

        /// <summary>The metrics JSON of these bytes, computed by <paramref name="measure"/> the first time; <paramref name="reused"/>
        /// tells whether an earlier run's value was returned.</summary>
        public string MetricsJson(Func<string> measure, out bool reused)
        {
            lock (_metricsGate)
            {
                reused = _metricsJson is not null;
                if (!reused) Volatile.Write(ref _metricsJson, measure());
                return _metricsJson!;
            }
        }
    }
}
