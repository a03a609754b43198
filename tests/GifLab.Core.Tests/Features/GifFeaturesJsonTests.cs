using System.Text.Json;
using GifLab.Core.Features;
using static GifLab.Core.Tests.Features.FeatureTestData;

namespace GifLab.Core.Tests.Features;

public class GifFeaturesJsonTests
{
    private static GifFeatures Sample() =>
        Extract(Sequence(12, 10, Solid(12, 10, 5, 200, 30), FromPixels(12, 10, (x, y) => ((byte)(x * 20), (byte)(y * 25), (byte)7, (byte)255))));

    [Fact]
    public void ToJson_HasSchemaKeysInOrder_IntegersAndUtcTime()
    {
        var f = Sample();
        using var doc = JsonDocument.Parse(f.ToJson());
        var keys = doc.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal(FeatureRegistry.RecordFieldNames, keys);
        Assert.Equal(5 + 24 + 26, keys.Length);
        Assert.Equal("1.0.0", doc.RootElement.GetProperty("schema_version").GetString());
        Assert.Equal(FeatureExtractor.Version, doc.RootElement.GetProperty("extraction_version").GetString());
        Assert.Equal("2026-11-24T12:00:00.000000Z", doc.RootElement.GetProperty("extracted_at").GetString());
        Assert.Equal("12", doc.RootElement.GetProperty("width").GetRawText());
        Assert.Equal("2", doc.RootElement.GetProperty("frame_count").GetRawText());
    }

    [Fact]
    public void RecordKeys_FollowFeaturesMdSection9()
    {
        // features.md §9, fields 1–29, copied by hand; the extension fields follow them.
        string[] schema =
        [
            "schema_version", "gif_sha", "gif_name", "extraction_version", "extracted_at", "width", "height", "frame_count",
            "duration_ms", "file_size_bytes", "unique_colors", "entropy", "edge_density", "color_complexity",
            "gradient_smoothness", "contrast_score", "text_density", "dct_energy_ratio", "color_histogram_entropy",
            "dominant_color_ratio", "motion_intensity", "motion_smoothness", "static_region_ratio", "temporal_entropy",
            "frame_similarity", "inter_frame_mse_mean", "inter_frame_mse_std", "lossless_compression_ratio", "transparency_ratio",
        ];
        Assert.Equal(schema, FeatureRegistry.RecordFieldNames.Take(29));
        Assert.Equal(FeatureRegistry.ExtensionNames, FeatureRegistry.RecordFieldNames.Skip(29));
    }

    [Fact]
    public void FromJson_A110RecordWithoutStructureKeys_ParsesWithNulls_AndWritesThemAsNull()
    {
        // A 1.1.0 record: identity + the reference's 24 only (what stores hold for GIFs extracted before 1.2.0).
        using var doc = JsonDocument.Parse(Sample().ToJson());
        var old = new Dictionary<string, JsonElement>();
        foreach (var p in doc.RootElement.EnumerateObject())
            if (!FeatureRegistry.ExtensionNames.Contains(p.Name)) old[p.Name] = p.Value;
        old["extraction_version"] = JsonDocument.Parse("\"1.1.0\"").RootElement;
        var json = JsonSerializer.Serialize(old);
        Assert.DoesNotContain("reencode_estimate_ratio", json);

        var f = GifFeatures.FromJson(json);
        Assert.Equal("1.1.0", f.ExtractionVersion);
        foreach (var name in FeatureRegistry.ExtensionNames) Assert.Null(f.Values[name]);
        foreach (var name in FeatureRegistry.ReferenceNames) Assert.Equal(Sample().Values[name], f.Values[name]);
        Assert.Equal(24, f.ToModelInput().Length);
        using var back = JsonDocument.Parse(f.ToJson());
        Assert.Equal(JsonValueKind.Null, back.RootElement.GetProperty("reencode_estimate_ratio").ValueKind);
    }

