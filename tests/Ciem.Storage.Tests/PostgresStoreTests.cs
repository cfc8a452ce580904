using Ciem.Tests;
using Npgsql;

namespace Ciem.Storage.Tests;

/// <summary>The store contract on PostgreSQL (each test on a database of its own), and what only PostgreSQL has.</summary>
[RequiresPostgres]
public sealed class PostgresStoreTests : CiemStoreContractTests, IDisposable
{
    private readonly Lazy<TestDatabase> _database = new(PostgresTestServer.CreateDatabase);

    protected override ICiemStore OpenStore() => PostgresStore.Open(_database.Value.ConnectionString);

    public void Dispose()
    {
        if (_database.IsValueCreated) { _database.Value.Dispose(); }
    }

    [StoreFact]
    public void Open_NewDatabase_EveryMigrationOnceAndTextSortsByBytes()
    {
        // Given a new, empty database
        // When the store is opened, then again
        using (var first = OpenStore()) { Assert.Equal(new SchemaMigration("postgresql", 0, PostgresStore.SchemaVersion, PostgresStore.SchemaVersion), first.Migration); }
        using var second = OpenStore();

        // Then the second open applies nothing, each version is recorded once, and text columns compare by bytes
        Assert.Equal(new SchemaMigration("postgresql", PostgresStore.SchemaVersion, PostgresStore.SchemaVersion, 0), second.Migration);
        Assert.Equal((long)PostgresStore.SchemaVersion, Scalar("SELECT count(*) FROM schema_version"));
        Assert.Equal("C", Scalar("""
            SELECT collation_name FROM information_schema.columns WHERE table_name = 'iam_user' AND column_name = 'arn'
            """));
    }

    [StoreFact]
    public void Open_DatabaseFromNewerVersion_RefusedNamingBothVersions()
    {
        // Given a database migrated by a later ciem
        using (OpenStore()) { }
        Scalar($"INSERT INTO schema_version (version) VALUES ({PostgresStore.SchemaVersion + 1})");

        // When this version opens it
        var error = Assert.Throws<StoreSchemaException>(OpenStore);

        // Then it refuses with the store's code and both versions
        Assert.Equal("CIEM4001", error.Code);
        Assert.Contains($"schema version {PostgresStore.SchemaVersion + 1}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"only up to {PostgresStore.SchemaVersion}", error.Message, StringComparison.Ordinal);
    }

    [StoreFact]
    public void Open_RoleWithMoreWorkMem_KeptOtherwiseRaisedTo64MB()
    {
        // Given a database whose sessions get 256 MB of work_mem
        using (OpenStore()) { }
        Scalar($"ALTER DATABASE {_database.Value.Name} SET work_mem = '256MB'");

        // When the store opens it
        using var store = (PostgresStore)OpenStore();

        // Then the larger setting is kept, and the default temp_buffers (8 MB) is raised
        Assert.Equal("256MB", store.Setting("work_mem"));
        Assert.Equal("64MB", store.Setting("temp_buffers"));
    }

    protected override void ExecuteSql(string sql) => Scalar(sql);

    private object? Scalar(string sql)
    {
        using var connection = new NpgsqlConnection(_database.Value.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return command.ExecuteScalar();
    }
}
