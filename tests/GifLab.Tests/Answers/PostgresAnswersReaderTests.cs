using GifLab.Storage.Postgres;
using GifLab.Storage.Sqlite;
using GifLab.Tests.Engines;
using GifLab.Tests.Storage;
using Xunit.Abstractions;

namespace GifLab.Tests.Answers;

/// <summary>The PostgreSQL answers reader returns what the SQLite one returns for the same data (skips without a server).</summary>
public sealed class PostgresAnswersReaderTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _schema = PostgresTestServer.NewSchemaName();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => PostgresTestServer.DropSchemaAsync(_schema);

    [Fact]
    public async Task SameGifsRunsTypesSummaryAndFailures_AsSqlite()
    {
        if (PostgresTestServer.SkipReason is { } reason)
        {
            output.WriteLine("SKIPPED: " + reason);
            return;
        }
        await using (var pg = await PostgresTestServer.NewStoreAsync(_schema))
            await AnswersTestDb.FillAsync(pg!, 7);
        using var dir = TestEnvironment.NewTempDir();
        var lite = await AnswersTestDb.CreateAsync(Path.Combine(dir.Path, "a.db"), 7);

        using var a = new SqliteAnswersReader(lite);
        using var b = new PostgresAnswersReader(PostgresTestServer.ConnectionString!, _schema);
        var x = a.ReadGifs("composite_score", CancellationToken.None).ToList();
        var y = b.ReadGifs("composite_score", CancellationToken.None).ToList();
        Assert.Equal(x.Count, y.Count);
        for (var i = 0; i < x.Count; i++)
        {
            Assert.Equal((x[i].Sha256, x[i].ContentType, x[i].FileSizeBytes), (y[i].Sha256, y[i].ContentType, y[i].FileSizeBytes));
            static IEnumerable<string> Key(GifLab.Storage.AnswersGif g) => g.Runs.Select(r => $"{r.Pipeline} {r.LossyLevel} {r.ColorCount} {r.OutputSizeBytes} {r.ValidationStatus} {r.Quality:R}").Order(StringComparer.Ordinal);
            Assert.Equal(Key(x[i]), Key(y[i]));
        }
        Assert.Equal(a.CountContentTypes(CancellationToken.None), b.CountContentTypes(CancellationToken.None));
        var (sa, sb) = (a.ReadSummary(CancellationToken.None), b.ReadSummary(CancellationToken.None));
        Assert.Equal((sa.Gifs, sa.Runs, sa.ValidRuns, sa.Failures, sa.Pipelines, sa.InputBytes), (sb.Gifs, sb.Runs, sb.ValidRuns, sb.Failures, sb.Pipelines, sb.InputBytes));
        Assert.Equal(a.ReadFailureGroups(CancellationToken.None), b.ReadFailureGroups(CancellationToken.None));
    }
}
