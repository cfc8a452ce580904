using Npgsql;

namespace Ciem.Tests;

/// <summary>
/// The PostgreSQL server the tests use: <c>CIEM_TEST_PG</c>, an Npgsql connection string whose role may create
/// databases (<c>scripts/pg-test-server.sh start</c> prints one). Unset, the PostgreSQL tests are skipped with a
/// reason, except under <c>CI=true</c> where they run and fail: CI must test both stores.
/// </summary>
internal static class PostgresTestServer
{
    public const string Variable = "CIEM_TEST_PG";

    private static string? ConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    private static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why the PostgreSQL tests are skipped here, or null when they run.</summary>
    public static string? SkipReason => ConnectionString is null && !InCi
        ? $"PostgreSQL store tests need `{Variable}` (a connection string; run `scripts/pg-test-server.sh start`)"
        : null;

    /// <summary>Creates an empty database of its own for one test; dropping it is the caller's (<see cref="TestDatabase"/>).</summary>
    public static TestDatabase CreateDatabase()
    {
        var admin = ConnectionString
            ?? throw new InvalidOperationException($"`{Variable}` is not set: under CI=true the PostgreSQL store tests must run");
        var name = $"ciem_test_{Guid.NewGuid():N}";
        Execute(admin, $"CREATE DATABASE {name}");
        // No pooling: a test's connections close with its stores, so the database can be dropped at once.
        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = false };
        return new TestDatabase(admin, name, builder.ConnectionString);
    }

    public static void Execute(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}

/// <summary>One test's own database, dropped (with any connection left open) when disposed.</summary>
internal sealed class TestDatabase(string admin, string name, string connectionString) : IDisposable
{
    public string Name => name;

    public string ConnectionString => connectionString;

    public void Dispose()
    {
        // An autovacuum worker may still be on the database after many writes; only a superuser may end it, so the
        // drop is retried until the worker has left (42501: not allowed to terminate it; 55006: database in use).
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                PostgresTestServer.Execute(admin, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                return;
            }
            catch (PostgresException ex) when (ex.SqlState is "42501" or "55006" && attempt < 40)
            {
                Thread.Sleep(250);
            }
        }
    }
}
