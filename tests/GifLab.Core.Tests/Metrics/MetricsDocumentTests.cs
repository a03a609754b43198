using System.Text.Json;
using GifLab.Core.Metrics;

namespace GifLab.Core.Tests.Metrics;

/// <summary>The metrics document: its stored bytes are pinned (stored rows and bench/compare-runs.sh depend on them),
/// and what it writes, its reader reads back.</summary>
public sealed class MetricsDocumentTests
{
    private static MetricResult Result(bool withNull, bool withNote)
    {
        var values = new Dictionary<string, double?>(StringComparer.Ordinal)
        {
            ["ssim"] = 0.875, ["psnr"] = withNull ? null : 31.25, ["frame_count"] = 3,
        };
        var reasons = new Dictionary<string, string>(StringComparer.Ordinal);
        if (withNull) reasons["psnr"] = "canvas size differs: original 2×2, compressed 3×3";
        var notes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (withNote) notes[MetricResult.LpipsModelNote] = "toy.onnx sha256:ab";
        return new MetricResult(values, reasons, 7) { Notes = notes };
    }

    [Fact]
    public void Write_StoredForm_IsPinned()
    {
        Assert.Equal("""{"ssim":0.875,"psnr":null,"frame_count":3,"metric_set_version":7,"lpips_model":"toy.onnx sha256:ab","null_reasons":{"psnr":"canvas size differs: original 2\u00D72, compressed 3\u00D73"}}""",
            MetricsDocument.Write(Result(withNull: true, withNote: true)));
    }

    [Fact]
    public void Write_NoNullKey_OmitsNullReasons()
    {
        Assert.Equal("""{"ssim":0.875,"psnr":31.25,"frame_count":3,"metric_set_version":7}""",
            MetricsDocument.Write(Result(withNull: false, withNote: false)));
    }

    [Fact]
    public void Write_NonFiniteValue_IsNull()
    {
        var r = new MetricResult(new Dictionary<string, double?> { ["ssim"] = double.NaN }, new Dictionary<string, string>(), 2);
        Assert.Equal("""{"ssim":null,"metric_set_version":2}""", MetricsDocument.Write(r));
    }

    [Fact]
    public void Write_Indented_HasTheSameMembers()
    {
        var r = Result(withNull: true, withNote: true);
        var indented = MetricsDocument.Write(r, indented: true);
        Assert.Contains("\n", indented);
        Assert.Equal(MetricsDocument.Write(r), JsonSerializer.Serialize(JsonDocument.Parse(indented).RootElement));
    }

    [Fact]
    public void Reader_ReadsWhatWriteWrote()
    {
        var reader = new MetricsDocument.Reader(["psnr", "frame_count", "ssim", "absent"]);
        Assert.True(reader.Read(MetricsDocument.Write(Result(withNull: false, withNote: true))));
        Assert.Equal([31.25, 3.0, 0.875, null], reader.Values);
        Assert.Equal(7, reader.SetVersion);
        Assert.Equal(0.875, reader["ssim"]);
        Assert.Null(reader["absent"]);
        Assert.Null(reader["not asked for"]);
    }

    [Fact]
    public void Reader_NullsAndNestedReasons_AreNullAndSkipped()
    {
        var reader = new MetricsDocument.Reader(["psnr", "ssim"]);
        Assert.True(reader.Read(MetricsDocument.Write(Result(withNull: true, withNote: false))));
        Assert.Null(reader["psnr"]);
        Assert.Equal(0.875, reader["ssim"]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("[1,2]")]
    [InlineData("{\"ssim\":")]
    public void Reader_NotAnObject_ReturnsFalseWithEveryValueNull(string? json)
    {
        var reader = new MetricsDocument.Reader(["ssim"]);
        Assert.True(reader.Read("""{"ssim":0.5,"metric_set_version":2}"""));
        Assert.False(reader.Read(json));
        Assert.Null(reader["ssim"]);
        Assert.Null(reader.SetVersion);
    }
}
