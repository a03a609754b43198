using System.Text.Json;
using GifLab.Core.Curves;
using GifLab.Core.Metrics;
using GifLab.Core.Model;
using GifLab.Storage;

namespace GifLab.Export;

/// <summary>
/// Hierarchical JSON (seed "JSON Export": curves grouped by GIF and engine), written with <see cref="Utf8JsonWriter"/>
/// as the runs stream past (the buffer is flushed every 64 KiB):
/// <code>
/// { "format": "giflab-dataset", "format_version": 1, "dataset_version": "1.0.0", "quality_metric": "composite_score",
///   "gifs": [ { "gif_sha", "gif_name", "original_size", "width", "height", "frame_count", "split",
///               "features": { GifFeaturesV1 } | null,
///               "engines": { "gifsicle": { "runs": [ run… ], "lossy_curve": CompressionCurveV1 | null,
///                                          "color_curve": CompressionCurveV1 | null,
///                                          "pareto": [ { pipeline, lossy_level, color_count, frame_ratio, output_size, quality } ] }, … },
///               "other_runs": [ runs whose lossy tool is not one of the 7 engines ] } ] }
/// </code>
/// A run is <c>{ pipeline, lossy_level, color_count, frame_ratio, output_size, compression_ratio, validation_status,
/// failure, duration_ms, engine_cpu_ms, command_lines, metrics }</c> with <c>metrics</c> the stored metrics_json object. Engines appear in the seed's enum order;
/// an engine without runs for the GIF is left out.
/// </summary>
public static class JsonExporter
{
    private const int FlushBytes = 1 << 16;

