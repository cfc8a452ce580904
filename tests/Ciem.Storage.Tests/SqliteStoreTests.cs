using Microsoft.Data.Sqlite;

namespace Ciem.Storage.Tests;

public sealed class SqliteStoreTests : CiemStoreContractTests, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ciem-store-").FullName;

    private string DbPath => Path.Combine(_folder, "nested", "ciem.db");

    protected override ICiemStore OpenStore() => SqliteStore.Open(DbPath);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    protected override void ExecuteSql(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [Fact]
    public void Open_NewFile_WalModeAndCurrentSchemaVersion()
    {
        // Given a path whose folder does not exist yet
        // When the store is opened
        using (SqliteStore.Open(DbPath)) { }

        // Then the file is in WAL mode and records the schema version
        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        connection.Open();
        Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode"));
        Assert.Equal((long)SqliteStore.SchemaVersion, Scalar(connection, "SELECT max(version) FROM schema_version"));
    }

    [Fact]
    public void Open_NewFileFromParallelOpeners_OneSchemaNoError()
    {
        // Given a store file that does not exist yet, opened by eight connections at the same moment
        using var start = new Barrier(8);
        var errors = Enumerable.Range(0, 8).AsParallel().WithDegreeOfParallelism(8).Select(_ =>
        {
            start.SignalAndWait();
            try { using (SqliteStore.Open(DbPath)) { } return null; }
            catch (Exception ex) { return ex.Message; }
        }).Where(e => e is not null).ToList();

        // Then none failed ("table already exists"), and the schema was written once
        Assert.Empty(errors);
        using var connection = new SqliteConnection($"Data Source={DbPath}");
        connection.Open();
        using var versions = new SqliteCommand("SELECT count(*), max(version) FROM schema_version", connection);
        using var reader = versions.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(SqliteStore.SchemaVersion, reader.GetInt32(0));
        Assert.Equal(SqliteStore.SchemaVersion, reader.GetInt32(1));
    }

    [Fact]
    public void Open_DatabaseFromNewerVersion_SchemaException()
    {
        // Given a database migrated by a later ciem
        using (SqliteStore.Open(DbPath)) { }
        using (var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            connection.Open();
            Scalar(connection, $"INSERT INTO schema_version (version) VALUES ({SqliteStore.SchemaVersion + 1})");
        }

        // When this version opens it
        var error = Assert.Throws<StoreSchemaException>(() => SqliteStore.Open(DbPath));

        // Then it refuses, with the store's code
        Assert.Equal("CIEM4001", error.Code);
    }

    [Fact]
    public void LoadAwsInventory_OrganizationStoredBeforeTags_AccountsWithoutTags()
    {
        // Given an organization stored before the tags column existed (its rows have `tags` NULL after the migration)
        using (var store = SqliteStore.Open(DbPath)) { store.ImportAws(Request(Inventories.Full(Inventories.Monday), Inventories.Monday)); }
        using (var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            connection.Open();
            Scalar(connection, "UPDATE org_account SET tags = NULL; UPDATE org_unit SET tags = NULL");
        }

        // When it is loaded
        using var reopened = SqliteStore.Open(DbPath);
        var org = reopened.LoadAwsInventory().Organization!;

        // Then every account and unit is there, with no tags
        Assert.Equal(2, org.Accounts.Length);
        Assert.All(org.Accounts, a => Assert.Empty(a.Tags));
        Assert.All(org.Units, u => Assert.Empty(u.Tags));
    }

    [Fact]
    public void DefaultPath_DataHome_CiemFolder()
    {
        Assert.Equal(Path.Combine("/home/u/.local/share", "ciem", "ciem.db"), SqliteStore.DefaultPath("/home/u/.local/share"));
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
