using System.Text.Json;
using GifLab.Core.Curves;
using GifLab.Core.Model;

namespace GifLab.Core.Tests.Curves;

public class TrainingRecordTests
{
    private const string Sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static readonly DateTimeOffset At = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);
    private static readonly string Features = $$"""{"gif_sha":"{{Sha}}","gif_name":"a.gif","extraction_version":"1.0.0","extracted_at":"2026-01-01T00:00:00Z","width":10,"entropy":3.5}""";

    private static CompressionCurve Curve(Engine e, CurveType t, params (int X, long Bytes)[] pts) =>
        new(Sha, e, t, pts.Select(p => new CurvePoint(p.X, p.Bytes / 1024.0, p.Bytes, 2.0, 0.8, 0.9)).ToList(),
            [new MissingPoint(t == CurveType.Lossy ? 100 : 16, "tool:timeout: slow")], At);

    private static TrainingRecordV2 Record() => new(RecordId.For(Sha, "1.2.3"), Sha, "1.2.3", DatasetSplit.Val, Features,
        new Dictionary<Engine, CompressionCurve>
        {
            [Engine.Gifsicle] = Curve(Engine.Gifsicle, CurveType.Lossy, (0, 2048), (10, 1024)),
            [Engine.AnimatelyHard] = Curve(Engine.AnimatelyHard, CurveType.Lossy, (0, 3072)),
        },
        new Dictionary<Engine, CompressionCurve> { [Engine.Gifsicle] = Curve(Engine.Gifsicle, CurveType.Colors, (256, 2048), (128, 1536)) },
        At);

    [Fact]
    public void Serialize_FieldsInSeedOrder_AndRoundTrips()
    {
        var json = TrainingRecordJson.Serialize(Record());
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(["schema_version", "record_id", "gif_sha", "dataset_version", "split", "features", "lossy_curves", "color_curves", "created_at"],
            doc.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("2.0.0", doc.RootElement.GetProperty("schema_version").GetString());
        Assert.Equal("val", doc.RootElement.GetProperty("split").GetString());
        // Engines in the seed's enum order; the reference's KiB fields present (null when not measured).
        Assert.Equal(["gifsicle", "animately-hard"], doc.RootElement.GetProperty("lossy_curves").EnumerateObject().Select(p => p.Name));
        var g = doc.RootElement.GetProperty("lossy_curves").GetProperty("gifsicle");
        Assert.Equal(2.0, g.GetProperty("size_at_lossy_0").GetDouble());
        Assert.Equal(1.0, g.GetProperty("size_at_lossy_10").GetDouble());
        Assert.Equal(JsonValueKind.Null, g.GetProperty("size_at_lossy_20").ValueKind);
        Assert.Equal(JsonValueKind.Null, g.GetProperty("size_at_colors_256").ValueKind);
        Assert.Equal("lossy", g.GetProperty("curve_type").GetString());

        var back = TrainingRecordJson.Parse(json);
        Assert.Equal(TrainingRecordJson.Serialize(back), json);
        Assert.Equal(1536, back.ColorCurves[Engine.Gifsicle].Points[1].SizeBytes);
        Assert.Equal("tool:timeout: slow", back.LossyCurves[Engine.Gifsicle].Missing[0].Reason);
    }

    [Fact]
    public void RecordId_IsDeterministic_AndDependsOnVersion()
    {
        Assert.Equal(RecordId.For(Sha, "1.0.0"), RecordId.For(Sha.ToUpperInvariant(), "1.0.0"));
        Assert.NotEqual(RecordId.For(Sha, "1.0.0"), RecordId.For(Sha, "1.0.1"));
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", RecordId.For(Sha, "1.0.0"));
    }

    [Fact]
    public void UuidV5_MatchesPythonUuidModule()
    {
        // Independent reference: Python 3 `uuid.uuid5(uuid.NAMESPACE_DNS, "python.org")` (example in the Python docs).
        Assert.Equal("886313e1-3b8a-5372-9b90-0c9aee199e5d", RecordId.UuidV5(new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), "python.org"));
    }

    [Theory]
    [InlineData("\"lossy_curves\":{\"gifsicle\"", "\"lossy_curves\":{\"animately\"", "key 'animately'")]
    [InlineData("\"lossy_curves\":{\"gifsicle\"", "\"lossy_curves\":{\"lzw\"", "key 'lzw'")]
    [InlineData("\"dataset_version\":\"1.2.3\"", "\"dataset_version\":\"1.2\"", "dataset_version")]
    [InlineData("\"size_at_lossy_0\":2", "\"size_at_lossy_0\":0", "size_at_lossy_0 must be")]
    [InlineData("\"split\":\"val\"", "\"split\":\"dev\"", "split 'dev'")]
    [InlineData("\"schema_version\":\"2.0.0\"", "\"schema_version\":\"1.0.0\"", "V1 record")]
    public void Parse_RejectsInvalidRecords(string from, string to, string expected)
    {
        var json = TrainingRecordJson.Serialize(Record());
        Assert.Contains(from, json);
        var bad = json.Replace(from, to, StringComparison.Ordinal);
        var e = Assert.Throws<RecordFormatException>(() => TrainingRecordJson.Parse(bad));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Validate_CurveUnderWrongKeyOrType_IsReported()
    {
        var r = Record() with { ColorCurves = new Dictionary<Engine, CompressionCurve> { [Engine.Ffmpeg] = Curve(Engine.Gifsicle, CurveType.Lossy, (0, 10)) } };
        var problems = r.Validate();
        Assert.Contains(problems, p => p.Contains("holds a curve of engine gifsicle"));
        Assert.Contains(problems, p => p.Contains("holds a lossy curve"));
    }

    /// <summary>A V1 record as the reference's schema writes it (hand-written from schemas-and-storage.md §2–3).</summary>
    private static string V1(string? animatelyLossy = "default") => $$"""
        {"schema_version":"1.0.0","record_id":"5b1e8f0c-0000-4000-8000-000000000001","gif_sha":"{{Sha}}","dataset_version":"1.0.0","split":"train",
         "features":{{Features}},
         "lossy_curve_gifsicle":{"schema_version":"1.0.0","gif_sha":"{{Sha}}","engine":"gifsicle","curve_type":"lossy","is_predicted":false,"model_version":null,"confidence_scores":null,"created_at":"2025-06-01T12:00:00Z",
            "size_at_lossy_0":100.5,"size_at_lossy_10":90.25,"size_at_lossy_20":null,"size_at_lossy_120":40.0,"size_at_colors_256":null},
         "lossy_curve_animately":{{(animatelyLossy == "default" ? $$"""{"gif_sha":"{{Sha}}","engine":"animately","curve_type":"lossy","is_predicted":false,"created_at":"2025-06-01T12:00:00Z","size_at_lossy_0":99.0}""" : animatelyLossy ?? "null")}},
         "color_curve_gifsicle":{"gif_sha":"{{Sha}}","engine":"gifsicle","curve_type":"colors","is_predicted":false,"created_at":"2025-06-01T12:00:00Z","size_at_colors_256":100.5,"size_at_colors_16":30.0},
         "color_curve_animately":null,
         "created_at":"2025-06-01T12:00:00Z"}
        """;

    [Fact]
    public void MigrateV1_MapsHardCodedFields_RenamesAnimately_CopiesIdentity()
    {
        var v2 = TrainingRecordV1.MigrateToV2(V1());
        Assert.Equal("5b1e8f0c-0000-4000-8000-000000000001", v2.RecordId);
        Assert.Equal(DatasetSplit.Train, v2.Split);
        Assert.Equal("1.0.0", v2.DatasetVersion);
        Assert.Equal([Engine.Gifsicle, Engine.AnimatelyStandard], v2.LossyCurves.Keys.OrderBy(e => e));
        Assert.Equal([Engine.Gifsicle], v2.ColorCurves.Keys);
        Assert.Equal(Engine.AnimatelyStandard, v2.LossyCurves[Engine.AnimatelyStandard].Engine);
        Assert.Equal(99.0, v2.LossyCurves[Engine.AnimatelyStandard].SizeKiBAt(0));
        var g = v2.LossyCurves[Engine.Gifsicle];
        Assert.Equal([0, 10], g.Points.Select(p => p.X)); // size_at_lossy_120 is not a V1 field any more: dropped
        Assert.Equal(90.25, g.SizeKiBAt(10));
        Assert.Null(g.Points[0].SizeBytes);
        Assert.Equal([256, 16], v2.ColorCurves[Engine.Gifsicle].Points.Select(p => p.X));
        Assert.Empty(v2.Validate());

        // The V2 JSON of a migrated record parses back as V2, with key animately-standard.
        var json = TrainingRecordJson.Serialize(v2);
        Assert.Contains("\"animately-standard\":{", json);
        Assert.DoesNotContain("\"animately\"", json);
        Assert.Equal(json, TrainingRecordJson.Serialize(TrainingRecordJson.Parse(json)));
    }

    [Fact]
    public void MigrateV1_NullAnimately_IsLeftOut_MissingGifsicle_IsAnError()
    {
        var v2 = TrainingRecordV1.MigrateToV2(V1(animatelyLossy: null));
        Assert.Equal([Engine.Gifsicle], v2.LossyCurves.Keys);
        var noGifsicle = V1().Replace("\"lossy_curve_gifsicle\"", "\"lossy_curve_other\"", StringComparison.Ordinal);
        var e = Assert.Throws<RecordFormatException>(() => TrainingRecordV1.MigrateToV2(noGifsicle));
        Assert.Contains("lossy_curve_gifsicle is required", e.Message);
        Assert.Throws<RecordFormatException>(() => TrainingRecordV1.MigrateToV2("{not json"));
    }
}
