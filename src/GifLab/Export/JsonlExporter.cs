using System.Text.Json;
using GifLab.Core.Curves;
using GifLab.Core.Metrics;
using GifLab.Core.Model;
using GifLab.Storage;

namespace GifLab.Export;

/// <summary>
/// One TrainingRecordV2 per line (UTF-8, LF). A GIF without stored features cannot make a valid record and is skipped
/// (listed in <see cref="ExportSummary.SkippedGifs"/>); a GIF with features but no runs gets empty curve maps.
/// Every record is validated before it is written.
/// </summary>
public static class JsonlExporter
{
    public static ExportSummary Export(IDatasetReader reader, ExportOptions options, Stream output, CancellationToken ct)
    {
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var metrics = new MetricsDocument.Reader(["composite_score", "ssim", options.QualityKey]);
        var q = DatasetExporter.QualityIndex(options);
        var skipped = new List<string>();
        long gifs = 0, runs = 0, records = 0;
        foreach (var gif in reader.ReadGifs(ct))
        {
            if (!DatasetExporter.Selected(gif, options, out var split)) continue;
            gifs++;
            if (gif.FeaturesJson is null)
            {
                skipped.Add($"{gif.Sha256} ({gif.FileName}): no features stored");
                continue;
            }
            var curves = new GifCurveSet(gif, reader.ReadRunFailures(gif.Id));
            foreach (var run in reader.ReadRuns(gif.Id))
            {
                ct.ThrowIfCancellationRequested();
                runs++;
                if (EngineCurves.EngineOfLossyTool(run.LossyTool) is not { } engine) continue;
                metrics.Read(run.MetricsJson);
                curves.Add(engine, run, metrics.Values[0], metrics.Values[1], metrics.Values[q]);
            }
            var record = Build(gif, split, curves, options);
            var problems = record.Validate();
            if (problems.Count > 0)
            {
                skipped.Add($"{gif.Sha256} ({gif.FileName}): {string.Join("; ", problems)}");
                continue;
            }
            TrainingRecordJson.Write(w, record);
            w.Flush();
            w.Reset();
            output.WriteByte((byte)'\n');
            records++;
        }
        output.Flush();
        return new ExportSummary(gifs, runs, records, skipped);
    }

    private static TrainingRecordV2 Build(DatasetGif gif, DatasetSplit split, GifCurveSet curves, ExportOptions options)
    {
        var lossy = new Dictionary<Engine, CompressionCurve>();
        var color = new Dictionary<Engine, CompressionCurve>();
        foreach (var engine in EngineNames.All)
        {
            if (curves.Curve(engine, CurveType.Lossy, options.CreatedAt) is { } l) lossy[engine] = l;
            if (curves.Curve(engine, CurveType.Colors, options.CreatedAt) is { } c) color[engine] = c;
        }
        return new TrainingRecordV2(RecordId.For(gif.Sha256, options.DatasetVersion), gif.Sha256, options.DatasetVersion,
            split, gif.FeaturesJson!, lossy, color, options.CreatedAt);
    }
}
