using GifLab.Core.Model;

namespace GifLab.Core.Curves;

/// <summary>
/// TrainingRecordV2 (seed "TrainingRecordV2 — Flexible Engine Curves", schema "2.0.0"): one GIF's features paired
/// with its measured curves, keyed by engine name. JSON (one record per JSONL line): <see cref="TrainingRecordJson"/>.
/// </summary>
/// <param name="RecordId">Deterministic id (<see cref="Curves.RecordId.For"/>) or, after V1 migration, the V1 id.</param>
/// <param name="GifSha">SHA-256 of the GIF (64 hex characters).</param>
/// <param name="DatasetVersion">Semantic version <c>MAJOR.MINOR.PATCH</c>.</param>
/// <param name="Split">Dataset split.</param>
/// <param name="FeaturesJson">The GifFeaturesV1 object as JSON text (kept verbatim).</param>
/// <param name="LossyCurves">Engine → lossy curve.</param>
/// <param name="ColorCurves">Engine → colour curve.</param>
/// <param name="CreatedAt">When the record was made (UTC).</param>
public sealed record TrainingRecordV2(
    string RecordId,
    string GifSha,
    string DatasetVersion,
    DatasetSplit Split,
    string FeaturesJson,
    IReadOnlyDictionary<Engine, CompressionCurve> LossyCurves,
    IReadOnlyDictionary<Engine, CompressionCurve> ColorCurves,
    DateTimeOffset CreatedAt)
{
    public const string SchemaVersion = "2.0.0";

    /// <summary>
    /// Checks the seed's constraints: gif_sha 64 hex, dataset_version <c>^\d+\.\d+\.\d+$</c>, non-empty record_id,
    /// features a JSON object whose <c>gif_sha</c> (when present) is the record's, every curve valid, of the map's
    /// type and engine, and about the same GIF. Returns the problems (empty = valid).
    /// </summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(RecordId)) problems.Add("record_id is empty");
        if (!CompressionCurve.IsSha256Hex(GifSha)) problems.Add($"gif_sha '{GifSha}' is not 64 hex characters");
        if (!IsSemVer(DatasetVersion)) problems.Add($"dataset_version '{DatasetVersion}' is not MAJOR.MINOR.PATCH");
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(FeaturesJson);
            if (doc.RootElement.ValueKind != System.Text.Json.JsonValueKind.Object) problems.Add("features is not a JSON object");
            else if (CompressionCurveJson.Str(doc.RootElement, "gif_sha") is { } fs && !string.Equals(fs, GifSha, StringComparison.OrdinalIgnoreCase))
                problems.Add($"features.gif_sha '{fs}' differs from gif_sha");
        }
        catch (System.Text.Json.JsonException e)
        {
            problems.Add($"features is not valid JSON: {e.Message}");
        }
        Check(LossyCurves, CurveType.Lossy, "lossy_curves");
        Check(ColorCurves, CurveType.Colors, "color_curves");
        return problems;

        void Check(IReadOnlyDictionary<Engine, CompressionCurve> map, CurveType type, string field)
        {
            foreach (var (engine, curve) in map)
            {
                if (!Enum.IsDefined(engine)) problems.Add($"{field}: key {(int)engine} is not an engine");
                if (curve.Engine != engine) problems.Add($"{field}[{engine.Name()}] holds a curve of engine {curve.Engine.Name()}");
                if (curve.CurveType != type) problems.Add($"{field}[{engine.Name()}] holds a {curve.CurveType.Name()} curve");
                if (!string.Equals(curve.GifSha, GifSha, StringComparison.OrdinalIgnoreCase)) problems.Add($"{field}[{engine.Name()}] is about another GIF ({curve.GifSha})");
                foreach (var p in curve.Validate()) problems.Add($"{field}[{engine.Name()}]: {p}");
            }
        }
    }

    /// <summary><c>^\d+\.\d+\.\d+$</c> (the reference's dataset_version pattern).</summary>
    public static bool IsSemVer(string? v)
    {
        if (string.IsNullOrEmpty(v)) return false;
        var parts = v.Split('.');
        if (parts.Length != 3) return false;
        foreach (var p in parts)
        {
            if (p.Length == 0) return false;
            foreach (var c in p) if (!char.IsAsciiDigit(c)) return false;
        }
        return true;
    }
}
