using System.Text.Json;
using GifLab.Core.Model;

namespace GifLab.Core.Curves;

/// <summary>
/// JSON of <see cref="TrainingRecordV2"/>, snake_case, fields in the seed's order: <c>schema_version</c> ("2.0.0"),
/// <c>record_id</c>, <c>gif_sha</c>, <c>dataset_version</c>, <c>split</c>, <c>features</c>, <c>lossy_curves</c>,
/// <c>color_curves</c> (engine name → CompressionCurveV1, engines in the seed's enum order), <c>created_at</c>.
/// </summary>
public static class TrainingRecordJson
{
    public static void Write(Utf8JsonWriter w, TrainingRecordV2 r)
    {
        w.WriteStartObject();
        w.WriteString("schema_version", TrainingRecordV2.SchemaVersion);
        w.WriteString("record_id", r.RecordId);
        w.WriteString("gif_sha", r.GifSha);
        w.WriteString("dataset_version", r.DatasetVersion);
        w.WriteString("split", SplitRatios.Name(r.Split));
        w.WritePropertyName("features");
        w.WriteRawValue(r.FeaturesJson);
        WriteMap(w, "lossy_curves", r.LossyCurves);
        WriteMap(w, "color_curves", r.ColorCurves);
        w.WriteString("created_at", r.CreatedAt.UtcDateTime);
        w.WriteEndObject();
    }

    private static void WriteMap(Utf8JsonWriter w, string name, IReadOnlyDictionary<Engine, CompressionCurve> map)
    {
        w.WriteStartObject(name);
        foreach (var engine in EngineNames.All)
        {
            if (!map.TryGetValue(engine, out var curve)) continue;
            w.WritePropertyName(engine.Name());
            CompressionCurveJson.Write(w, curve);
        }
        w.WriteEndObject();
    }

    /// <summary>One record as a compact JSON line (no trailing newline).</summary>
    public static string Serialize(TrainingRecordV2 r)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping })) Write(w, r);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Parses and validates a V2 record.</summary>
    /// <exception cref="RecordFormatException">Not JSON, wrong schema_version, an unknown engine key, or a failed validator.</exception>
    public static TrainingRecordV2 Parse(string json)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json); }
        catch (JsonException e) { throw new RecordFormatException($"not valid JSON: {e.Message}"); }
        using (doc) return Read(doc.RootElement);
    }

    public static TrainingRecordV2 Read(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object) throw new RecordFormatException("a training record must be a JSON object");
        var problems = new List<string>();
        var version = CompressionCurveJson.Str(e, "schema_version");
        if (version != TrainingRecordV2.SchemaVersion)
            throw new RecordFormatException($"schema_version '{version}' is not {TrainingRecordV2.SchemaVersion}" +
                (version == TrainingRecordV1.SchemaVersion ? " (a V1 record: migrate it with giflab export --from-v1)" : ""));
        var lossy = ReadMap(e, "lossy_curves", problems);
        var color = ReadMap(e, "color_curves", problems);
        var record = Common(e, problems, lossy, color);
        problems.AddRange(record.Validate());
        if (problems.Count > 0) throw new RecordFormatException(problems.Distinct().ToList());
        return record;
    }

    /// <summary>The fields V1 and V2 share (record_id, gif_sha, dataset_version, split, features, created_at).</summary>
    internal static TrainingRecordV2 Common(JsonElement e, List<string> problems,
        IReadOnlyDictionary<Engine, CompressionCurve> lossy, IReadOnlyDictionary<Engine, CompressionCurve> color)
    {
        var splitName = CompressionCurveJson.Str(e, "split");
        var split = DatasetSplit.Train;
        if (splitName is "train" or "val" or "test") split = SplitRatios.Parse(splitName);
        else problems.Add($"split '{splitName}' is not train, val or test");
        string features = "null";
        if (e.TryGetProperty("features", out var f) && f.ValueKind == JsonValueKind.Object) features = f.GetRawText();
        else problems.Add("features is missing or not an object");
        return new TrainingRecordV2(
            CompressionCurveJson.Str(e, "record_id") ?? "",
            CompressionCurveJson.Str(e, "gif_sha") ?? "",
            CompressionCurveJson.Str(e, "dataset_version") ?? "",
            split, features, lossy, color,
            CompressionCurveJson.ReadTime(e, "created_at", problems));
    }

    private static Dictionary<Engine, CompressionCurve> ReadMap(JsonElement e, string name, List<string> problems)
    {
        var map = new Dictionary<Engine, CompressionCurve>();
        if (!e.TryGetProperty(name, out var m) || m.ValueKind == JsonValueKind.Null) return map; // seed: defaults to empty
        if (m.ValueKind != JsonValueKind.Object) { problems.Add($"{name} is not an object"); return map; }
        foreach (var prop in m.EnumerateObject())
        {
            if (prop.Name == "animately" || !EngineNames.TryParse(prop.Name, out var engine))
            {
                problems.Add($"{name}: key '{prop.Name}' is not one of {string.Join(", ", EngineNames.All.Select(x => x.Name()))}");
                continue;
            }
            try { map[engine] = CompressionCurveJson.Read(prop.Value); }
            catch (RecordFormatException x) { problems.AddRange(x.Problems.Select(p => $"{name}[{prop.Name}]: {p}")); }
        }
        return map;
    }
}
