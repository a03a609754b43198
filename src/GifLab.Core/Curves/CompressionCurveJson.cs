using System.Globalization;
using System.Text.Json;
using GifLab.Core.Model;

namespace GifLab.Core.Curves;

/// <summary>
/// JSON form of <see cref="CompressionCurve"/> (snake_case): the reference fields (<c>schema_version</c>, <c>gif_sha</c>,
/// <c>engine</c>, <c>curve_type</c>, <c>is_predicted</c>, <c>model_version</c>, <c>confidence_scores</c>,
/// <c>created_at</c>, all 16 <c>size_at_*</c> KiB fields, null when not measured) followed by GifLab's
/// <c>points</c> (<c>x, size_bytes, size_kib, compression_ratio, composite_score, ssim</c>) and <c>missing</c>
/// (<c>x, reason</c>). Reading accepts records without <c>points</c>/<c>missing</c> (V1 files): points then come from
/// the KiB fields of the curve's type.
/// </summary>
public static class CompressionCurveJson
{
    public static void Write(Utf8JsonWriter w, CompressionCurve c)
    {
        w.WriteStartObject();
        w.WriteString("schema_version", CompressionCurve.SchemaVersion);
        w.WriteString("gif_sha", c.GifSha);
        w.WriteString("engine", c.Engine.Name());
        w.WriteString("curve_type", c.CurveType.Name());
        w.WriteBoolean("is_predicted", c.IsPredicted);
        if (c.ModelVersion is null) w.WriteNull("model_version"); else w.WriteString("model_version", c.ModelVersion);
        if (c.ConfidenceScores is null) w.WriteNull("confidence_scores");
        else
        {
            w.WriteStartArray("confidence_scores");
            foreach (var s in c.ConfidenceScores) w.WriteNumberValue(s);
            w.WriteEndArray();
        }
        w.WriteString("created_at", c.CreatedAt.UtcDateTime);
        foreach (var type in (CurveType[])[CurveType.Lossy, CurveType.Colors])
        foreach (var x in type.Grid())
            WriteNumberOrNull(w, type.SizeFieldName(x), type == c.CurveType ? c.SizeKiBAt(x) : null);
        w.WriteStartArray("points");
        foreach (var p in c.Points)
        {
            w.WriteStartObject();
            w.WriteNumber("x", p.X);
            if (p.SizeBytes is { } b) w.WriteNumber("size_bytes", b); else w.WriteNull("size_bytes");
            w.WriteNumber("size_kib", p.SizeKiB);
            WriteNumberOrNull(w, "compression_ratio", p.CompressionRatio);
            WriteNumberOrNull(w, "composite_score", p.CompositeScore);
            WriteNumberOrNull(w, "ssim", p.Ssim);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("missing");
        foreach (var m in c.Missing)
        {
            w.WriteStartObject();
            w.WriteNumber("x", m.X);
            w.WriteString("reason", m.Reason);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    internal static void WriteNumberOrNull(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v)) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }

    /// <summary>Reads and validates a curve object.</summary>
    /// <param name="e">The JSON object.</param>
    /// <param name="allowV1EngineNames">Accept the V1 engine name <c>animately</c> (→ animately-standard).</param>
    /// <exception cref="RecordFormatException">Missing or wrong fields, or a failed validator.</exception>
    public static CompressionCurve Read(JsonElement e, bool allowV1EngineNames = false)
    {
        var problems = new List<string>();
        if (e.ValueKind != JsonValueKind.Object) throw new RecordFormatException("a curve must be a JSON object");
        var version = Str(e, "schema_version") ?? CompressionCurve.SchemaVersion;
        if (version != CompressionCurve.SchemaVersion) problems.Add($"curve schema_version '{version}' is not {CompressionCurve.SchemaVersion}");
        var sha = Str(e, "gif_sha") ?? "";
        var engineName = Str(e, "engine");
        Engine engine = default;
        var engineOk = allowV1EngineNames ? EngineNames.TryParse(engineName, out engine) : engineName != "animately" && EngineNames.TryParse(engineName, out engine);
        if (!engineOk) problems.Add($"curve engine '{engineName}' is not one of {string.Join(", ", EngineNames.All.Select(x => x.Name()))}");
        if (!CurveTypes.TryParse(Str(e, "curve_type"), out var type)) problems.Add($"curve_type '{Str(e, "curve_type")}' is not lossy or colors");
        var isPredicted = e.TryGetProperty("is_predicted", out var ip) && ip.ValueKind == JsonValueKind.True;
        var modelVersion = Str(e, "model_version");
        List<double>? confidence = null;
        if (e.TryGetProperty("confidence_scores", out var cs) && cs.ValueKind == JsonValueKind.Array)
        {
            confidence = [];
            foreach (var v in cs.EnumerateArray())
                if (v.ValueKind == JsonValueKind.Number) confidence.Add(v.GetDouble());
                else problems.Add("confidence_scores must hold numbers");
        }
        var createdAt = ReadTime(e, "created_at", problems);

        // Every size_at_* field that is present must be > 0 (reference validator), whatever the curve type.
        var kib = new Dictionary<int, double>();
        foreach (var t in (CurveType[])[CurveType.Lossy, CurveType.Colors])
        foreach (var x in t.Grid())
        {
            var name = t.SizeFieldName(x);
            if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) continue;
            if (v.ValueKind != JsonValueKind.Number || !(v.GetDouble() > 0)) { problems.Add($"{name} must be a number > 0"); continue; }
            if (t == type) kib[x] = v.GetDouble();
        }

        var points = new List<CurvePoint>();
        var missing = new List<MissingPoint>();
        if (e.TryGetProperty("points", out var pts) && pts.ValueKind == JsonValueKind.Array)
        {
            foreach (var p in pts.EnumerateArray())
            {
                if (p.ValueKind != JsonValueKind.Object || !p.TryGetProperty("x", out var xv) || xv.ValueKind != JsonValueKind.Number || !xv.TryGetInt32(out var x)) { problems.Add("a point has no integer x"); continue; }
                var size = Num(p, "size_kib");
                if (size is null) { problems.Add($"point x={x} has no size_kib"); continue; }
                var bytes = p.TryGetProperty("size_bytes", out var sb) && sb.ValueKind == JsonValueKind.Number && sb.TryGetInt64(out var bb) ? bb : (long?)null;
                points.Add(new CurvePoint(x, size.Value, bytes, Num(p, "compression_ratio"), Num(p, "composite_score"), Num(p, "ssim")));
                if (kib.TryGetValue(x, out var field) && Math.Abs(field - size.Value) > 1e-9 * Math.Max(1, field))
                    problems.Add($"{type.SizeFieldName(x)} ({field}) differs from point size_kib ({size})");
                kib.Remove(x);
            }
        }
        // KiB fields without a detailed point (V1 records): points carry the size only.
        foreach (var x in type.Grid())
            if (kib.TryGetValue(x, out var size)) points.Add(new CurvePoint(x, size));
        points.Sort((a, b) => type.SortKey(a.X).CompareTo(type.SortKey(b.X)));
        if (e.TryGetProperty("missing", out var ms) && ms.ValueKind == JsonValueKind.Array)
            foreach (var m in ms.EnumerateArray())
                if (m.ValueKind == JsonValueKind.Object && m.TryGetProperty("x", out var xv) && xv.ValueKind == JsonValueKind.Number && xv.TryGetInt32(out var x))
                    missing.Add(new MissingPoint(x, Str(m, "reason") ?? "unknown"));

        var curve = new CompressionCurve(sha, engine, type, points, missing, createdAt, isPredicted, modelVersion, confidence);
        problems.AddRange(curve.Validate());
        if (problems.Count > 0) throw new RecordFormatException(problems);
        return curve;
    }

    internal static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    internal static double? Num(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    internal static DateTimeOffset ReadTime(JsonElement e, string name, List<string> problems)
    {
        var s = Str(e, name);
        if (s is not null && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
            return t;
        problems.Add($"{name} '{s}' is not an ISO 8601 date-time");
        return default;
    }
}
