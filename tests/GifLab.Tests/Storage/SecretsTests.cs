using GifLab.Storage;

namespace GifLab.Tests.Storage;

/// <summary>The one redaction function, on every form a password can take in a --db value or a message.</summary>
public class SecretsTests
{
    public static TheoryData<string> Leaky => new()
    {
        // URIs, parsable and not
        "postgres://u:S3cretPW@localhost/db",
        "postgres://u:S3cretPW@localhost:99999/db",                  // bad port: System.Uri does not parse it
        "postgres://u:S3cretPW@/db",                                 // empty host
        "postgres://u%3AS3cretPW@localhost/db",                      // escaped ':' separator
        "postgres://u%3aS3cretPW@localhost/db",
        "postgres://u:S3cret%50W@localhost/db",                      // escape inside the password
        "postgres://u:S3c@retPW@localhost/db",                       // '@' inside the password
        "postgresql://u:S3cretPW@host:5432/db?schema=s&sslmode=require",
        "postgres://u:S3cretPW/db",                                  // no '@': the password sits where the port goes
        "postgres://u@host/db?password=S3cretPW",                   // password as a query parameter
        "postgres://u@host/db?sslmode=require&password=S3cretPW&schema=x",
        "mysql://root:S3cretPW@db",                                  // any scheme
        // key=value connection strings
        "Host=db;Database=lab;Username=u;Password=S3cretPW",
        "Host=db;Password=S3cretPW;Database=lab",
        "host=db;pwd=S3cretPW",
        "Server=db; PASSWORD = S3cretPW ;Database=lab",
        "Host=db;Password=\"S3cret;PW\";Database=lab",               // quoted value holding ';'
        "Host=db;Password='S3cret''PW';Database=lab",
        "Host=db;Password=S3cret PW with spaces",
        "Host=db;SSL Password=S3cretPW",
        "Password=S3cretPW",                                         // nothing but the password (not even a host)
        "Host%3Ddb%3BPassword%3DS3cretPW",                           // URL-escaped key=value
        // embedded in messages
        "giflab stats: database 'Host=db;Password=S3cretPW' does not exist (run `giflab run` first).",
        "storage unavailable: postgres://u:S3cretPW@localhost:99999/db: not a valid postgres:// URI",
        "line one\nHost=db;Password=S3cretPW\nline three",
    };

    [Theory]
    [MemberData(nameof(Leaky))]
    public void Redact_RemovesEveryPasswordForm(string text)
    {
        var redacted = Secrets.Redact(text);
        Assert.DoesNotContain("S3cret", redacted, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("retPW", redacted, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(Secrets.Mask, redacted);
        Assert.Equal(redacted, Secrets.Redact(redacted)); // idempotent
    }

    [Theory]
    [InlineData("data/giflab.db")]
    [InlineData("postgres://giflab@db.example:5433/lab?schema=s")]
    [InlineData("Host=db.example;Database=lab;Username=giflab")]
    [InlineData("GIFs: 12 (12 with features)")]
    [InlineData("lossy=40 colors=64")]
    [InlineData("https://example.org/a?b=c")]
    public void Redact_LeavesTextWithoutPasswordsAlone(string text) => Assert.Equal(text, Secrets.Redact(text));

    [Fact]
    public void Redact_KeepsTheUserAndTheRestOfTheMessage()
    {
        Assert.Equal("postgres://u:***@localhost:99999/db", Secrets.Redact("postgres://u:S3cretPW@localhost:99999/db"));
        Assert.Equal("postgres://u:***@localhost/db", Secrets.Redact("postgres://u:S3c@retPW@localhost/db"));
        Assert.Equal("Host=db;Password=***;Database=lab", Secrets.Redact("Host=db;Password=\"S3cret;PW\";Database=lab"));
        Assert.Equal("database 'Host=db;Password=***", Secrets.Redact("database 'Host=db;Password=S3cretPW' does not exist"));
        // A value redacted before it was put into a message keeps the rest of the message through a second pass.
        var message = $"database {Secrets.Redact("Host=db;Password=S3cretPW")}, mode single: unsupported";
        Assert.Equal("database Host=db;Password=***, mode single: unsupported", Secrets.Redact(message));
    }

    [Theory]
    [InlineData("postgres://u:S3cretPW@localhost:99999/db")]
    [InlineData("postgres://u:S3cretPW@/db")]
    [InlineData("postgres://u%3AS3cretPW@localhost/db")]
    [InlineData("postgres://u:S3cret%50W@localhost/db")]
    [InlineData("postgres://u:S3c@retPW@localhost/db")]
    [InlineData("postgres://u@localhost/db?sslmode=bogus&password=S3cretPW")]
    [InlineData("Host=db;Password=S3cretPW;Bogus=1")]
    [InlineData("Host=db;Password=S3cretPW;Port=abc")]
    public void StoreFactory_BadValues_FailAsStorageErrors_WithoutThePassword(string db)
    {
        var e = Assert.Throws<StorageUnavailableException>(() => StoreFactory.Create(db));
        Assert.DoesNotContain("S3cret", e.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("7")]
    [InlineData("")]
    public void BadSslMode_IsAClearStorageError(string mode)
    {
        var e = Assert.Throws<StorageUnavailableException>(() => StoreFactory.Create($"postgres://u@localhost/db?sslmode={mode}"));
        Assert.Contains("unsupported sslmode", e.Message);
        Assert.Contains("verify-full", e.Message);
    }

    [Theory]
    [InlineData("disable")]
    [InlineData("require")]
    [InlineData("verify-full")]
    [InlineData("Verify-CA")]
    public void GoodSslModes_AreAccepted(string mode)
    {
        var (cs, _) = StoreFactory.ToConnectionString($"postgres://u@localhost/db?sslmode={mode}");
        Assert.Contains("SSL Mode", cs, StringComparison.OrdinalIgnoreCase);
    }
}
