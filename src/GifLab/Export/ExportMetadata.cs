using System.Text.Json;
using GifLab.Core.Curves;
using GifLab.Core.Metrics;
using GifLab.Storage;

namespace GifLab.Export;

/// <summary>
/// The sidecar <c>PATH.meta.json</c> written next to every export file (CSV gets no comment rows): format, dataset
/// version, GifLab version, git commit, creation time, source database, split rule and filter, counts, columns and
/// the version of each metric for each metric set version (<see cref="MetricSetVersions"/>: a row's
/// <c>metric_set_version</c> names its metrics' versions) and the probed version of every tool in the database.
/// </summary>
public static class ExportMetadata
{
    public static string SidecarPath(string outputPath) => outputPath + ".meta.json";

    public static void Write(Stream output, ExportOptions options, ExportSummary summary, string database, IReadOnlyList<ToolVersionRow> tools)
    {
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        w.WriteStartObject();
        w.WriteString("format", options.Format.ToString().ToLowerInvariant());
        w.WriteString("dataset_version", options.DatasetVersion);
        w.WriteString("giflab_version", GifLabInfo.Version);
        w.WriteString("git_commit", Provenance.GitCommit);
        w.WriteString("created_at", options.CreatedAt.UtcDateTime);
        w.WriteString("database", database);
        w.WriteString("training_record_schema", TrainingRecordV2.SchemaVersion);
        w.WriteString("curve_schema", CompressionCurve.SchemaVersion);
        w.WriteStartObject("split");
        w.WriteString("rule", $"sha256(\"{SplitRatios.HashSalt}\" + gif_sha)[0..8] big-endian mod 10000 vs ratios");
        w.WriteNumber("train", options.Ratios.Train);
        w.WriteNumber("val", options.Ratios.Val);
        w.WriteNumber("test", options.Ratios.Test);
        if (options.Split is { } s) w.WriteString("filter", SplitRatios.Name(s)); else w.WriteNull("filter");
        w.WriteEndObject();
        w.WriteString("quality_metric", options.QualityKey);
        w.WriteStartObject("counts");
        w.WriteNumber("gifs", summary.Gifs);
        w.WriteNumber("runs", summary.Runs);
        w.WriteNumber("records", summary.Records);
        w.WriteNumber("skipped_gifs", summary.SkippedGifs.Count);
        w.WriteEndObject();
        if (options.Format == ExportFormat.Csv)
        {
            w.WriteStartArray("columns");
            foreach (var c in options.Columns.CsvHeader()) w.WriteStringValue(c);
            w.WriteEndArray();
        }
        w.WriteStartArray("metric_keys");
        foreach (var k in options.Columns.MetricKeys) w.WriteStringValue(k);
        w.WriteEndArray();
        w.WriteStartArray("feature_names");
        foreach (var f in options.Columns.FeatureNames) w.WriteStringValue(f);
        w.WriteEndArray();
        w.WriteStartObject("metric_versions");
        foreach (var (set, versions) in MetricSetVersions.All)
        {
            w.WriteStartObject(set.ToString(System.Globalization.CultureInfo.InvariantCulture));
            foreach (var (name, version) in versions) w.WriteNumber(name, version);
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteStartObject("tools");
        foreach (var t in tools)
        {
            if (t.Version is null) w.WriteNull(t.Name); else w.WriteString(t.Name, t.Version);
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
