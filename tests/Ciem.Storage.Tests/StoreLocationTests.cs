namespace Ciem.Storage.Tests;

public sealed class StoreLocationTests
{
    [Theory]
    [InlineData("postgres://ciem:s%40cret@db.internal:5433/estate?sslmode=verify-full&application_name=nightly",
        "postgresql://ciem@db.internal:5433/estate")]
    [InlineData("postgresql://ciem@[::1]/estate", "postgresql://ciem@::1:5432/estate")]
    [InlineData("POSTGRES://reader@db/estate", "postgresql://reader@db:5432/estate")]
    [InlineData("Host=db.internal;Port=5433;Username=ciem;Password=s3cret;Database=estate", "postgresql://ciem@db.internal:5433/estate")]
    [InlineData("Database=estate; server=db;User ID=ciem;pwd=s3cret", "postgresql://ciem@db:5432/estate")]
    public void Parse_PostgresUrlOrConnectionString_PostgresShownWithoutPassword(string value, string display)
    {
        // Given a PostgreSQL location with a password
        // When it is parsed
        var location = StoreLocation.Parse(value);

        // Then it is PostgreSQL and its display form holds no password
        Assert.Equal(StoreBackend.Postgres, location.Backend);
        Assert.Equal(display, location.Display);
        Assert.True(location.Exists);
    }

    [Theory]
    [InlineData("ciem.db")]
    [InlineData("./data/host=x.db")]
    [InlineData("/tmp/postgres/ciem.db")]
    public void Parse_FilePath_SqliteAtTheFullPath(string value)
    {
        // Given a path (a folder named `postgres` or a file with `=` in its name is still a path)
        // When it is parsed
        var location = StoreLocation.Parse(value);

        // Then it is the SQLite file at the full path
        Assert.Equal(StoreBackend.Sqlite, location.Backend);
        Assert.Equal(Path.GetFullPath(value), location.Display);
    }

    [Theory]
    [InlineData("mysql://root:hunter2@db/estate", "the scheme `mysql` is not a store")]
    [InlineData("sqlite:///tmp/ciem.db", "the scheme `sqlite` is not a store")]
    [InlineData("https://ciem.example/api", "the scheme `https` is not a store")]
    [InlineData("postgres://ciem:hunter2@/estate", "names no host")]
    [InlineData("postgres://ciem:hunter2@db:99999/estate", "invalid port `99999`")]
    [InlineData("postgres://ciem:hunter2@db/estate?sslmode=sometimes", "invalid option `sslmode=sometimes`")]
    [InlineData("postgres://ciem:hunter2@db/estate?colour=blue", "invalid option `colour=blue`")]
    [InlineData("Host=db;Password=hunter2;Colour=blue", "invalid PostgreSQL connection string")]
    [InlineData("   ", "the store location is empty")]
    public void Parse_UnsupportedOrInvalid_LocatedErrorWithoutPassword(string value, string expected)
    {
        // Given a location no store can open
        // When it is parsed
        var error = Assert.Throws<StoreLocationException>(() => StoreLocation.Parse(value));

        // Then the error says why, with the store's code, and never shows the password
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal("CIEM4101", error.Code);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_UnreachableServer_UnavailableWithoutThePassword()
    {
        // Given a location with a password on a port where nothing listens
        var location = StoreLocation.Parse("postgres://ciem:s3cret-pass@127.0.0.1:1/ciem?connect_timeout=2");

        // When it is opened
        var error = Assert.Throws<StoreUnavailableException>(location.Open);

        // Then the error names the store but never the password
        Assert.Equal("CIEM4102", error.Code);
        Assert.Contains("`postgresql://ciem@127.0.0.1:1/ciem`", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgres://u:p%2Fw@h/db", "postgres://u:***@h/db")]
    [InlineData("Host=h;Password=abc;Username=u", "Host=h;Password=***;Username=u")]
    [InlineData("Host=h; pwd = abc ; Username=u", "Host=h; pwd = ***; Username=u")]
    public void Redact_Passwords_Hidden(string value, string expected) => Assert.Equal(expected, StoreLocation.Redact(value));
}