    [Fact]
    public void Json_RoundTrips_Exactly()
    {
        var f = Sample();
        var back = GifFeatures.FromJson(f.ToJson());
        Assert.Equal(f.GifSha, back.GifSha);
        Assert.Equal(f.GifName, back.GifName);
        Assert.Equal(f.ExtractionVersion, back.ExtractionVersion);
        Assert.Equal(f.ExtractedAt, back.ExtractedAt);
        foreach (var name in FeatureRegistry.Names) Assert.Equal(f.Values[name], back.Values[name]);
        Assert.Equal(f.ToJson(), back.ToJson());
    }

    [Fact]
    public void NullTransparency_IsWrittenAsNull_AndBecomesNaNInTheModelRow()
    {
        var values = Sample().Values.ToDictionary(kv => kv.Key, kv => kv.Value);
        values[FeatureNames.TransparencyRatio] = null;
        var f = new GifFeatures(ZeroSha, "x.gif", "1.0.0", DateTimeOffset.UnixEpoch, values).Validate();
        using var doc = JsonDocument.Parse(f.ToJson());
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("transparency_ratio").ValueKind);
        Assert.Null(GifFeatures.FromJson(f.ToJson()).TransparencyRatio);
        Assert.True(double.IsNaN(f.ToModelInput()[^1]));
        Assert.Equal(24, f.ToModelInput().Length);
    }

    [Fact]
    public void FromJson_IgnoresUnknownKeys_LowerCasesSha_AndRejectsMissingFields()
    {
        var json = Sample().ToJson().Replace(ZeroSha, new string('A', 64)).Replace("{", "{\"clip_pixel_art\":0.2,");
        var f = GifFeatures.FromJson(json);
        Assert.Equal(new string('a', 64), f.GifSha);
        Assert.Throws<FormatException>(() => GifFeatures.FromJson(json.Replace("\"entropy\":", "\"entropy_x\":")));
        Assert.Throws<FormatException>(() => GifFeatures.FromJson("[1]"));
        Assert.Throws<FormatException>(() => GifFeatures.FromJson("{not json"));
    }

    [Theory]
    [InlineData("entropy", 8.5)]
    [InlineData("edge_density", -0.1)]
    [InlineData("unique_colors", 257)]
    [InlineData("width", 0)]
    [InlineData("frame_count", 1.5)]
    [InlineData("lossless_compression_ratio", 2.01)]
    [InlineData("motion_intensity", double.NaN)]
    [InlineData("transparency_ratio", 1.5)]
    [InlineData("local_palette_ratio", 1.5)]
    [InlineData("palette_entries", 257)]
    [InlineData("sampled_colors", 2.5)]
    [InlineData("reencode_estimate_ratio", -1)]
    public void Validate_RejectsOutOfRangeValues(string field, double value)
    {
        var values = Sample().Values.ToDictionary(kv => kv.Key, kv => kv.Value);
        values[field] = value;
        var e = Assert.Throws<FeatureValidationException>(() => new GifFeatures(ZeroSha, "x.gif", "1.1.0", DateTimeOffset.UnixEpoch, values).Validate());
        Assert.Equal(field, e.Field);
    }

    [Theory]
    [InlineData("abc", "x.gif", "1.1.0", "gif_sha")]
    [InlineData("zz00000000000000000000000000000000000000000000000000000000000000", "x.gif", "1.1.0", "gif_sha")]
    [InlineData(ZeroSha, "", "1.1.0", "gif_name")]
    [InlineData(ZeroSha, "x.gif", "1.1", "extraction_version")]
    public void Validate_RejectsBadIdentity(string sha, string name, string version, string field)
    {
        var e = Assert.Throws<FeatureValidationException>(() => new GifFeatures(sha, name, version, DateTimeOffset.UnixEpoch, Sample().Values).Validate());
        Assert.Equal(field, e.Field);
    }
}