    public static ExportSummary Export(IDatasetReader reader, ExportOptions options, Stream output, CancellationToken ct)
    {
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var metrics = new MetricsDocument.Reader(["composite_score", "ssim", options.QualityKey]);
        var q = DatasetExporter.QualityIndex(options);
        long gifs = 0, runs = 0;
        w.WriteStartObject();
        w.WriteString("format", "giflab-dataset");
        w.WriteNumber("format_version", 1);
        w.WriteString("dataset_version", options.DatasetVersion);
        w.WriteString("quality_metric", options.QualityKey);
        w.WriteStartArray("gifs");
        foreach (var gif in reader.ReadGifs(ct))
        {
            if (!DatasetExporter.Selected(gif, options, out var split)) continue;
            gifs++;
            var failures = reader.ReadRunFailures(gif.Id);
            var curves = new GifCurveSet(gif, failures);
            w.WriteStartObject();
            w.WriteString("gif_sha", gif.Sha256);
            w.WriteString("gif_name", gif.FileName);
            w.WriteNumber("original_size", gif.FileSizeBytes);
            WriteInt(w, "width", gif.Width);
            WriteInt(w, "height", gif.Height);
            WriteInt(w, "frame_count", gif.FrameCount);
            w.WriteString("split", SplitRatios.Name(split));
            w.WritePropertyName("features");
            WriteRawOrNull(w, gif.FeaturesJson);
            w.WriteStartObject("engines");
            Engine? open = null;
            var inOthers = false;
            foreach (var run in reader.ReadRuns(gif.Id))
            {
                ct.ThrowIfCancellationRequested();
                runs++;
                var engine = EngineCurves.EngineOfLossyTool(run.LossyTool);
                if (engine != open || (engine is null && !inOthers))
                {
                    if (open is { } previous) CloseEngine(w, curves, previous, options);
                    if (engine is { } e)
                    {
                        w.WriteStartObject(e.Name());
                        w.WriteStartArray("runs");
                    }
                    else
                    {
                        w.WriteEndObject(); // engines
                        w.WriteStartArray("other_runs");
                        inOthers = true;
                    }
                    open = engine;
                }
                metrics.Read(run.MetricsJson);
                if (engine is { } en) curves.Add(en, run, metrics.Values[0], metrics.Values[1], metrics.Values[q]);
                WriteRun(w, run, failures.GetValueOrDefault(run.Key));
                if (w.BytesPending > FlushBytes) w.Flush();
            }
            if (open is { } last) CloseEngine(w, curves, last, options);
            if (inOthers) w.WriteEndArray();
            else
            {
                w.WriteEndObject(); // engines
                w.WriteStartArray("other_runs");
                w.WriteEndArray();
            }
            w.WriteEndObject();
            w.Flush();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
        return new ExportSummary(gifs, runs, gifs, []);
    }

    private static void CloseEngine(Utf8JsonWriter w, GifCurveSet curves, Engine engine, ExportOptions options)
    {
        w.WriteEndArray(); // runs
        foreach (var (name, type) in (ReadOnlySpan<(string, CurveType)>)[("lossy_curve", CurveType.Lossy), ("color_curve", CurveType.Colors)])
        {
            w.WritePropertyName(name);
            if (curves.Curve(engine, type, options.CreatedAt) is { } c) CompressionCurveJson.Write(w, c);
            else w.WriteNullValue();
        }
        w.WriteStartArray("pareto");
        foreach (var p in curves.Frontier(engine))
        {
            w.WriteStartObject();
            w.WriteString("pipeline", p.Pipeline);
            w.WriteNumber("lossy_level", p.LossyLevel);
            w.WriteNumber("color_count", p.ColorCount);
            w.WriteNumber("frame_ratio", p.FrameRatio);
            w.WriteNumber("output_size", p.OutputSizeBytes);
            w.WriteNumber("quality", p.Quality);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteRun(Utf8JsonWriter w, DatasetRun run, string? failure)
    {
        w.WriteStartObject();
        w.WriteString("pipeline", run.Pipeline);
        w.WriteNumber("lossy_level", run.LossyLevel);
        w.WriteNumber("color_count", run.ColorCount);
        w.WriteNumber("frame_ratio", run.FrameRatio);
        if (run.OutputSizeBytes is { } size) w.WriteNumber("output_size", size); else w.WriteNull("output_size");
        if (run.CompressionRatio is { } r && double.IsFinite(r)) w.WriteNumber("compression_ratio", r); else w.WriteNull("compression_ratio");
        w.WriteString("validation_status", run.ValidationStatus);
        if (failure is null) w.WriteNull("failure"); else w.WriteString("failure", failure);
        if (run.DurationMs is { } ms) w.WriteNumber("duration_ms", ms); else w.WriteNull("duration_ms");
        if (run.EngineCpuMs is { } cpu && double.IsFinite(cpu)) w.WriteNumber("engine_cpu_ms", cpu); else w.WriteNull("engine_cpu_ms");
        w.WritePropertyName("command_lines");
        WriteStringArrayOrNull(w, run.CommandLinesJson);
        w.WritePropertyName("metrics");
        WriteRawOrNull(w, run.MetricsJson);
        w.WriteEndObject();
    }

    private static void WriteInt(Utf8JsonWriter w, string name, int? value)
    {
        if (value is { } v) w.WriteNumber(name, v); else w.WriteNull(name);
    }

    /// <summary>A stored JSON array of strings (command_lines) verbatim; null (and a damaged value) as JSON null.</summary>
    private static void WriteStringArrayOrNull(Utf8JsonWriter w, string? json)
    {
        if (!string.IsNullOrEmpty(json))
        {
            try
            {
                using var doc = JsonDocument.Parse(json);
                if (doc.RootElement.ValueKind == JsonValueKind.Array && doc.RootElement.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String))
                {
                    doc.RootElement.WriteTo(w);
                    return;
                }
            }
            catch (JsonException) { }
        }
        w.WriteNullValue();
    }

    /// <summary>Stored JSON text verbatim; null (and a damaged value) as JSON null.</summary>
    internal static void WriteRawOrNull(Utf8JsonWriter w, string? json)
    {
        if (string.IsNullOrEmpty(json)) { w.WriteNullValue(); return; }
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind == JsonValueKind.Object) { w.WriteRawValue(json, skipInputValidation: true); return; }
        }
        catch (JsonException) { }
        w.WriteNullValue();
    }
}
