using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using GifLab.Core.Decoding;
using GifLab.Core.Model;
using GifLab.Engines;

namespace GifLab.Validation;

/// <summary>
/// Judges a run's output by decoding it fully (our <see cref="GifDecoder"/>, strict limits of the default options).
/// Integrity failures make it <see cref="ValidationStatus.Corrupted"/>: empty file, magic not GIF87a/GIF89a, decode
/// error (strict: a missing trailer, i.e. a truncated file, is one), zero frames, data after the trailer, canvas size
/// different from the source. Outputs over <see cref="OutputLimits.MaxBytes"/> are rejected by their size before any
/// read (<see cref="ValidateFile"/>, and the pipeline executor for every step). Everything else is recorded as checks (value, expected,
/// <c>_ok</c>) without changing the status, so the runner can store them in metrics_json:
/// frame count (exact, after frame reduction), timeline (frames start where expected frames start — identical
/// consecutive frames merged by an encoder are fine), total duration (within <see cref="DurationToleranceMs"/> or 2 %),
/// loop count (exact; -1 = no loop extension), maximum distinct colours in any frame ≤ requested colours,
/// delays per frame (exact match count). Unlike the reference there is no 100-byte minimum and no FPS ≤ 60 rule.
/// </summary>
public static class OutputValidator
{
    /// <summary>Absolute duration tolerance: FFmpeg turns 0/1 cs delays into 10 cs, gifski rounds to its frame unit.</summary>
    public const int DurationToleranceMs = 20;

    /// <summary>Validates the output file of a run of <paramref name="pipeline"/> at <paramref name="preset"/> on <paramref name="source"/>.</summary>
    public static ValidationResult Validate(string outputPath, SourceGif source, PipelineId pipeline, ParamPreset preset)
    {
        ArgumentNullException.ThrowIfNull(source);
        try
        {
            return ValidateFile(outputPath, OutputExpectation.For(pipeline, preset, source.Frames), OutputLimits.MaxBytes(source), out _, out _);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new ValidationResult(ValidationStatus.Error, $"output unreadable: {e.Message}", new Dictionary<string, object?>());
        }
    }

    /// <summary>
    /// Validates an output file without reading more than <paramref name="maxBytes"/>: a larger file is corrupted by
    /// its size alone (unread). <paramref name="bytes"/> is the content when it was read.
    /// </summary>
    public static ValidationResult ValidateFile(string outputPath, OutputExpectation expected, long maxBytes, out byte[]? bytes, out FrameSequence? decoded)
    {
        bytes = null;
        decoded = null;
        long length;
        try { length = new FileInfo(outputPath).Length; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new ValidationResult(ValidationStatus.Error, $"output unreadable: {e.Message}", new Dictionary<string, object?>());
        }
        if (length > maxBytes)
            return Corrupt($"output is {length:N0} bytes, over the cap of {maxBytes:N0} bytes (not read)",
                new Dictionary<string, object?> { ["output_bytes"] = length, ["output_cap_bytes"] = maxBytes });
        bytes = File.ReadAllBytes(outputPath);
        return Validate(bytes, expected, out decoded);
    }

    /// <summary>Result for a run whose tool failed.</summary>
    public static ValidationResult Error(Exception failure) =>
        new(ValidationStatus.Error, failure.Message, new Dictionary<string, object?>
        {
            ["error_type"] = failure is ToolFailedException t ? t.ReasonName : failure.GetType().Name,
        });

    /// <summary>Validates output bytes against an expectation.</summary>
    public static ValidationResult Validate(ReadOnlySpan<byte> output, OutputExpectation expected) => Validate(output, expected, out _);

    /// <summary>
    /// Validates output bytes and hands back the decoded output (null when it does not decode), so the caller can
    /// measure metrics on it without decoding twice.
    /// </summary>
    public static ValidationResult Validate(ReadOnlySpan<byte> output, OutputExpectation expected, out FrameSequence? decoded) =>
        Validate(output, expected, out decoded, null);

