using System.Text.Json;
using GifLab.Core.Encoding;
using GifLab.Tests.Metrics;
using Xunit.Abstractions;

namespace GifLab.Cli.Tests;

/// <summary>
/// giflab-native (src/GifLab.Cli.Native, Native AOT) must answer <c>--version</c>, <c>measure</c>, <c>features</c> and
/// <c>predict</c> exactly as the JIT-compiled CLI does: same stdout byte for byte (the extraction time aside), same stderr
/// (predict's step timings aside), same exit
/// code, on successes and on every kind of failure. The binary is the one ./giflab built
/// (<c>.giflab-build/native</c>; scripts/test.sh runs ./giflab first). Its build status file says whether it was
/// built, skipped for a stated reason (no C compiler, CPU below x86-64-v3: then these tests only log that), or failed
/// (then they fail).
/// </summary>
public sealed class NativeCommandTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private readonly string _dir = Directory.CreateTempSubdirectory("giflab-native-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>The built giflab-native, or null (with the reason logged) when ./giflab skipped it.</summary>
    private string? Native()
    {
        var build = Path.Combine(CliRunner.RepoRoot, ".giflab-build");
        var status = Path.Combine(build, "native-status");
        Assert.True(File.Exists(status), $"{status} is missing: run ./giflab once (scripts/test.sh does) so it builds giflab-native.");
        var text = File.ReadAllText(status).Trim();
        if (text.StartsWith("skipped:", StringComparison.Ordinal))
        {
            output.WriteLine($"giflab-native was not built here ({text}); every command runs in the JIT-compiled CLI.");
            return null;
        }
        Assert.True(text.StartsWith("ok ", StringComparison.Ordinal), $"giflab-native: {text}");
        var exe = Path.Combine(build, "native", "giflab-native");
        Assert.True(File.Exists(exe), exe);
        return exe;
    }

    private static string Repo(string relative) => Path.Combine(CliRunner.RepoRoot, relative);

    /// <summary>A file with a GIF signature and nothing decodable after it.</summary>
    private string GarbageGif()
    {
        var garbage = Path.Combine(_dir, "garbage.gif");
        File.WriteAllText(garbage, "GIF89a not really");
        return garbage;
    }

    private (int, string, string) RunNative(string exe, IReadOnlyDictionary<string, string?> env, params string[] args) =>
        CliRunner.RunExecutable(exe, args, _dir, Timeout, env);

    /// <summary>Both executables on the same arguments; returns the (identical) result.</summary>
    private (int Code, string Stdout, string Stderr) Same(string exe, params string[] args) =>
        SameWith(exe, new Dictionary<string, string?>(), args);

    private (int Code, string Stdout, string Stderr) SameWith(string exe, IReadOnlyDictionary<string, string?> env, params string[] args)
    {
        var (nCode, nOut, nErr) = RunNative(exe, env, args);
        var (mCode, mOut, mErr) = CliRunner.Run(_dir, Timeout, env, args);
        Assert.Equal(mCode, nCode);
        Assert.Equal(WithoutExtractionTime(mOut), WithoutExtractionTime(nOut));
        Assert.Equal(WithoutTimings(mErr), WithoutTimings(nErr));
        return (nCode, nOut, nErr);
    }

    /// <summary><c>predict</c> reports on stderr how long each step took (<c>timing: …</c>); nothing else may differ.</summary>
    private static string WithoutTimings(string text) =>
        string.Join('\n', text.Split('\n').Where(l => !l.StartsWith("timing: ", StringComparison.Ordinal)));

    /// <summary><c>features --format json</c> records when it ran (<c>extracted_at</c>); nothing else may differ.</summary>
    private static string WithoutExtractionTime(string text) =>
        string.Join('\n', text.Split('\n').Where(l => !l.TrimStart().StartsWith("\"extracted_at\"", StringComparison.Ordinal)));

    [Fact]
    public void Version_IsTheClisVersion()
    {
        if (Native() is not { } exe) return;
        var (code, stdout, _) = Same(exe, "--version");
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Matches(@"^\d+\.\d+\.\d+", stdout);
    }

    [Theory]
    [InlineData("samples/waves.gif", "testdata/golden/pairs/libnsgif__waves__O2-lossy150.gif", "json")]
    [InlineData("samples/waves.gif", "testdata/golden/pairs/libnsgif__waves__O2-lossy60-colors64.gif", "table")]
    [InlineData("samples/dispose_bgnd_transparency.gif", "samples/dispose_bgnd_transparency.gif", "json")]
    [InlineData("testdata/golden/pairs/libnsgif__waves__O2-lossy150.gif", "samples/waves.gif", "json")]
    public void Measure_SameNumbersAsTheCli(string original, string compressed, string format)
    {
        if (Native() is not { } exe) return;
        var (code, stdout, _) = Same(exe, "measure", Repo(original), Repo(compressed), "--format", format);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("ssimulacra2", stdout);
    }

    [Fact]
    public void Measure_TransparentPairMeasuredOnBothBackgrounds_SameNumbers()
    {
        if (Native() is not { } exe) return;
        // Two frames with transparent pixels, the second GIF with a changed colour: the dual-background path.
        var a = Gif("a.gif", (x, y, f) => (x + y + f) % 7 == 0 ? (byte)0 : (byte)(40 * f + x), transparentEvery: 5);
        var b = Gif("b.gif", (x, y, f) => (x + y + f) % 7 == 0 ? (byte)0 : (byte)(40 * f + x + 3), transparentEvery: 5);
        var (code, stdout, _) = Same(exe, "measure", a, b, "--format", "json");
        Assert.Equal(ExitCodes.Ok, code);
        Assert.NotEqual(JsonValueKind.Null, JsonDocument.Parse(stdout).RootElement.GetProperty("ssim").ValueKind);
    }

    [Fact]
    public void Features_SameRecordsAsTheCli_OneAndSeveralFiles_JsonAndTable()
    {
        if (Native() is not { } exe) return;
        string[] files = [Repo("samples/waves.gif"), Repo("samples/muybridge.gif"), Repo("samples/dispose_bgnd_transparency.gif")];
        var (code, stdout, _) = Same(exe, ["features", files[0], "--format", "json"]);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("\"content_type\"", stdout);
        Assert.Equal(ExitCodes.Ok, Same(exe, ["features", .. files, "--format", "json"]).Code);
        Assert.Equal(ExitCodes.Ok, Same(exe, ["features", .. files]).Code);
    }

    [Theory]
    [InlineData("samples/waves.gif", "json", "none")]
    [InlineData("samples/muybridge.gif", "table", "none")]
    [InlineData("samples/dispose_bgnd_transparency.gif", "json", "none")]
    [InlineData("samples/waves.gif", "json", "auto")]       // gifsicle's calibration runs, when gifsicle is installed
    [InlineData("samples/muybridge.gif", "table", "auto")]
    public void Predict_SameCurvesAsTheCli_WithTheShippedModels(string sample, string format, string calibrate)
    {
        if (Native() is not { } exe) return;
        var (code, stdout, stderr) = Same(exe, "predict", Repo(sample), "--format", format, "--calibrate", calibrate);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("gifsicle", stdout);
        Assert.Contains("timing: models loaded in", stderr);
        // Other engines, the ssimulacra2 floor and one engine alone go through the same code.
        Assert.Equal(ExitCodes.Ok, Same(exe, "predict", Repo(sample), "--format", format, "--calibrate", calibrate, "--metric", "ssimulacra2").Code);
        Assert.Equal(ExitCodes.Ok, Same(exe, "predict", Repo(sample), "--format", format, "--calibrate", calibrate, "--engines", "imagemagick").Code);
    }

    [Fact]
    public void Predict_Failures_SameMessagesAndExitCodes()
    {
        if (Native() is not { } exe) return;
        var garbage = GarbageGif();
        var waves = Repo("samples/waves.gif");
        Assert.Equal(ExitCodes.InputError, Same(exe, "predict", Path.Combine(_dir, "absent.gif")).Code);
        Assert.Equal(ExitCodes.InputError, Same(exe, "predict", garbage, "--calibrate", "none").Code);
        Assert.Equal(ExitCodes.InputError, Same(exe, "predict", _dir).Code);                                   // a folder
        Assert.Equal(ExitCodes.ToolMissing, Same(exe, "predict", waves, "--models", Path.Combine(_dir, "no-models")).Code);
        Assert.Equal(ExitCodes.Usage, Same(exe, "predict", waves, "--metric", "psnr").Code);                   // not predicted
        Assert.Equal(ExitCodes.Usage, Same(exe, "predict", waves, "--calibrate", "gifsickle").Code);
        Assert.Equal(ExitCodes.Usage, Same(exe, "predict", waves, "--min-quality", "2").Code);
        Assert.Equal(ExitCodes.Usage, Same(exe, "predict").Code);                                              // missing argument
    }

    /// <summary>
    /// A model folder from before GifLab's tree files (ML.NET zips) loads only in the JIT-compiled CLI: giflab-native has
    /// no ML.NET (trimmed away), so it refuses such a folder with exit 4 and names the way out, rather than crash; the
    /// ./giflab launcher sees the zips and sends such a `predict` to the CLI.
    /// </summary>
    [Fact]
    public void Predict_LegacyZipModelFolder_IsRefusedWithAMessageNamingTheCli()
    {
        if (Native() is not { } exe) return;
        var models = Path.Combine(_dir, "legacy-models");
        Directory.CreateDirectory(models);
        foreach (var f in Directory.GetFiles(Repo("models"))) File.Copy(f, Path.Combine(models, Path.GetFileName(f)));
        // One tree file renamed to .zip, and the metadata pointing at it (same bytes, so its checksum still matches).
        var meta = Path.Combine(models, "gifsicle_lossy.json");
        var first = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(meta))!["targets"]!["size"]!["files"]![0]!.GetValue<string>();
        var zip = Path.ChangeExtension(first, ".zip");
        File.Move(Path.Combine(models, first), Path.Combine(models, zip));
        File.WriteAllText(meta, File.ReadAllText(meta).Replace($"\"{first}\"", $"\"{zip}\"", StringComparison.Ordinal));
        var (code, stdout, stderr) = RunNative(exe, new Dictionary<string, string?>(), "predict", Repo("samples/waves.gif"), "--models", models, "--calibrate", "none");
        Assert.Equal(ExitCodes.ToolMissing, code);
        Assert.Equal("", stdout);
        Assert.Contains(zip, stderr);
        Assert.Contains("GIFLAB_NATIVE=0", stderr);

        // ./giflab sends such a folder to the CLI instead, which reads it through ML.NET: here the renamed file is no
        // zip, so ML.NET's own error comes back, not giflab-native's refusal (both spellings of --models).
        foreach (string[] models2 in new[] { new[] { "--models", models }, new[] { "--models=" + models } })
        {
            var (lCode, lOut, lErr) = CliRunner.RunExecutable(Repo("giflab"), ["predict", Repo("samples/waves.gif"), .. models2, "--calibrate", "none"],
                                                              _dir, Timeout, new Dictionary<string, string?>());
            Assert.Equal(ExitCodes.ToolMissing, lCode);
            Assert.Equal("", lOut);
            Assert.DoesNotContain("GIFLAB_NATIVE=0", lErr);
            Assert.Contains("cannot be loaded", lErr);
        }
    }

    [Fact]
    public void Failures_SameMessagesAndExitCodes()
    {
        if (Native() is not { } exe) return;
        var garbage = GarbageGif();
        var waves = Repo("samples/waves.gif");
        Assert.Equal(ExitCodes.InputError, Same(exe, "measure", waves, Path.Combine(_dir, "absent.gif")).Code);
        Assert.Equal(ExitCodes.InputError, Same(exe, "measure", waves, garbage).Code);
        Assert.Equal(ExitCodes.InputError, Same(exe, "measure", waves, Repo("samples/muybridge.gif")).Code);  // other canvas
        Assert.Equal(ExitCodes.InputError, Same(exe, "measure", waves, _dir).Code);                            // a folder
        Assert.Equal(ExitCodes.InputError, Same(exe, "features", waves, garbage, Path.Combine(_dir, "absent.gif")).Code);
        Assert.Equal(ExitCodes.Usage, Same(exe, "measure", waves).Code);                                        // missing argument
        Assert.Equal(ExitCodes.Usage, Same(exe, "measure", waves, waves, "--fromat", "json").Code);             // misspelt option
        Assert.Equal(ExitCodes.Usage, Same(exe, "features", waves, "--format", "xml").Code);                    // bad value
        Assert.Equal(ExitCodes.Usage, Same(exe, "measure", waves, waves, "--format").Code);
    }

    [Fact]
    public void OtherCommands_AreAUsageErrorNamingTheFullCli()
    {
        if (Native() is not { } exe) return;
        foreach (string[] args in new[] { new[] { "run", "x" }, new[] { "--help" }, Array.Empty<string>() })
        {
            var (code, stdout, stderr) = RunNative(exe, new Dictionary<string, string?>(), args);
            Assert.Equal(ExitCodes.Usage, code);
            Assert.Equal("", stdout);
            Assert.Contains("./giflab", stderr);
        }
    }

    [Fact]
    public void Measure_WithLpipsModel_SameValuesAsTheCli()
    {
        if (Native() is not { } exe) return;
        var model = Path.Combine(_dir, "toy-lpips.onnx");
        File.WriteAllBytes(model, OnnxTestModels.MeanSquaredDifference());
        var env = new Dictionary<string, string?> { ["GIFLAB_LPIPS_MODEL"] = model };
        var (code, stdout, _) = SameWith(exe, env, "measure", Repo("samples/waves.gif"),
                                         Repo("testdata/golden/pairs/libnsgif__waves__O2-lossy150.gif"), "--format", "json");
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal(JsonValueKind.Number, JsonDocument.Parse(stdout).RootElement.GetProperty("lpips").ValueKind);
        var broken = Path.Combine(_dir, "broken.onnx");
        File.WriteAllText(broken, "not a model");
        env["GIFLAB_LPIPS_MODEL"] = broken;
        Assert.Equal(ExitCodes.ToolMissing, SameWith(exe, env, "measure", Repo("samples/waves.gif"), Repo("samples/waves.gif")).Code);
    }

    private string Gif(string name, Func<int, int, int, byte> value, int transparentEvery)
    {
        const int w = 40, h = 30, frames = 2;
        var rgba = new List<byte[]>();
        for (int f = 0; f < frames; f++)
        {
            var px = new byte[w * h * 4];
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                {
                    int i = 4 * (y * w + x);
                    byte v = value(x, y, f);
                    px[i] = v; px[i + 1] = (byte)(255 - v); px[i + 2] = (byte)(v / 2);
                    px[i + 3] = (x * 3 + y) % transparentEvery == 0 ? (byte)0 : (byte)255;
                }
            rgba.Add(px);
        }
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, GifEncoder.Encode(w, h, rgba, Enumerable.Repeat(100, frames).ToList()));
        return path;
    }
}
