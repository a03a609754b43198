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

    /// <summary>
    /// Largest number of distinct visible RGB colours in one composited frame (transparent pixels not counted):
    /// <see cref="FrameColors.MaxDistinctColors"/>, the one counter shared with the <c>max_frame_colors</c> feature.
    /// </summary>
    public static int MaxDistinctColors(FrameSequence frames) => FrameColors.MaxDistinctColors(frames);
}