    /// <summary>
    /// As <see cref="Validate(ReadOnlySpan{byte}, OutputExpectation, out FrameSequence?)"/>, with the colour count taken
    /// from <paramref name="maxColors"/> (given the decoded frames) instead of <see cref="MaxDistinctColors"/>: the runner
    /// passes a memo shared by byte-identical outputs of one GIF.
    /// </summary>
    /// <param name="framePool">Decode into arrays of this pool; the caller then owns <paramref name="decoded"/> and gives
    /// its frames back (<see cref="FrameArrayPool.Return"/>) when nothing reads them any more.</param>
    public static ValidationResult Validate(ReadOnlySpan<byte> output, OutputExpectation expected, out FrameSequence? decoded,
                                            Func<FrameSequence, int>? maxColors, FrameArrayPool? framePool = null)
    {
        decoded = null;
        var checks = new Dictionary<string, object?> { ["output_bytes"] = output.Length };
        if (output.Length == 0) return Corrupt("output is empty", checks);
        if (output.Length < 6 || !(output[..6].SequenceEqual("GIF89a"u8) || output[..6].SequenceEqual("GIF87a"u8)))
            return Corrupt("output does not start with GIF87a/GIF89a", checks);

        FrameSequence frames;
        try
        {
            frames = GifDecoder.Decode(output, GifDecoderOptions.Default with { Lenient = false, FramePool = framePool });
        }
        catch (GifFormatException e)
        {
            checks["decode_error"] = e.Kind.ToString();
            return Corrupt($"output does not decode: {e.Message}", checks);
        }
        if (frames.FrameCount == 0) return Corrupt("output has no frames", checks);
        if (frames.Info.TrailingBytes > 0)
        {
            // Data after the trailer is no part of the animation, yet it would count in the stored size.
            checks["trailing_bytes"] = frames.Info.TrailingBytes;
            return Corrupt($"{frames.Info.TrailingBytes:N0} bytes of trailing data after the GIF trailer", checks);
        }
        decoded = frames;

        checks["width"] = frames.Width;
        checks["height"] = frames.Height;
        var sizeOk = frames.Width == expected.Width && frames.Height == expected.Height;
        checks["dimensions_ok"] = sizeOk;

        checks["frame_count"] = frames.FrameCount;
        checks["frame_count_expected"] = expected.FrameCount;
        checks["frame_count_ok"] = frames.FrameCount == expected.FrameCount;

        var duration = frames.DurationMs;
        var tolerance = Math.Max(DurationToleranceMs, expected.DurationMs / 50);
        checks["duration_ms"] = duration;
        checks["duration_expected_ms"] = expected.DurationMs;
        checks["duration_ok"] = Math.Abs(duration - expected.DurationMs) <= tolerance;

        if (frames.FrameCount == expected.FrameCount)
        {
            var same = 0;
            for (var i = 0; i < frames.FrameCount; i++) if (frames.Frames[i].DelayMs == expected.DelaysMs[i]) same++;
            checks["delays_matching"] = same;
            checks["delays_ok"] = same == frames.FrameCount;
        }

        // Encoders may merge identical consecutive frames (gifsicle's optimiser, gifski), summing their delays: the
        // animation still shows the same picture at every instant. timeline_ok = every output frame starts where an
        // expected frame starts and the total is kept.
        var merged = MergedTimeline(frames, expected.DelaysMs);
        checks["timeline_ok"] = merged >= 0;
        if (merged > 0) checks["frames_merged"] = merged;

        checks["loop_count"] = frames.Info.LoopCount;
        checks["loop_count_expected"] = expected.LoopCount;
        checks["loop_count_ok"] = frames.Info.LoopCount == expected.LoopCount;

        var colors = maxColors is null ? MaxDistinctColors(frames) : maxColors(frames);
        checks["max_frame_colors"] = colors;
        if (expected.MaxColors is { } max)
        {
            checks["colors_requested"] = max;
            checks["colors_ok"] = colors <= max;
        }
        if (frames.Info.Warnings.Count > 0) checks["decode_warnings"] = frames.Info.Warnings.Count;

        return sizeOk
            ? new ValidationResult(ValidationStatus.Valid, null, checks)
            : Corrupt($"canvas {frames.Width}×{frames.Height} differs from the source's {expected.Width}×{expected.Height}", checks);
    }

    /// <summary>Number of expected frames merged away when the output's frame starts are a subset of the expected ones with the same total; -1 otherwise.</summary>
    internal static int MergedTimeline(FrameSequence frames, IReadOnlyList<int> expectedDelaysMs)
    {
        var starts = new HashSet<long>();
        long t = 0;
        foreach (var d in expectedDelaysMs) { starts.Add(t); t += d; }
        var expectedTotal = t;
        t = 0;
        foreach (var f in frames.Frames)
        {
            if (!starts.Contains(t)) return -1;
            t += f.DelayMs;
        }
        return t == expectedTotal && frames.FrameCount <= expectedDelaysMs.Count ? expectedDelaysMs.Count - frames.FrameCount : -1;
    }

    private static ValidationResult Corrupt(string reason, Dictionary<string, object?> checks) => new(ValidationStatus.Corrupted, reason, checks);

    [ThreadStatic] private static ColorSet? _exact;
    [ThreadStatic] private static ColorSet? _cover;

