using System.Text;
using System.Text.Json;
using GifLab.Core.Metrics;
using GifLab.Core.Model;
using GifLab.Storage;

namespace GifLab.Export;

/// <summary>
/// The seed's flat CSV: one row per compression run, header <see cref="ExportColumns.CsvHeader"/>
/// (<c>gif_sha, gif_name, original_size, pipeline, lossy_level, color_count, output_size, compression_ratio, ssim, psnr,
/// …metric keys…, feature_*…, frame_ratio, engine, validation_status, metric_set_version, duration_ms, engine_cpu_ms,
/// command_lines</c>). Rows stream GIF by GIF
/// (ordered by SHA-256, then engine, pipeline, preset); only one GIF's rendered feature cells are held in memory.
/// No comment rows: provenance goes to the sidecar <c>.meta.json</c>.
/// </summary>
public static class CsvExporter
{
    public static ExportSummary Export(IDatasetReader reader, ExportOptions options, Stream output, CancellationToken ct)
    {
        using var text = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        var csv = new CsvWriter(text);
        foreach (var h in options.Columns.CsvHeader()) csv.Field(h);
        csv.EndRecord();

        var metrics = new MetricsDocument.Reader(options.Columns.CsvMetricOrder());
        var features = options.Columns.FeatureNames;
        var featureCells = new string[features.Count];
        long gifs = 0, runs = 0;
        foreach (var gif in reader.ReadGifs(ct))
        {
            if (!DatasetExporter.Selected(gif, options, out _)) continue;
            gifs++;
            RenderFeatures(gif.FeaturesJson, features, featureCells);
            var sha = CsvWriter.Render(gif.Sha256);
            var name = CsvWriter.Render(gif.FileName);
            foreach (var run in reader.ReadRuns(gif.Id))
            {
                ct.ThrowIfCancellationRequested();
                metrics.Read(run.MetricsJson);
                csv.Raw(sha);
                csv.Raw(name);
                csv.Field(gif.FileSizeBytes);
                csv.Field(run.Pipeline);
                csv.Field(run.LossyLevel);
                csv.Field(run.ColorCount);
                csv.Field(run.OutputSizeBytes);
                csv.Field(run.CompressionRatio);
                foreach (var v in metrics.Values) csv.Field(v);
                foreach (var cell in featureCells) csv.Raw(cell);
                csv.Field(run.FrameRatio);
                csv.Field(EngineCurves.EngineOfLossyTool(run.LossyTool)?.Name());
                csv.Field(run.ValidationStatus);
                csv.Field(metrics.SetVersion ?? run.MetricSetVersion);
                csv.Field(run.DurationMs);
                csv.Field(run.EngineCpuMs);
                csv.Field(run.CommandLinesJson);
                csv.EndRecord();
                runs++;
            }
        }
        text.Flush();
        return new ExportSummary(gifs, runs, runs, []);
    }

    /// <summary>Renders a GIF's feature cells once for all its rows: numbers as written in the JSON, strings quoted per RFC 4180.</summary>
    private static void RenderFeatures(string? featuresJson, IReadOnlyList<string> names, string[] cells)
    {
        Array.Fill(cells, "");
        if (featuresJson is null) return;
        try
        {
            using var doc = JsonDocument.Parse(featuresJson);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return;
            for (var i = 0; i < names.Count; i++)
            {
                if (!doc.RootElement.TryGetProperty(names[i], out var v)) continue;
                cells[i] = v.ValueKind switch
                {
                    JsonValueKind.Number => v.GetRawText(),
                    JsonValueKind.String => CsvWriter.Render(v.GetString()),
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    JsonValueKind.Null or JsonValueKind.Undefined => "",
                    _ => CsvWriter.Render(v.GetRawText()),
                };
            }
        }
        catch (JsonException) { }
    }
}
