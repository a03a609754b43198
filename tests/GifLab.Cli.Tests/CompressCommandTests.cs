using System.Text.Json;

namespace GifLab.Cli.Tests;

/// <summary><c>giflab compress</c> as a user runs it (the built CLI in a child process): folders, resume, JSON, exit codes.</summary>
public sealed class CompressCommandTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "giflab-compress-test-" + Guid.NewGuid().ToString("N")[..12]);

    public CompressCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private static string Sample(string name) => Path.Combine(CliRunner.RepoRoot, "samples", name);

    private static bool HasGifsicle => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, "gifsicle")));

    private string InputFolder()
    {
        var input = Path.Combine(_dir, "in");
        Directory.CreateDirectory(Path.Combine(input, "sub"));
        File.Copy(Sample("muybridge.gif"), Path.Combine(input, "muybridge.gif"));
        File.Copy(Sample("dispose_bgnd_transparency.gif"), Path.Combine(input, "sub", "d.gif"));
        return input;
    }

    [Fact]
    public void Folder_WithACorruptGif_ReportsIt_FinishesTheOthers_Exit3()
    {
        if (!HasGifsicle) return;
        var input = InputFolder();
        File.WriteAllBytes(Path.Combine(input, "broken.gif"), "GIF89a\x10\x00\x10\x00"u8.ToArray());
        var output = Path.Combine(_dir, "out");
        var (code, stdout, stderr) = CliRunner.Run(_dir, Timeout, "compress", input, "-o", output, "--engines", "gifsicle", "--max-tries", "3", "--format", "json");
        Assert.True(code == ExitCodes.ItemFailures, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var files = doc.RootElement.GetProperty("files").EnumerateArray().ToDictionary(f => f.GetProperty("file").GetString()!, f => f);
        Assert.Equal("error", files["broken.gif"].GetProperty("status").GetString());
        Assert.Contains("cannot decode", files["broken.gif"].GetProperty("error").GetString());
        Assert.True(File.Exists(Path.Combine(output, "muybridge.gif")));
        Assert.True(File.Exists(Path.Combine(output, "sub", "d.gif")), "the folder tree is mirrored");
        Assert.False(File.Exists(Path.Combine(output, "broken.gif")));
        foreach (var name in new[] { "muybridge.gif", Path.Combine("sub", "d.gif") })
        {
            var f = files[name];
            Assert.True(f.GetProperty("output_bytes").GetInt64() <= f.GetProperty("input_bytes").GetInt64());
            Assert.InRange(f.GetProperty("tries").GetInt32(), 1, 3);
        }
        Assert.Equal(1, doc.RootElement.GetProperty("totals").GetProperty("errors").GetInt32());
        Assert.Contains("[3/3]", stderr); // progress
    }

    [Fact]
    public void Folder_Rerun_SkipsDoneOutputs_UntilAParameterChanges()
    {
        if (!HasGifsicle) return;
        var input = InputFolder();
        var output = Path.Combine(_dir, "out");
        string[] args = ["compress", input, "-o", output, "--engines", "gifsicle", "--max-tries", "3"];
        var first = CliRunner.Run(_dir, Timeout, args);
        Assert.True(first.ExitCode == ExitCodes.Ok, first.Stderr);
        Assert.Contains("2 compressed", first.Stdout.Replace("0 compressed", "", StringComparison.Ordinal) + first.Stdout);

        var second = CliRunner.Run(_dir, Timeout, args);
        Assert.Equal(ExitCodes.Ok, second.ExitCode);
        Assert.Contains("2 skipped", second.Stdout);
        Assert.Contains("0 compressions", second.Stdout);

        // An output changed on disk is redone; so is everything after a parameter change.
        File.WriteAllBytes(Path.Combine(output, "muybridge.gif"), [1, 2, 3]);
        var third = CliRunner.Run(_dir, Timeout, args);
        Assert.Contains("1 skipped", third.Stdout);
        var fourth = CliRunner.Run(_dir, Timeout, [.. args, "--min-quality", "60"]);
        Assert.Contains("0 skipped", fourth.Stdout);
    }

    [Fact]
    public void Folder_SymbolicLinksInside_AreNotFollowed()
    {
        if (!HasGifsicle) return;
        var input = Path.Combine(_dir, "in");
        Directory.CreateDirectory(input);
        File.Copy(Sample("muybridge.gif"), Path.Combine(input, "a.gif"));
        File.CreateSymbolicLink(Path.Combine(input, "link.gif"), Sample("waves.gif"));
        Directory.CreateSymbolicLink(Path.Combine(input, "linked-dir"), Path.Combine(CliRunner.RepoRoot, "samples"));
        var output = Path.Combine(_dir, "out");
        var (code, stdout, stderr) = CliRunner.Run(_dir, Timeout, "compress", input, "-o", output, "--engines", "gifsicle", "--max-tries", "1");
        Assert.True(code == ExitCodes.Ok, stderr);
        Assert.Contains("warning: link.gif is a symbolic link; not followed.", stderr);
        Assert.Contains("warning: linked-dir is a symbolic link; not followed.", stderr);
        Assert.Contains("total: 1 file(s)", stdout);
        Assert.False(File.Exists(Path.Combine(output, "link.gif")));
    }

    [Fact]
    public void UnknownMetricOrEngine_Exit2_BeforeAnyWork()
    {
        var output = Path.Combine(_dir, "out");
        var metric = CliRunner.Run(_dir, Timeout, "compress", Sample("muybridge.gif"), "-o", output, "--metric", "ssimulacra");
        Assert.Equal(ExitCodes.Usage, metric.ExitCode);
        Assert.Contains("did you mean 'ssimulacra2'", metric.Stderr);
        var engine = CliRunner.Run(_dir, Timeout, "compress", Sample("muybridge.gif"), "-o", output, "--engines", "gifsicle,nope");
        Assert.Equal(ExitCodes.Usage, engine.ExitCode);
        Assert.Contains("unknown engine 'nope'", engine.Stderr);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void OutputInsideTheInputFolder_OrTheInputItself_Exit2()
    {
        var input = InputFolder();
        Assert.Equal(ExitCodes.Usage, CliRunner.Run(_dir, Timeout, "compress", input, "-o", Path.Combine(input, "small")).ExitCode);
        var gif = Path.Combine(input, "muybridge.gif");
        var before = File.ReadAllBytes(gif);
        Assert.Equal(ExitCodes.Usage, CliRunner.Run(_dir, Timeout, "compress", gif, "-o", gif).ExitCode);
        Assert.Equal(before, File.ReadAllBytes(gif));
    }

    [Fact]
    public void NoEngineInstalled_Exit4()
    {
        var env = new Dictionary<string, string?> { ["PATH"] = Path.Combine(_dir, "empty-path") };
        foreach (var v in new[] { "GIFLAB_GIFSICLE_PATH", "GIFLAB_IMAGEMAGICK_PATH", "GIFLAB_FFMPEG_PATH", "GIFLAB_GIFSKI_PATH", "GIFLAB_ANIMATELY_PATH" }) env[v] = null;
        var (code, _, stderr) = CliRunner.Run(_dir, Timeout, env, "compress", Sample("muybridge.gif"), "-o", Path.Combine(_dir, "o.gif"));
        Assert.True(code == ExitCodes.ToolMissing, stderr);
        Assert.Contains("no requested engine is installed", stderr);
    }

    [Fact]
    public void SomeRequestedEngineMissing_WarnsAndContinues()
    {
        if (!HasGifsicle) return;
        // animately is proprietary and never installed here.
        var output = Path.Combine(_dir, "small.gif");
        var (code, stdout, stderr) = CliRunner.Run(_dir, Timeout, "compress", Sample("muybridge.gif"), "-o", output,
            "--engines", "gifsicle,animately-standard", "--max-tries", "2");
        Assert.True(code == ExitCodes.Ok, stderr);
        Assert.Contains("warning: engine animately-standard unavailable", stderr);
        Assert.Contains("small.gif", stdout);
        Assert.True(File.Exists(output));
    }
}