    /// <summary>
    /// Largest number of distinct visible RGB colours in one composited frame (transparent pixels not counted).
    /// Uses 2^24-bit sets (2 MiB each, two per thread) instead of a hash set: ~1 ns per pixel, which matters because
    /// every run's output is checked (a 800×400×423 GIF is 135 M pixels). Pixels equal to their left neighbour cannot
    /// add a colour (runs of eight are skipped with one vector compare), a frame byte-identical to the previous one
    /// has the same count, and only the words a set touched are cleared.
    /// </summary>
    /// <remarks>
    /// Frames that cannot raise the maximum are not counted: a second set <c>cover</c> always holds every colour of
    /// the last frame (a superset after skipped frames). Frame f equals frame f−1 outside the rows that changed, so
    /// cover ∪ colours(changed rows) ⊇ colours(f); when that union has no more colours than the maximum so far, f's
    /// own count cannot exceed it and f is skipped (only its changed rows were read). Otherwise f is counted exactly
    /// and its set becomes the cover. The result is the exact maximum either way
    /// (<c>MaxDistinctColors_EqualsAHashSetCount_*</c> tests).
    /// </remarks>
    public static int MaxDistinctColors(FrameSequence frames)
    {
        var exact = _exact ??= new ColorSet();
        var cover = _cover ??= new ColorSet();
        int max = 0, stride = frames.Width * 4;
        bool covered = false;
        try
        {
            for (var f = 0; f < frames.FrameCount; f++)
            {
                if (f > 0 && frames.SameAsPrevious(f)) continue; // same colours as the frame before (comparison shared with metrics)
                var rgba = frames.Frames[f].Rgba;
                if (covered)
                {
                    var prev = frames.Frames[f - 1].Rgba;
                    for (int o = 0; o + stride <= rgba.Length; o += stride)
                        if (!rgba.AsSpan(o, stride).SequenceEqual(prev.AsSpan(o, stride))) cover.AddPixels(rgba.AsSpan(o, stride));
                    if (cover.Count <= max) continue; // count(f) ≤ |cover| ≤ max
                }
                exact.AddPixels(rgba.AsSpan(0, rgba.Length & ~3));
                if (exact.Count > max) max = exact.Count;
                cover.Clear();
                (exact, cover) = (cover, exact); // this frame's colours are the new cover; the old cover is the empty scratch
                covered = true;
            }
            return max;
        }
        finally
        {
            exact.Clear(); cover.Clear();
            (_exact, _cover) = (exact, cover);
        }
    }

    /// <summary>A set of 24-bit RGB colours: a 2^24-bit set plus the list of words it touched (cleared in O(colours)).</summary>
    private sealed class ColorSet
    {
        private readonly ulong[] _bits = new ulong[(1 << 24) / 64];
        private readonly int[] _touched = new int[(1 << 24) / 64];
        private int _words;

        public int Count { get; private set; }

        /// <summary>Adds the visible colours of little-endian RGBA pixels.</summary>
        public void AddPixels(ReadOnlySpan<byte> rgba)
        {
            var pixels = MemoryMarshal.Cast<byte, uint>(rgba);
            ref uint p0 = ref MemoryMarshal.GetReference(pixels);
            int n = pixels.Length, i = 0, count = Count, words = _words;
            var bits = _bits;
            while (i < n)
            {
                // Eight pixels equal to their left neighbours (one vector compare against the same run shifted by one)
                // add nothing: skipped at once.
                if (i > 0 && i + 8 <= n && Vector256.IsHardwareAccelerated &&
                    Vector256.LoadUnsafe(ref p0, (nuint)i) == Vector256.LoadUnsafe(ref p0, (nuint)(i - 1)))
                {
                    i += 8;
                    continue;
                }
                for (int end = Math.Min(n, i + 8); i < end; i++)
                {
                    var px = pixels[i];
                    if (i > 0 && px == pixels[i - 1]) continue;
                    if (px >> 24 == 0) continue; // alpha 0: not visible
                    var c = (int)((px & 0xFF) << 16 | (px & 0xFF00) | (px >> 16 & 0xFF));
                    ref var word = ref bits[c >> 6];
                    var mask = 1UL << (c & 63);
                    if ((word & mask) == 0)
                    {
                        if (word == 0) _touched[words++] = c >> 6;
                        word |= mask;
                        count++;
                    }
                }
            }
            Count = count;
            _words = words;
        }

        public void Clear()
        {
            for (var k = 0; k < _words; k++) _bits[_touched[k]] = 0;
            _words = 0;
            Count = 0;
        }
    }
}
