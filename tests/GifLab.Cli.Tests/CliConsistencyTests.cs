using System.Text.Json;
using GifLab.Cli.Commands;
using GifLab.Core.Curves;
using GifLab.Modeling;

namespace GifLab.Cli.Tests;

/// <summary>
/// Issue #20, one test per item: misspelt names, silent wrong output, exit codes, progress and JSON output, noise,
/// folders given where files are expected, and the export's timing and command-line columns.
/// </summary>
public class CliConsistencyTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly string _dir = Directory.CreateTempSubdirectory("giflab-cli20-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Sample(string name) => Path.Combine(CliRunner.RepoRoot, "samples", name);
    private (int Code, string Out, string Err) Cli(params string[] args) => CliRunner.Run(_dir, Timeout, args);
    private (int Code, string Out, string Err) Cli(IReadOnlyDictionary<string, string?> env, params string[] args) => CliRunner.Run(_dir, Timeout, env, args);

    /// <summary>A folder holding copies of the given samples; a quick run grid (gifsicle, 2 lossy levels, 1 colour count: 3 runs per GIF).</summary>
    private string Folder(string name, params string[] samples)
    {
        var dir = Directory.CreateDirectory(Path.Combine(_dir, name)).FullName;
        foreach (var s in samples) File.Copy(Sample(s), Path.Combine(dir, s));
        return dir;
    }

    private static readonly string[] QuickGrid = ["--engines", "gifsicle", "--levels", "0,50", "--colors", "256", "--jobs", "2"];

    // ---- misspelt names: exit 2 with a suggestion ----

    [Fact]
    public void MisspeltCommand_IsUsageError_WithSuggestion()
    {
        var (code, _, err) = Cli("stat");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("did you mean 'stats'?", err);
    }

    [Fact]
    public void MisspeltOption_IsUsageError_WithSuggestion()
    {
        var (code, _, err) = Cli("run", _dir, "--engins", "gifsicle", "--dry-run");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("did you mean '--engines'?", err);
    }

    [Fact]
    public void MisspeltEngine_IsUsageError_WithSuggestion()
    {
        var (code, _, err) = Cli("run", _dir, "--engines", "gifsicl", "--dry-run");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("Did you mean 'gifsicle'?", err);
    }

    [Fact]
    public void Export_MisspeltQualityMetric_IsUsageError_NotZeroParetoPoints()
    {
        var (code, stdout, err) = Cli("export", "--db", Path.Combine(_dir, "none.db"), "--format", "json", "--output", "-", "--quality-metric", "ssimm");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("did you mean 'ssim'?", err);
        Assert.Equal("", stdout);
    }

    // ---- measure: different canvases are an input error, not a table of nulls ----

    [Fact]
    public void Measure_DifferentCanvasSizes_IsInputError()
    {
        var (code, stdout, err) = Cli("measure", Sample("muybridge.gif"), Sample("waves.gif"));
        Assert.Equal(ExitCodes.InputError, code);
        Assert.Contains("canvases differ", err);
        Assert.Contains("30×20", err);
        Assert.Equal("", stdout);
    }

    // ---- exit codes as the README says ----

    [Fact]
    public void Run_NotAGifFile_IsInputError()
    {
        var path = Path.Combine(_dir, "notagif.txt");
        File.WriteAllText(path, "hello, not a GIF\n");
        var (code, _, err) = Cli(["run", path, "--db", Path.Combine(_dir, "n.db"), .. QuickGrid]);
        Assert.Equal(ExitCodes.InputError, code);
        Assert.Contains("could be read and decoded", err);
    }

    [Fact]
    public void Run_FolderOfUndecodableGifs_IsInputError()
    {
        var dir = Directory.CreateDirectory(Path.Combine(_dir, "bad")).FullName;
        File.WriteAllBytes(Path.Combine(dir, "a.gif"), [.. "GIF89a"u8, 1, 2, 3, 4, 5, 6, 7]);
        File.WriteAllBytes(Path.Combine(dir, "b.gif"), [.. "GIF89a"u8, 9, 9, 9]);
        var (code, _, _) = Cli(["run", dir, "--db", Path.Combine(_dir, "b.db"), .. QuickGrid]);
        Assert.Equal(ExitCodes.InputError, code);
    }

    [Fact]
    public void Run_EmptyFolder_ErrorsBeforeAnySummary_AndCreatesNoDatabase()
    {
        var input = Directory.CreateDirectory(Path.Combine(_dir, "empty")).FullName;
        var db = Path.Combine(_dir, "db", "x.db");
        var (code, stdout, err) = Cli("run", input, "--db", db);
        Assert.Equal(ExitCodes.InputError, code);
        Assert.Equal("", stdout);
        Assert.Contains("no *.gif files found", err);
        Assert.DoesNotContain("GifLab run:", err);   // no header either
        Assert.False(File.Exists(db));
    }

    [Fact]
    public void FolderWhereAFileIsExpected_SaysSo()
    {
        var (code, _, err) = Cli("features", _dir);
        Assert.Equal(ExitCodes.InputError, code);
        Assert.Contains("is a folder", err);
        Assert.DoesNotContain("permission denied", err);

        (code, _, err) = Cli("stats", "--db", _dir);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("is a folder", err);

        (code, _, err) = Cli("run", Sample("muybridge.gif"), "--db", _dir, "--engines", "gifsicle");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("is a folder", err);
    }

    // ---- merge reads its database with --db like every command ----

    [Fact]
    public void Merge_TakesItsDatabaseAsDb_OldPositionalFormIsRefused()
    {
        var (code, _, err) = Cli("merge", Path.Combine(_dir, "out.db"), Path.Combine(_dir, "in.db"));
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--db", err);
        Assert.False(File.Exists(Path.Combine(_dir, "out.db")));
    }

    // ---- run: JSON summary, JSON progress events, total known up front, quiet/verbose, plain lines ----

    [Fact]
    public void Run_FormatJson_ProgressJson_SummaryOnStdout_EventsOnStderr_TotalFromThePlan()
    {
        var input = Folder("in", "muybridge.gif", "dispose_bgnd_transparency.gif");
        var (code, stdout, err) = Cli(["run", input, "--db", Path.Combine(_dir, "r.db"), "--format", "json", "--progress", "json", .. QuickGrid]);
        Assert.Equal(ExitCodes.Ok, code);
        using var summary = JsonDocument.Parse(stdout);
        Assert.Equal(6, summary.RootElement.GetProperty("runs_executed").GetInt32());
        Assert.Equal(0, summary.RootElement.GetProperty("exit_code").GetInt32());

        var events = err.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var names = events.Select(e => e.GetProperty("event").GetString()).ToList();
        Assert.Equal("start", names[0]);
        Assert.Equal("finished", names[^1]);
        // The total is known before the first run: files × planned runs per GIF.
        var discovered = events.Single(e => e.GetProperty("event").GetString() == "discovered");
        Assert.Equal(6, discovered.GetProperty("total_runs").GetInt64());
        Assert.True(names.IndexOf("discovered") < names.IndexOf("run_finished"));
        Assert.All(events.Where(e => e.GetProperty("event").GetString() == "run_finished"), e => Assert.Equal(6, e.GetProperty("total_runs").GetInt64()));
        Assert.Equal(6, names.Count(n => n == "run_finished"));

        // Run again: every run is stored, so the total shrinks to 0 as the GIFs turn out complete.
        (code, stdout, err) = Cli(["run", input, "--db", Path.Combine(_dir, "r.db"), "--format", "json", "--progress", "json", .. QuickGrid]);
        Assert.Equal(ExitCodes.Ok, code);
        using var again = JsonDocument.Parse(stdout);
        Assert.Equal(6, again.RootElement.GetProperty("runs_skipped_existing").GetInt32());
    }

    [Fact]
    public void Run_Quiet_PrintsNoHeaderNoProgress_Verbose_PrintsEachGif_PlainLinesWithoutCarriageReturns()
    {
        var input = Folder("in", "muybridge.gif");
        var (code, stdout, err) = Cli(["run", input, "--db", Path.Combine(_dir, "q.db"), "--quiet", .. QuickGrid]);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal("", err);
        Assert.Contains("Runs: 3 executed", stdout);

        (code, _, err) = Cli(["run", input, "--db", Path.Combine(_dir, "v.db"), "--verbose", .. QuickGrid]);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("gif: ", err);
        Assert.Contains("muybridge.gif: 3 runs to do", err);
        // stderr is not a terminal here: plain lines, no carriage-return redraws; the last status line has the full total.
        Assert.DoesNotContain('\r', err);
        Assert.Contains("runs 3/3", err);

        Assert.Equal(ExitCodes.Usage, Cli("run", input, "--quiet", "--verbose").Code);
    }

    [Theory]
    [InlineData("auto", false, false, null, null, "Live")]
    [InlineData("auto", false, true, null, null, "Plain")]
    [InlineData("auto", false, false, "1", null, "Plain")]
    [InlineData("auto", false, false, null, "dumb", "Plain")]
    [InlineData("json", false, false, null, null, "Json")]
    [InlineData("auto", true, false, null, null, "None")]
    [InlineData("none", false, false, null, null, "None")]
    public void ProgressMode_FollowsTtyNoColorAndQuiet(string value, bool quiet, bool redirected, string? noColor, string? term, string expected) =>
        Assert.Equal(expected, ConsoleProgress.Resolve(value, quiet, redirected, v => v switch { "NO_COLOR" => noColor, "TERM" => term, _ => null }).ToString());

    // ---- noise: an unavailable tool's reason once, no internal names, lines ≤ 160 columns ----

    [Fact]
    public void Engines_DryRun_AndRun_StateEachUnavailableReasonOnce_InShortLines()
    {
        var env = new Dictionary<string, string?> { ["GIFLAB_ANIMATELY_PATH"] = null };
        var input = Folder("in", "muybridge.gif");
        var outputs = new[]
        {
            Cli(env, "engines"),
            Cli(env, "run", input, "--dry-run"),
            Cli(env, ["run", input, "--db", Path.Combine(_dir, "n.db"), "--levels", "0", "--colors", "256", "--engines", "gifsicle,animately-hard"]),
        };
        foreach (var (_, stdout, stderr) in outputs)
        {
            var text = stdout + stderr;
            Assert.DoesNotContain("EngineSettings", text);
            Assert.All(text.Split('\n'), line => Assert.True(line.TrimEnd('\r').Length <= 160, $"{line.Length} columns: {line}"));
            if (text.Contains("'animately' not found", StringComparison.Ordinal))
                Assert.Equal(1, CountOf(text, "'animately' not found"));
        }
        // animately is not installed on Linux: the dry run labels animately-hard's row with its own tool first.
        if (outputs[1].Out.Contains("'animately' not found", StringComparison.Ordinal))
            Assert.Contains("unavailable: animately-hard, animately-color", outputs[1].Out);
    }

    private static int CountOf(string text, string what)
    {
        var n = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal)) n++;
        return n;
    }

    // ---- stats: runs per GIF keyed by SHA-256 ----

    [Fact]
    public void Stats_Json_RunsPerGif_KeyedBySha_TwoFilesOfOneName()
    {
        var input = Directory.CreateDirectory(Path.Combine(_dir, "two")).FullName;
        Directory.CreateDirectory(Path.Combine(input, "a"));
        Directory.CreateDirectory(Path.Combine(input, "b"));
        File.Copy(Sample("muybridge.gif"), Path.Combine(input, "a", "x.gif"));
        File.Copy(Sample("dispose_bgnd_transparency.gif"), Path.Combine(input, "b", "x.gif"));
        var db = Path.Combine(_dir, "s.db");
        Assert.Equal(ExitCodes.Ok, Cli(["run", input, "--db", db, "--quiet", .. QuickGrid]).Code);
        var (code, stdout, _) = Cli("stats", "--db", db, "--format", "json");
        Assert.Equal(ExitCodes.Ok, code);
        using var doc = JsonDocument.Parse(stdout);
        var perGif = doc.RootElement.GetProperty("runs_per_gif").EnumerateObject().ToList();
        Assert.Equal(2, perGif.Count);
        Assert.All(perGif, p =>
        {
            Assert.Matches("^[0-9a-f]{64}$", p.Name);
            Assert.Equal("x.gif", p.Value.GetProperty("file_name").GetString());
            Assert.Equal(3, p.Value.GetProperty("runs").GetInt64());
        });
    }

    // ---- export: duration_ms, engine_cpu_ms and the exact command lines, no duplicate CSV column ----

    [Fact]
    public void Export_CarriesDurationCpuAndCommandLines_ThatReproduceTheRow()
    {
        var input = Folder("in", "muybridge.gif");
        var db = Path.Combine(_dir, "e.db");
        Assert.Equal(ExitCodes.Ok, Cli(["run", input, "--db", db, "--quiet", .. QuickGrid]).Code);

        var (code, csv, _) = Cli("export", "--db", db, "--format", "csv", "--output", "-");
        Assert.Equal(ExitCodes.Ok, code);
        var rows = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = rows[0].Split(',');
        Assert.Equal(header.Length, header.Distinct().Count());
        Assert.Single(header, h => h == "compression_ratio");
        Assert.Contains("duration_ms", header);
        Assert.Contains("engine_cpu_ms", header);
        Assert.Contains("command_lines", header);
        Assert.Equal(1 + 3, rows.Length);

        (code, var json, _) = Cli("export", "--db", db, "--format", "json", "--output", "-");
        Assert.Equal(ExitCodes.Ok, code);
        using var doc = JsonDocument.Parse(json);
        var runs = doc.RootElement.GetProperty("gifs")[0].GetProperty("engines").GetProperty("gifsicle").GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(3, runs.Count);
        foreach (var run in runs)
        {
            Assert.True(run.GetProperty("duration_ms").GetInt64() >= 0);
            Assert.Equal(JsonValueKind.Number, run.GetProperty("engine_cpu_ms").ValueKind);
            var lines = run.GetProperty("command_lines").EnumerateArray().Select(l => l.GetString()!).ToList();
            Assert.NotEmpty(lines);
            Assert.All(lines, l => Assert.Contains("gifsicle", l));
        }
        // The lossy level is in the stored command line: level 50 → gifsicle --lossy=150.
        var lossy50 = runs.Single(r => r.GetProperty("lossy_level").GetInt32() == 50 && r.GetProperty("color_count").GetInt32() == 256
                                       && r.GetProperty("pipeline").GetString()!.Contains("none-color", StringComparison.Ordinal));
        Assert.Contains("--lossy=150", lossy50.GetProperty("command_lines")[0].GetString());
    }

    // ---- predict: the quality floor's metric ----

    [Fact]
    public void Predict_Metric_ChoosesTheFloorsMetric_AndRefusesUnpredictedOnes()
    {
        var curve = new CurvePrediction(GifLab.Core.Model.Engine.Gifsicle, CurveType.Lossy,
            [new PredictedPoint(0, 1000, 2.0, 0.99, 0.99) { Ssimulacra2 = 90 }, new PredictedPoint(10, 800, 2.5, 0.95, 0.80) { Ssimulacra2 = 72 },
             new PredictedPoint(20, 600, 3.0, 0.80, 0.95) { Ssimulacra2 = 60 }],
            new Dictionary<PredictionTarget, ModelStructure> { [PredictionTarget.Size] = ModelStructure.Shared }, 3.5, "test");
        Assert.Equal(10, CurvePredictor.Recommend([curve], 0.9, "composite_score")!.Point.Position);
        var bySsim = CurvePredictor.Recommend([curve], 0.9, "ssim")!;
        Assert.Equal(20, bySsim.Point.Position);
        Assert.Equal("ssim", bySsim.QualityMetric);

        var byS2 = CurvePredictor.Recommend([curve], 70, "ssimulacra2")!;
        Assert.Equal(10, byS2.Point.Position);
        Assert.Equal("ssimulacra2", byS2.QualityMetric);

        // A metric that is measured but not predicted is refused with the reason; a typo gets a suggestion.
        var (code, _, err) = Cli("predict", Sample("muybridge.gif"), "--metric", "psnr");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("no model predicts it", err);
        Assert.DoesNotContain("Did you mean", err);
        (code, _, err) = Cli("predict", Sample("muybridge.gif"), "--metric", "ssmi");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("Did you mean 'ssim'?", err);
    }
}
