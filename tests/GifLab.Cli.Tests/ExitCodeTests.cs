namespace GifLab.Cli.Tests;

public class ExitCodeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("giflab-cli-").FullName;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void UnknownOption_IsUsageError()
    {
        var (code, _, _) = CliRunner.Run(_dir, Timeout, "run", ".", "--no-such-option");
        Assert.Equal(ExitCodes.Usage, code);
    }

    [Fact]
    public void BadLevelValue_IsUsageError_WithMessage()
    {
        var (code, _, err) = CliRunner.Run(_dir, Timeout, "run", ".", "--levels", "0,500", "--dry-run");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--levels", err);
    }

    [Fact]
    public void BadMode_IsUsageError()
    {
        var (code, _, _) = CliRunner.Run(_dir, Timeout, "run", ".", "--mode", "everything");
        Assert.Equal(ExitCodes.Usage, code);
    }

    [Fact]
    public void MissingInput_IsInputError()
    {
        var (code, _, err) = CliRunner.Run(_dir, Timeout, "run", Path.Combine(_dir, "nope"));
        Assert.Equal(ExitCodes.InputError, code);
        Assert.Contains("does not exist", err);
    }

    [Fact]
    public void EmptyFolder_IsInputError_AndNoDatabaseIsCreated()
    {
        var input = Directory.CreateDirectory(Path.Combine(_dir, "empty")).FullName;
        var db = Path.Combine(_dir, "db", "x.db");
        var (code, _, err) = CliRunner.Run(_dir, Timeout, "run", input, "--db", db, "--engines", "gifsicle");
        Assert.True(code == ExitCodes.InputError, $"exit {code}: {err}");
        Assert.False(File.Exists(db));
    }

    [Fact]
    public void Stats_MissingDatabase_IsStorageUnavailable()
    {
        var (code, _, err) = CliRunner.Run(_dir, Timeout, "stats", "--db", Path.Combine(_dir, "missing.db"));
        Assert.Equal(ExitCodes.StorageUnavailable, code);
        Assert.Contains("does not exist", err);
    }

    [Fact]
    public void Help_ListsExitCodes()
    {
        var (code, stdout, _) = CliRunner.Run(_dir, Timeout, "--help");
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("130 cancelled", stdout);
    }

    [Fact]
    public void DryRun_FullMode_Reports1200Pipelines()
    {
        var (code, stdout, err) = CliRunner.Run(_dir, Timeout, "run", _dir, "--mode", "full", "--dry-run");
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("grid of 1200 pipelines, 66000 runs per GIF", stdout + err);
    }

    [Fact]
    public void DryRun_SingleMode_Reports77LossyPlusColourRuns()
    {
        var (code, stdout, _) = CliRunner.Run(_dir, Timeout, "run", _dir, "--dry-run");
        Assert.Equal(ExitCodes.Ok, code);
        // 7 engines × 11 levels + 6 engines with a colour tool × 5 colour counts.
        Assert.Contains("grid of 13 pipelines, 107 runs per GIF", stdout);
    }
}
