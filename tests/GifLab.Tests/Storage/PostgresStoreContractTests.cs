using GifLab.Storage;
using GifLab.Storage.Postgres;
using Xunit.Abstractions;

namespace GifLab.Tests.Storage;

/// <summary>The contract suite on PostgreSQL, one fresh schema per test (skips when no server is available).</summary>
public sealed class PostgresStoreContractTests(ITestOutputHelper output) : StoreContractTests(output)
{
    private readonly string _schema = PostgresTestServer.NewSchemaName();

    protected override async Task<IResultStore?> OpenAsync()
    {
        if (PostgresTestServer.SkipReason is { } reason)
        {
            Output.WriteLine(reason);
            return null;
        }
        return await PostgresTestServer.NewStoreAsync(_schema);
    }

    protected override Task<IResultStore> ReopenAsync() =>
        Task.FromResult<IResultStore>(new PostgresResultStore(PostgresTestServer.ConnectionString!, _schema));

    protected override Task CleanupAsync() => PostgresTestServer.DropSchemaAsync(_schema);
}
