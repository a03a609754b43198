using System.Diagnostics;
using Xunit.Abstractions;

namespace GifLab.Cli.Tests.Reliability;

/// <summary>
/// A password in a <c>--db</c> value never reaches stdout or stderr, whatever the form (unparsable URI, escaped,
/// key=value) and whatever the command; SQLite-only commands refuse a connection string without echoing it; bad
/// connection values are clear errors with a named exit code, never a stack trace; a wrong port fails fast.
/// </summary>
public class SecretLeakTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    // Port 1 on the loopback: nothing listens there, so a connection is refused at once.
    public static TheoryData<string> DbValues => new()
    {
        "postgres://u:S3cretPW@localhost:99999/db",
        "postgres://u:S3cretPW@/db",
        "postgres://u%3AS3cretPW@127.0.0.1:1/db",
        "postgres://u:S3cret%50W@127.0.0.1:1/db",
        "postgres://u:S3c@retPW@127.0.0.1:1/db",
        "postgres://u@127.0.0.1:1/db?sslmode=bogus&password=S3cretPW",
        "Host=127.0.0.1;Port=1;Database=db;Username=u;Password=S3cretPW",
        "Host=127.0.0.1;Port=1;Database=db;pwd=\"S3cret;PW\"",
        "Password=S3cretPW;Database=db",
    };

    [Theory]
    [MemberData(nameof(DbValues))]
    public void NoCommand_PrintsThePassword(string db)
    {
        using var box = new Sandbox().WithAnimatelyStandIn();
        var input = Path.GetDirectoryName(box.CopyGif("engines/animated-red-blue.gif", "in"))!;
        var commands = new[]
        {
            new[] { "stats", "--db", db },
            ["stats", "--db", db, "--format", "json"],
            ["export", "--db", db, "-o", box.PathOf("out.csv")],
            ["train", "--db", db, "--out", box.PathOf("models")],
            ["leaderboard", "--db", db],
            ["report", "--db", db, "-o", box.PathOf("report")],
            ["run", input, "--db", db, "--engines", "animately", "--levels", "0", "--colors", "256"],
        };
        foreach (var args in commands)
        {
            var watch = Stopwatch.StartNew();
            var (code, stdout, stderr) = box.Run(Limit, args);
            output.WriteLine($"giflab {args[0]} → {code} in {watch.Elapsed.TotalSeconds:0.0} s: {stderr.Trim()}");
            foreach (var text in new[] { stdout, stderr })
            {
                Assert.DoesNotContain("S3cret", text, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("retPW", text, StringComparison.OrdinalIgnoreCase);
            }
            Assert.NotEqual(ExitCodes.UnexpectedError, code);
            Assert.DoesNotContain("   at ", stderr); // no stack trace
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"giflab {args[0]} took {watch.Elapsed} (a refused connection must fail fast)");
        }
    }

    [Theory]
    [InlineData("export")]
    [InlineData("train")]
    public void SqliteOnlyCommands_RefuseAConnectionString_WithoutEchoingIt(string verb)
    {
        using var box = new Sandbox();
        const string db = "Host=db.example;Database=lab;Username=giflab;Password=S3cretPW";
        string[] args = verb == "export" ? ["export", "--db", db, "-o", box.PathOf("out.csv")] : ["train", "--db", db, "--out", box.PathOf("m")];
        var (code, stdout, stderr) = box.Run(Limit, args);
        output.WriteLine(stderr);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("reads a SQLite database file", stderr);
        Assert.DoesNotContain("db.example", stdout + stderr); // not echoed at all, not even redacted
        Assert.DoesNotContain("S3cret", stdout + stderr);
    }

    [Fact]
    public void BogusSslMode_IsAClearStorageError()
    {
        using var box = new Sandbox();
        var (code, _, stderr) = box.Run(Limit, ["stats", "--db", "postgres://u@127.0.0.1/db?sslmode=bogus"]);
        output.WriteLine(stderr);
        Assert.Equal(ExitCodes.StorageUnavailable, code);
        Assert.Contains("unsupported sslmode 'bogus'", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public void WrongPort_FailsFast_NotRetriedForAMinute()
    {
        using var box = new Sandbox();
        var watch = Stopwatch.StartNew();
        var (code, _, stderr) = box.Run(Limit, ["stats", "--db", "postgres://u@127.0.0.1:1/db"]);
        output.WriteLine($"{watch.Elapsed.TotalSeconds:0.0} s: {stderr}");
        Assert.Equal(ExitCodes.StorageUnavailable, code);
        Assert.Contains("cannot connect to PostgreSQL", stderr);
        Assert.Contains("refused", stderr, StringComparison.OrdinalIgnoreCase);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
    }
}
