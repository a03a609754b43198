using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace GifLab.Core.Features;

/// <summary>
/// One GIF's GifFeaturesV1 record: identity plus the 24 numeric fields by name (<see cref="FeatureRegistry.Names"/>;
/// integer fields are stored as whole doubles). Typed accessors, schema validation and the JSON form live here.
/// </summary>
public sealed partial record GifFeatures(string GifSha, string GifName, string ExtractionVersion, DateTimeOffset ExtractedAt,
                                         IReadOnlyDictionary<string, double?> Values)
{
    /// <summary>The record schema version (literal in GifFeaturesV1).</summary>
    public const string SchemaVersion = "1.0.0";

    public int Width => (int)Get(FeatureNames.Width);
    public int Height => (int)Get(FeatureNames.Height);
    public int FrameCount => (int)Get(FeatureNames.FrameCount);
    public long DurationMs => (long)Get(FeatureNames.DurationMs);
    public long FileSizeBytes => (long)Get(FeatureNames.FileSizeBytes);
    public int UniqueColors => (int)Get(FeatureNames.UniqueColors);
    public double Entropy => Get(FeatureNames.Entropy);
    public double EdgeDensity => Get(FeatureNames.EdgeDensity);
    public double ColorComplexity => Get(FeatureNames.ColorComplexity);
    public double GradientSmoothness => Get(FeatureNames.GradientSmoothness);
    public double ContrastScore => Get(FeatureNames.ContrastScore);
    public double TextDensity => Get(FeatureNames.TextDensity);
    public double DctEnergyRatio => Get(FeatureNames.DctEnergyRatio);
    public double ColorHistogramEntropy => Get(FeatureNames.ColorHistogramEntropy);
    public double DominantColorRatio => Get(FeatureNames.DominantColorRatio);
    public double MotionIntensity => Get(FeatureNames.MotionIntensity);
    public double MotionSmoothness => Get(FeatureNames.MotionSmoothness);
    public double StaticRegionRatio => Get(FeatureNames.StaticRegionRatio);
    public double TemporalEntropy => Get(FeatureNames.TemporalEntropy);
    public double FrameSimilarity => Get(FeatureNames.FrameSimilarity);
    public double InterFrameMseMean => Get(FeatureNames.InterFrameMseMean);
    public double InterFrameMseStd => Get(FeatureNames.InterFrameMseStd);
    public double LosslessCompressionRatio => Get(FeatureNames.LosslessCompressionRatio);
    public double? TransparencyRatio => Values.TryGetValue(FeatureNames.TransparencyRatio, out var v) ? v : null;

    private double Get(string name) =>
        Values.TryGetValue(name, out var v) && v is { } d ? d : throw new FeatureValidationException(name, "missing");

    /// <summary>The 24 model inputs in <see cref="FeatureRegistry.ModelInputNames"/> order; null becomes NaN (prediction.md §2).</summary>
    public double[] ToModelInput()
    {
        var names = FeatureRegistry.ModelInputNames;
        var row = new double[names.Count];
        for (var i = 0; i < row.Length; i++)
            row[i] = Values.TryGetValue(names[i], out var v) && v is { } d ? d : double.NaN;
        return row;
    }

    [GeneratedRegex(@"^\d+\.\d+\.\d+$")]
    private static partial Regex SemVer();

    /// <summary>Checks every GifFeaturesV1 constraint (features.md §9); throws <see cref="FeatureValidationException"/> on the first violation.</summary>
    public GifFeatures Validate()
    {
        if (GifSha is null || GifSha.Length != 64) throw new FeatureValidationException(FeatureNames.GifSha, "must be 64 hexadecimal characters");
        foreach (var c in GifSha)
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
                throw new FeatureValidationException(FeatureNames.GifSha, "must be lower-case hexadecimal");
        if (string.IsNullOrEmpty(GifName)) throw new FeatureValidationException(FeatureNames.GifName, "must not be empty");
        if (ExtractionVersion is null || !SemVer().IsMatch(ExtractionVersion))
            throw new FeatureValidationException(FeatureNames.ExtractionVersion, $"'{ExtractionVersion}' is not of the form N.N.N");
        foreach (var info in FeatureRegistry.Outputs)
        {
            double? value = Values.TryGetValue(info.Name, out var v) ? v : null;
            if (!Values.ContainsKey(info.Name) && !info.Nullable) throw new FeatureValidationException(info.Name, "missing");
            if (!info.Accepts(value))
                throw new FeatureValidationException(info.Name,
                    string.Create(CultureInfo.InvariantCulture, $"value {value?.ToString("R", CultureInfo.InvariantCulture) ?? "null"} outside [{info.Min}, {info.Max}]{(info.IsInteger ? " or not an integer" : "")}"));
        }
        return this;
    }

    /// <summary>ISO-8601 UTC with microseconds, e.g. <c>2026-11-24T12:45:23.123456Z</c> (what pydantic writes for an aware UTC datetime).</summary>
    public static string FormatTimestamp(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The GifFeaturesV1 JSON record: 29 snake_case keys in schema order, integers as integers, null transparency as null.</summary>
    public string ToJson(bool indented = false)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
            WriteJson(w);
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Writes the record as one JSON object (for arrays of records).</summary>
    public void WriteJson(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString(FeatureNames.SchemaVersion, SchemaVersion);
        w.WriteString(FeatureNames.GifSha, GifSha);
        w.WriteString(FeatureNames.GifName, GifName);
        w.WriteString(FeatureNames.ExtractionVersion, ExtractionVersion);
        w.WriteString(FeatureNames.ExtractedAt, FormatTimestamp(ExtractedAt));
        foreach (var info in FeatureRegistry.Outputs)
        {
            if (!Values.TryGetValue(info.Name, out var v) || v is not { } d) { w.WriteNull(info.Name); continue; }
            if (!double.IsFinite(d)) throw new FeatureValidationException(info.Name, "not a finite number");
            if (info.IsInteger) w.WriteNumber(info.Name, (long)d);
            else w.WriteNumber(info.Name, d);
        }
        w.WriteEndObject();
    }

    /// <summary>
    /// Parses a GifFeaturesV1 JSON object (unknown keys ignored, as pydantic does) and validates it.
    /// </summary>
    /// <exception cref="FormatException">Malformed JSON or a missing/mistyped field.</exception>
    /// <exception cref="FeatureValidationException">A value violates the schema.</exception>
    public static GifFeatures FromJson(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return FromJson(doc.RootElement);
        }
        catch (JsonException e) { throw new FormatException($"Invalid GifFeaturesV1 JSON: {e.Message}", e); }
    }

    /// <summary>Parses one record from a JSON element (see <see cref="FromJson(string)"/>).</summary>
    public static GifFeatures FromJson(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new FormatException("GifFeaturesV1 JSON must be an object.");
        if (root.TryGetProperty(FeatureNames.SchemaVersion, out var sv) && sv.GetString() != SchemaVersion)
            throw new FormatException($"schema_version '{sv}' is not {SchemaVersion}.");
        string Str(string key) =>
            root.TryGetProperty(key, out var e) && e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new FormatException($"'{key}' missing or not a string.");
        var at = DateTimeOffset.Parse(Str(FeatureNames.ExtractedAt), CultureInfo.InvariantCulture,
                                      DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
        var values = new Dictionary<string, double?>(FeatureRegistry.Names.Count);
        foreach (var info in FeatureRegistry.Outputs)
        {
            if (!root.TryGetProperty(info.Name, out var e) || e.ValueKind == JsonValueKind.Null)
            {
                if (!info.Nullable) throw new FormatException($"'{info.Name}' missing.");
                values[info.Name] = null;
                continue;
            }
            if (e.ValueKind != JsonValueKind.Number) throw new FormatException($"'{info.Name}' is not a number.");
            values[info.Name] = e.GetDouble();
        }
        return new GifFeatures(Str(FeatureNames.GifSha).ToLowerInvariant(), Str(FeatureNames.GifName), Str(FeatureNames.ExtractionVersion), at, values).Validate();
    }
}
