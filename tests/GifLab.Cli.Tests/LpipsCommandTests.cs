using System.Text.Json;
using GifLab.Core.Encoding;
using GifLab.Core.Metrics;
using GifLab.Tests.Metrics;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace GifLab.Cli.Tests;

/// <summary>
/// GIFLAB_LPIPS_MODEL through the real CLI with a hand-built ONNX model (mean squared difference of the two
/// inputs in [−1, 1]; see <see cref="OnnxTestModels"/>): black vs white must give exactly (−1 − 1)² = 4.
/// </summary>
public sealed class LpipsCommandTests(ITestOutputHelper output) : IDisposable
{
    private const string Variable = "GIFLAB_LPIPS_MODEL";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private readonly string _dir = Directory.CreateTempSubdirectory("giflab-lpips-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string SolidGif(string name, byte value, int frames = 1)
    {
        var rgba = Enumerable.Range(0, frames).Select(_ =>
        {
            var px = new byte[24 * 16 * 4];
            for (int i = 0; i < px.Length; i += 4) { px[i] = px[i + 1] = px[i + 2] = value; px[i + 3] = 255; }
            return px;
        }).ToList();
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, GifEncoder.Encode(24, 16, rgba, Enumerable.Repeat(100, frames).ToList()));
        return path;
    }

    private string ToyModel()
    {
        var path = Path.Combine(_dir, "toy-lpips.onnx");
        File.WriteAllBytes(path, OnnxTestModels.MeanSquaredDifference());
        return path;
    }

    [Fact]
    public void Measure_WithToyModel_PrintsNumericLpipsAndTheModel()
    {
        var (code, stdout, stderr) = CliRunner.Run(_dir, Timeout, new Dictionary<string, string?> { [Variable] = ToyModel() },
            "measure", SolidGif("black.gif", 0, 2), SolidGif("white.gif", 255, 2), "--format", "json");
        Assert.True(code == ExitCodes.Ok, stderr);
        var json = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(4.0, json.GetProperty("lpips").GetDouble());   // (−1 − 1)² on every element (GIF palette keeps 0 and 255 exact)
        Assert.Equal(2.0, json.GetProperty("lpips_frames").GetDouble());
        Assert.StartsWith("toy-lpips.onnx sha256:", json.GetProperty("lpips_model").GetString());
        Assert.False(json.TryGetProperty("null_reasons", out var reasons) && reasons.TryGetProperty("lpips", out _));
    }

    [Fact]
    public void Measure_WithoutVariable_LpipsIsNullWithTheReason()
    {
        var (code, stdout, stderr) = CliRunner.Run(_dir, Timeout, new Dictionary<string, string?> { [Variable] = null },
            "measure", SolidGif("black.gif", 0), SolidGif("white.gif", 255), "--format", "json");
        Assert.True(code == ExitCodes.Ok, stderr);
        var json = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(JsonValueKind.Null, json.GetProperty("lpips").ValueKind);
        Assert.Equal(Lpips.NoModelReason, json.GetProperty("null_reasons").GetProperty("lpips").GetString());
        Assert.False(json.TryGetProperty("lpips_model", out _));
    }

    [Fact]
    public void Measure_BrokenModel_Exit4_NamingTheFile()
    {
        var garbage = Path.Combine(_dir, "garbage.onnx");
        File.WriteAllText(garbage, "not a model");
        var (code, stdout, stderr) = CliRunner.Run(_dir, Timeout, new Dictionary<string, string?> { [Variable] = garbage },
            "measure", SolidGif("black.gif", 0), SolidGif("white.gif", 255), "--format", "json");
        Assert.Equal(ExitCodes.ToolMissing, code);
        Assert.Contains(garbage, stderr);
        Assert.Contains(Variable, stderr);
        Assert.Equal("", stdout);
    }

    [Fact]
    public void Run_MissingModel_StopsBeforeAnyWork_Exit4()
    {
        var db = Path.Combine(_dir, "runs.db");
        var missing = Path.Combine(_dir, "nope.onnx");
        SolidGif("black.gif", 0);
        var (code, _, stderr) = CliRunner.Run(_dir, Timeout, new Dictionary<string, string?> { [Variable] = missing },
            "run", _dir, "--db", db, "--engines", "gifsicle");
        Assert.Equal(ExitCodes.ToolMissing, code);
        Assert.Contains(missing, stderr);
        Assert.Contains("does not exist", stderr);
        Assert.False(File.Exists(db), "no database may be created for a broken configuration");
    }

    [Fact]
    public void Run_WithToyModel_StoresLpipsAndTheModelInMetricsJson()
    {
        if (!File.Exists("/usr/bin/gifsicle") && !File.Exists("/usr/local/bin/gifsicle"))
        {
            output.WriteLine("SKIPPED: gifsicle is not installed");
            return;
        }
        var input = Path.Combine(_dir, "in");
        Directory.CreateDirectory(input);
        File.Move(SolidGif("grey.gif", 102, 3), Path.Combine(input, "grey.gif"));
        var db = Path.Combine(_dir, "runs.db");
        var (code, _, stderr) = CliRunner.Run(_dir, Timeout, new Dictionary<string, string?> { [Variable] = ToyModel() },
            "run", input, "--db", db, "--engines", "gifsicle", "--levels", "0", "--colors", "256", "--jobs", "2");
        Assert.True(code == ExitCodes.Ok, stderr);
        Assert.Contains("lpips: toy-lpips.onnx sha256:", stderr);
        using var conn = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT metrics_json FROM compression_runs WHERE metrics_json IS NOT NULL;";
        using var reader = cmd.ExecuteReader();
        int rows = 0;
        while (reader.Read())
        {
            var json = JsonDocument.Parse(reader.GetString(0)).RootElement;
            // A flat grey GIF (102 is in the palette) survives gifsicle unchanged: distance exactly 0.
            Assert.Equal(0.0, json.GetProperty("lpips").GetDouble());
            Assert.Equal(3.0, json.GetProperty("lpips_frames").GetDouble());
            Assert.StartsWith("toy-lpips.onnx sha256:", json.GetProperty("lpips_model").GetString());
            rows++;
        }
        Assert.True(rows > 0, "no measured run stored");
        output.WriteLine($"{rows} runs stored with lpips");
    }
}
