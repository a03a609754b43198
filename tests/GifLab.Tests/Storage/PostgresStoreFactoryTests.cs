using GifLab.Storage;
using GifLab.Storage.Postgres;
using GifLab.Storage.Sqlite;
using Npgsql;

namespace GifLab.Tests.Storage;

/// <summary>How <c>--db</c> values pick a store (no server needed).</summary>
public class PostgresStoreFactoryTests
{
    [Theory]
    [InlineData("data/giflab.db", false)]
    [InlineData("/abs/path/with=equals.db", false)]
    [InlineData("postgres://giflab@db.example:6543/lab", true)]
    [InlineData("postgresql://giflab@db.example/lab", true)]
    [InlineData("Host=db.example;Database=lab;Username=giflab", true)]
    [InlineData("Database=lab;Host=10.0.0.2", true)]
    public void IsPostgres_RecognisesUrisAndConnectionStrings(string db, bool expected) =>
        Assert.Equal(expected, StoreFactory.IsPostgres(db));

    [Fact]
    public async Task Create_PicksTheStoreByValue_AndUriBecomesConnectionString()
    {
        using var dir = new TempDir();
        await using (var lite = StoreFactory.Create(dir.File("x.db"))) Assert.IsType<SqliteResultStore>(lite);

        await using var pg = StoreFactory.Create("postgres://giflab@db.example:6543/lab?schema=shard_a&sslmode=require");
        var store = Assert.IsType<PostgresResultStore>(pg);
        Assert.Equal("postgres://giflab@db.example:6543/lab?schema=shard_a", store.Location);
        Assert.Equal("shard_a", store.Schema);

        var (cs, schema) = StoreFactory.ToConnectionString("postgres://giflab@db.example/lab");
        var csb = new NpgsqlConnectionStringBuilder(cs);
        Assert.Equal(("db.example", 5432, "lab", "giflab", (string?)null), (csb.Host, csb.Port, csb.Database, csb.Username, schema));
        Assert.Null(csb.Password);
    }

    [Fact]
    public void PasswordInUri_IsRejected_AndRedacted()
    {
        var e = Assert.Throws<StorageUnavailableException>(() => StoreFactory.Create("postgres://giflab:s3cret@db.example/lab"));
        Assert.DoesNotContain("s3cret", e.Message);
        Assert.Contains("PGPASSWORD", e.Message);
    }

    [Fact]
    public async Task ConnectionStringPassword_NeverAppearsInLocation()
    {
        await using var store = StoreFactory.Create("Host=db.example;Port=5433;Database=lab;Username=giflab;Password=s3cret");
        Assert.Equal("postgres://giflab@db.example:5433/lab", store.Location);
        Assert.DoesNotContain("s3cret", Secrets.Redact("Host=db.example;Database=lab;Username=giflab;Password=s3cret"));
    }

    [Theory]
    [InlineData("postgres://giflab@db.example")]
    [InlineData("postgres://giflab@db.example/lab?color=blue")]
    public void BadUris_AreRejectedWithAReason(string db) =>
        Assert.Throws<StorageUnavailableException>(() => StoreFactory.Create(db));
}
