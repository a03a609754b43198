using System.Text.Json;
using GifLab.Core.Decoding;
using GifLab.Core.Model;

namespace GifLab.Runs;

/// <summary>Result of checking one output GIF against its source.</summary>
/// <param name="Status">valid or corrupted.</param>
/// <param name="Output">The decoded output (null when it does not decode).</param>
/// <param name="ChecksJson">The checks made, as JSON (stored in <c>compression_runs.validation_json</c>).</param>
/// <param name="Problem">What failed, or null.</param>
public sealed record OutputCheckResult(string Status, FrameSequence? Output, string ChecksJson, string? Problem);

/// <summary>Decodes a pipeline output and checks it against the source: decodes, dimensions, frame count, duration, loop count.</summary>
public static class OutputCheck
{
    public static OutputCheckResult Validate(FrameSequence source, byte[] output, ParamPreset preset)
    {
        FrameSequence decoded;
        try
        {
            decoded = GifDecoder.Decode(output, GifDecoderOptions.Default with { Lenient = false });
        }
        catch (GifFormatException e)
        {
            return new OutputCheckResult("corrupted", null, Json(w => { w.WriteBoolean("decodes", false); w.WriteString("decode_error", e.Message); }),
                $"output does not decode: {e.Message}");
        }
        var expectedFrames = preset.FrameRatio >= 1.0 ? source.FrameCount : Math.Max(1, (int)Math.Round(source.FrameCount * preset.FrameRatio));
        var dimsOk = decoded.Width == source.Width && decoded.Height == source.Height;
        var framesOk = Math.Abs(decoded.FrameCount - expectedFrames) <= (preset.FrameRatio >= 1.0 ? 0 : 1);
        var durationOk = Math.Abs(decoded.DurationMs - source.DurationMs) <= Math.Max(20, source.FrameCount * 10);
        var loopOk = decoded.Info.LoopCount == source.Info.LoopCount || (decoded.Info.LoopCount <= 0 && source.Info.LoopCount <= 0 && source.FrameCount == 1);
        var problems = new List<string>();
        if (!dimsOk) problems.Add($"dimensions {decoded.Width}x{decoded.Height} != {source.Width}x{source.Height}");
        if (!framesOk) problems.Add($"frame count {decoded.FrameCount} != expected {expectedFrames}");
        var json = Json(w =>
        {
            w.WriteBoolean("decodes", true);
            w.WriteBoolean("dimensions_match", dimsOk);
            w.WriteNumber("frame_count", decoded.FrameCount);
            w.WriteNumber("expected_frame_count", expectedFrames);
            w.WriteBoolean("frame_count_ok", framesOk);
            w.WriteNumber("duration_ms", decoded.DurationMs);
            w.WriteNumber("source_duration_ms", source.DurationMs);
            w.WriteBoolean("duration_kept", durationOk);
            w.WriteNumber("loop_count", decoded.Info.LoopCount);
            w.WriteBoolean("loop_count_kept", loopOk);
        });
        return new OutputCheckResult(problems.Count == 0 ? "valid" : "corrupted", decoded, json, problems.Count == 0 ? null : string.Join("; ", problems));
    }

    private static string Json(Action<Utf8JsonWriter> body)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
