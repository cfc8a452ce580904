using System.Data.Common;
using System.Globalization;

namespace Ciem.Storage;

/// <param name="Backend">`sqlite` or `postgresql`.</param>
/// <param name="From">the schema version the database had when the store opened it (0: a new database).</param>
/// <param name="To">the version it has now, which is the one this build writes.</param>
/// <param name="Applied">how many migrations this opening applied (another starter may have applied the rest).</param>
public sealed record SchemaMigration(string Backend, int From, int To, int Applied);

/// <summary>
/// Applies a backend's migrations in order, each in its own transaction with its row in <c>schema_version</c>;
/// refuses a database written by a newer build. The caller serialises concurrent starters (PostgreSQL: an advisory
/// lock; SQLite: the file's write lock taken by each migration's transaction).
/// </summary>
internal static class SchemaMigrator
{
    public static SchemaMigration Apply(DbConnection connection, string backend, IReadOnlyList<string> migrations, string integerType)
    {
        Execute(connection, null, $"CREATE TABLE IF NOT EXISTS schema_version (version {integerType} NOT NULL)");
        var from = Version(connection, null);
        Refuse(from, migrations.Count);
        var applied = 0;
        for (var next = from; next < migrations.Count; next++)
        {
            using var transaction = connection.BeginTransaction();
            // Another starter may have applied this one since we looked (SQLite has no lock across the loop).
            if (Version(connection, transaction) > next) { continue; }
            Execute(connection, transaction, migrations[next]);
            Execute(connection, transaction,
                $"INSERT INTO schema_version (version) VALUES ({(next + 1).ToString(CultureInfo.InvariantCulture)})");
            transaction.Commit();
            applied++;
        }
        var to = Version(connection, null);
        Refuse(to, migrations.Count);
        return new SchemaMigration(backend, from, to, applied);
    }

    private static void Refuse(int version, int known)
    {
        if (version > known)
        {
            throw new StoreSchemaException(
                $"the database has schema version {version} but this ciem knows only up to {known}: upgrade ciem");
        }
    }

    private static int Version(DbConnection connection, DbTransaction? transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT max(version) FROM schema_version";
        return command.ExecuteScalar() is { } value and not DBNull ? Convert.ToInt32(value, CultureInfo.InvariantCulture) : 0;
    }

    private static void Execute(DbConnection connection, DbTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
