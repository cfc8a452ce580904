using System.Text.Json;
using Ciem.Storage;
using Ciem.Tests;

namespace Ciem.Cli.Tests;

/// <summary>`--db` and `CIEM_DB` naming a SQLite file or a PostgreSQL database, and `ciem db migrate`.</summary>
public sealed class StoreCommandTests
{
    [Fact]
    public void DbMigrate_NewFileThenAgain_EveryMigrationOnceThenNone()
    {
        // Given a path where no store exists yet
        using var cli = new CliRunner();

        // When the store is migrated twice
        var (code, output, error) = cli.Run("db", "migrate", "--db", cli.Db, "--format", "json");
        var (againCode, again, _) = cli.Run("db", "migrate", "--db", cli.Db);

        // Then the first run applies every migration, the second none
        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(cli.Db, json.RootElement.GetProperty("store").GetString());
        Assert.Equal("sqlite", json.RootElement.GetProperty("backend").GetString());
        Assert.Equal(0, json.RootElement.GetProperty("from").GetInt32());
        Assert.Equal(SqliteStore.SchemaVersion, json.RootElement.GetProperty("to").GetInt32());
        Assert.Equal(SqliteStore.SchemaVersion, json.RootElement.GetProperty("applied").GetInt32());
        Assert.Equal(0, againCode);
        Assert.Equal($"store `{cli.Db}` (sqlite): schema version {SqliteStore.SchemaVersion}, up to date", again.Trim());
    }

    [Theory]
    [InlineData("mysql://root:hunter2@db/estate")]
    [InlineData("postgres:/no-slashes")]
    [InlineData("redis://:hunter2@cache:6379/0")]
    public void AnyCommand_StoreUrlOfAnotherScheme_InvalidInputAndNothingCreated(string db)
    {
        // Given a store location with a scheme no store has (the second is a relative file path, `postgres:` a folder)
        using var cli = new CliRunner();
        var folder = Path.GetFullPath(db.Split("://")[0].Split('/')[0]);
        var existed = Directory.Exists(folder);

        // When a command is given it with --db, and through CIEM_DB
        var (code, _, error) = cli.Run("identities", "--db", db);
        cli.Environment["CIEM_DB"] = db;
        var (envCode, _, envError) = cli.Run("db", "migrate");

        // Then an URL is refused with the store's code, without its password and without creating a folder
        if (db.Contains("://", StringComparison.Ordinal))
        {
            Assert.Equal(ExitCodes.InvalidInput, code);
            Assert.Equal(ExitCodes.InvalidInput, envCode);
            Assert.Contains("error CIEM4101: unsupported store", error, StringComparison.Ordinal);
            Assert.Contains("error CIEM4101: unsupported store", envError, StringComparison.Ordinal);
            Assert.DoesNotContain("hunter2", error + envError, StringComparison.Ordinal);
            Assert.Equal(existed, Directory.Exists(folder));
        }
        else
        {
            // A path without `//` stays a path: the file is created where it says
            Assert.Equal(0, envCode);
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void DbMigrate_UnreachablePostgres_FailureNamingTheStoreWithoutPassword()
    {
        // Given a PostgreSQL location where nothing listens, with a password
        using var cli = new CliRunner();

        // When it is migrated
        var (code, _, error) = cli.Run("db", "migrate", "--db", "Host=127.0.0.1;Port=1;Username=ciem;Password=hunter2;Database=x;Timeout=2");

        // Then it fails with the store's code, the store shown without its password
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("error CIEM4102: cannot open the store `postgresql://ciem@127.0.0.1:1/x`", error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
    }
}

/// <summary>The same commands on PostgreSQL (a database of its own per test) give what they give on SQLite.</summary>
[RequiresPostgres]
public sealed class PostgresCommandTests : IDisposable
{
    private readonly Lazy<TestDatabase> _database = new(PostgresTestServer.CreateDatabase);

    public void Dispose()
    {
        if (_database.IsValueCreated) { _database.Value.Dispose(); }
    }

    [StoreFact]
    public void ImportAndRead_SamplesOnPostgres_SameJsonAsOnSqlite()
    {
        // Given the AWS, Azure and GCP samples and both directories imported into a SQLite file and, through CIEM_DB,
        // into a PostgreSQL database
        using var cli = new CliRunner();
        string[][] imports =
        [
            ["import", "aws", TestPaths.Repo("samples", "aws")],
            ["import", "azure", TestPaths.Repo("samples", "azure")],
            ["import", "gcp", TestPaths.Repo("samples", "gcp")],
            ["import", "directory", "identity-center", TestPaths.Repo("samples", "directory", "identity-center.json")],
            ["import", "directory", "entra", TestPaths.Repo("samples", "directory", "entra.json")],
        ];
        foreach (var import in imports)
        {
            var (sqliteCode, _, sqliteError) = cli.Run([.. import, "--db", cli.Db]);
            var (code, _, error) = Run(cli, import);
            Assert.True(sqliteCode == 0 && code == 0, sqliteError + error);
        }

        // When identities, effective permissions and a person are read from each
        string[][] reads =
        [
            ["identities", "--format", "json"],
            ["identities", "--provider", "azure", "--format", "json"],
            ["identities", "--provider", "gcp", "--format", "json"],
            ["effective", "ci-deploy", "--format", "json"],
            ["person", "alice@acme.example", "--format", "json"],
        ];
        foreach (var read in reads)
        {
            var sqlite = cli.Run([.. read, "--db", cli.Db]);
            var postgres = Run(cli, read);

            // Then both stores give the same answer
            Assert.True(sqlite.Code == 0, sqlite.Err);
            Assert.Equal(sqlite.Code, postgres.Code);
            Assert.Equal(sqlite.Out, postgres.Out);
        }
        var (migrateCode, output, _) = Run(cli, "db", "migrate", "--format", "json");
        Assert.Equal(0, migrateCode);
        Assert.Contains("\"applied\": 0", output, StringComparison.Ordinal);
    }

    private (int Code, string Out, string Err) Run(CliRunner cli, params string[] args)
    {
        cli.Environment["CIEM_DB"] = _database.Value.ConnectionString;
        try { return cli.Run(args); }
        finally { cli.Environment.Remove("CIEM_DB"); }
    }
}
