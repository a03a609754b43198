using System.Text.Json;
using GifLab.Core.Model;

namespace GifLab.Core.Curves;

/// <summary>
/// Reads TrainingRecordV1 JSON (schema "1.0.0": hard-coded <c>lossy_curve_gifsicle</c>, <c>lossy_curve_animately</c>,
/// <c>color_curve_gifsicle</c>, <c>color_curve_animately</c>) and migrates it to <see cref="TrainingRecordV2"/> as the
/// seed's "Migration from TrainingRecordV1" says: <c>*_gifsicle</c> → key <c>gifsicle</c>, <c>*_animately</c> (when not
/// null) → key <c>animately-standard</c>, the curve's own <c>engine</c> <c>animately</c> → <c>animately-standard</c>;
/// record_id, gif_sha, dataset_version, split, features and created_at are copied. KiB fields outside the current grid
/// (the legacy <c>size_at_lossy_120</c>) are not part of CompressionCurveV1 and are dropped.
/// </summary>
public static class TrainingRecordV1
{
    public const string SchemaVersion = "1.0.0";

    /// <exception cref="RecordFormatException">Not a V1 record, a required gifsicle curve missing, or the result does not validate.</exception>
    public static TrainingRecordV2 MigrateToV2(string v1Json)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(v1Json); }
        catch (JsonException e) { throw new RecordFormatException($"not valid JSON: {e.Message}"); }
        using (doc) return MigrateToV2(doc.RootElement);
    }

    public static TrainingRecordV2 MigrateToV2(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object) throw new RecordFormatException("a training record must be a JSON object");
        var version = CompressionCurveJson.Str(e, "schema_version") ?? SchemaVersion;
        if (version != SchemaVersion) throw new RecordFormatException($"schema_version '{version}' is not {SchemaVersion} (not a V1 record)");
        var problems = new List<string>();
        var lossy = new Dictionary<Engine, CompressionCurve>();
        var color = new Dictionary<Engine, CompressionCurve>();
        Take("lossy_curve_gifsicle", Engine.Gifsicle, CurveType.Lossy, lossy, required: true);
        Take("lossy_curve_animately", Engine.AnimatelyStandard, CurveType.Lossy, lossy, required: false);
        Take("color_curve_gifsicle", Engine.Gifsicle, CurveType.Colors, color, required: true);
        Take("color_curve_animately", Engine.AnimatelyStandard, CurveType.Colors, color, required: false);
        var record = TrainingRecordJson.Common(e, problems, lossy, color);
        problems.AddRange(record.Validate());
        if (problems.Count > 0) throw new RecordFormatException(problems.Distinct().ToList());
        return record;

        void Take(string field, Engine engine, CurveType type, Dictionary<Engine, CompressionCurve> map, bool required)
        {
            if (!e.TryGetProperty(field, out var c) || c.ValueKind == JsonValueKind.Null)
            {
                if (required) problems.Add($"{field} is required in a V1 record");
                return;
            }
            try
            {
                var curve = CompressionCurveJson.Read(c, allowV1EngineNames: true);
                if (curve.Engine != engine) problems.Add($"{field} holds a curve of engine {curve.Engine.Name()}");
                if (curve.CurveType != type) problems.Add($"{field} holds a {curve.CurveType.Name()} curve");
                map[engine] = curve;
            }
            catch (RecordFormatException x)
            {
                problems.AddRange(x.Problems.Select(p => $"{field}: {p}"));
            }
        }
    }
}
