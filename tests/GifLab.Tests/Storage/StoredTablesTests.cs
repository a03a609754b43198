using GifLab.Storage.Schema;
using GifLab.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Npgsql;
using Xunit.Abstractions;

namespace GifLab.Tests.Storage;

/// <summary>
/// The declarations in <see cref="StoredTables"/> and the numbered migrations agree on both backends: every migrated
/// column (but <c>id</c>) of a declared table is declared, and with the type the migration gives it. A column added by a
/// migration but not declared (or declared without a migration) fails here before any write does.
/// </summary>
public sealed class StoredTablesTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _schema = PostgresTestServer.NewSchemaName();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => PostgresTestServer.DropSchemaAsync(_schema);

    /// <summary>table → column → declared type.</summary>
    private static Dictionary<string, Dictionary<string, ColumnType>> Declared() => new()
    {
        [StoredTables.Gifs.Name] = StoredTables.Gifs.Columns.ToDictionary(c => c.Name, c => c.Type),
        [StoredTables.Runs.Name] = StoredTables.Runs.Columns.ToDictionary(c => c.Name, c => c.Type),
        [StoredTables.Failures.Name] = StoredTables.Failures.Columns.ToDictionary(c => c.Name, c => c.Type),
    };

    [Fact]
    public async Task SqliteMigrations_HaveExactlyTheDeclaredColumns_WithTheDeclaredTypes()
    {
        using var dir = new TempDir();
        var path = dir.File("s.db");
        await using (var store = new SqliteResultStore(path)) await store.InitializeAsync(default);
        using var conn = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        conn.Open();
        foreach (var (table, declared) in Declared())
        {
            using var cmd = conn.CreateCommand();
            cmd.CommandText = "SELECT name, type FROM pragma_table_info($t) WHERE name <> 'id';";
            cmd.Parameters.AddWithValue("$t", table);
            var migrated = new Dictionary<string, string>();
            using (var r = cmd.ExecuteReader())
                while (r.Read()) migrated[r.GetString(0)] = r.GetString(1);
            Assert.Equal(migrated.Keys.Order(), declared.Keys.Order());
            foreach (var (column, type) in declared) Assert.Equal((table, column, migrated[column]), (table, column, type.Sqlite()));
        }
    }

    [Fact]
    public async Task PostgresMigrations_HaveExactlyTheDeclaredColumns_WithTheDeclaredTypes()
    {
        if (PostgresTestServer.SkipReason is { } reason)
        {
            output.WriteLine(reason);
            return;
        }
        await using (var store = await PostgresTestServer.NewStoreAsync(_schema)) { }
        await using var conn = new NpgsqlConnection(PostgresTestServer.ConnectionString);
        await conn.OpenAsync();
        foreach (var (table, declared) in Declared())
        {
            var migrated = new Dictionary<string, string>();
            await using (var cmd = new NpgsqlCommand(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = @s AND table_name = @t AND column_name <> 'id';", conn))
            {
                cmd.Parameters.AddWithValue("s", _schema);
                cmd.Parameters.AddWithValue("t", table);
                await using var r = await cmd.ExecuteReaderAsync();
                while (await r.ReadAsync()) migrated[r.GetString(0)] = r.GetString(1);
            }
            Assert.Equal(migrated.Keys.Order(), declared.Keys.Order());
            foreach (var (column, type) in declared)
            {
                // The declared spelling normalised by PostgreSQL itself (TIMESTAMPTZ → timestamp with time zone).
                await using var cmd = new NpgsqlCommand("SELECT format_type(@n::regtype, NULL);", conn);
                cmd.Parameters.AddWithValue("n", type.Postgres());
                Assert.Equal((table, column, migrated[column]), (table, column, (string?)await cmd.ExecuteScalarAsync()));
            }
        }
    }
}
