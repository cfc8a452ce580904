using System.Data;
using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace Ciem.Storage;

/// <summary>
/// The team's store: a PostgreSQL database, schema versioned by <see cref="PostgresSchema.Migrations"/>. Writers
/// hold one transaction-level advisory lock, so imports and ingestions run one at a time as on SQLite, while readers
/// keep reading (each load in one repeatable-read transaction sees one committed state). Rows go in by binary COPY.
/// </summary>
public sealed class PostgresStore : RelationalStore
{
    // Advisory lock keys, fixed for every ciem: one serialises writers, the other migrations.
    private const long WriteLock = 0x4349_454D_0001;
    private const long MigrationLock = 0x4349_454D_0002;

    // Rows buffered per table before a COPY; bounds memory on large ingestions.
    private const int FlushRows = 50_000;

    private int _stagingTables;

    private PostgresStore(NpgsqlConnection connection) : base(connection) { }

    /// <summary>The schema version this build writes.</summary>
    public static int SchemaVersion => PostgresSchema.Migrations.Length;

    /// <summary>
    /// Connects with an Npgsql connection string (the database must exist) and migrates as needed; concurrent
    /// starters wait for each other on an advisory lock.
    /// </summary>
    public static PostgresStore Open(string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(builder.ApplicationName)) { builder.ApplicationName = "ciem"; }
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            connection.Open();
            // The sweep's usage sorts outgrow the server's default work_mem (4 MB), and a rollup's 50,000-row staging
            // table can outgrow its temp_buffers (8 MB): this session asks for 64 MB, never less than the role has.
            Execute(connection, null, """
                SELECT set_config(name, '64MB', false) FROM (VALUES ('work_mem'), ('temp_buffers')) AS s (name)
                WHERE pg_size_bytes(current_setting(name)) < 64 * 1024 * 1024
                """);
            var migration = Migrate(connection);
            return new PostgresStore(connection) { Migration = migration };
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static SchemaMigration Migrate(NpgsqlConnection connection)
    {
        Execute(connection, null, $"SELECT pg_advisory_lock({MigrationLock})");
        try
        {
            return SchemaMigrator.Apply(connection, "postgresql", PostgresSchema.Migrations, "BIGINT");
        }
        finally
        {
            Execute(connection, null, $"SELECT pg_advisory_unlock({MigrationLock})");
        }
    }

    /// <summary>A server setting as this store's session sees it (`SHOW`).</summary>
    public string Setting(string name)
    {
        using var command = new NpgsqlCommand("SELECT current_setting(@name)", (NpgsqlConnection)Connection);
        command.Parameters.AddWithValue("name", name);
        return (string)command.ExecuteScalar()!;
    }

    private protected override string InsertionOrder => "seq";

    private protected override DbTransaction BeginWriteTransaction(DbConnection connection)
    {
        var transaction = ((NpgsqlConnection)connection).BeginTransaction(IsolationLevel.ReadCommitted);
        Execute((NpgsqlConnection)connection, transaction, $"SELECT pg_advisory_xact_lock({WriteLock})");
        return transaction;
    }

    // A job's claim locks its own row only: it never waits for an import holding the writers' lock.
    private protected override DbTransaction BeginJobTransaction(DbConnection connection) =>
        ((NpgsqlConnection)connection).BeginTransaction(IsolationLevel.ReadCommitted);

    private protected override DbTransaction BeginReadTransaction(DbConnection connection) =>
        ((NpgsqlConnection)connection).BeginTransaction(IsolationLevel.RepeatableRead);

    private protected override IRowWriter Writer(DbTransaction transaction, TableWrite write) =>
        new CopyWriter(this, (NpgsqlTransaction)transaction, write);

    private static void Execute(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Buffers rows and writes them by binary COPY: straight into the table for plain inserts, else into a staging
    /// table merged with one <c>INSERT … SELECT … ON CONFLICT</c> (rows with the same keys folded first, since one
    /// statement may not update a row twice). Buffering lets several writers of one transaction be open at once.
    /// </summary>
    private sealed class CopyWriter(PostgresStore store, NpgsqlTransaction transaction, TableWrite write) : IRowWriter
    {
        private readonly List<object?[]> _rows = [];

        public void Add(params object?[] values)
        {
            if (values.Length != write.Columns.Length)
            {
                throw new ArgumentException($"`{write.Table}` takes {write.Columns.Length} values, not {values.Length}", nameof(values));
            }
            _rows.Add(values);
            if (_rows.Count >= FlushRows) { Flush(); }
        }

        public void Dispose() => Flush();

        private void Flush()
        {
            if (_rows.Count == 0) { return; }
            var connection = transaction.Connection!;
            var columns = string.Join(", ", write.Columns);
            if (!write.IgnoreConflicts && write.Keys.IsEmpty)
            {
                Copy(connection, write.Table, columns);
            }
            else
            {
                var staging = $"ciem_staging_{++store._stagingTables}";
                Execute(connection, transaction,
                    $"CREATE TEMP TABLE {staging} ON COMMIT DROP AS SELECT {columns} FROM {write.Table} WITH NO DATA");
                Copy(connection, staging, columns);
                Execute(connection, transaction,
                    $"INSERT INTO {write.Table} ({columns}) {Select(staging)}{write.ConflictClause("least", "greatest")}");
                Execute(connection, transaction, $"DROP TABLE {staging}");
            }
            _rows.Clear();
        }

        /// <summary>The staged rows, in insertion order to be ignored on conflict, else folded per key and in key order.</summary>
        private string Select(string staging)
        {
            if (write.IgnoreConflicts) { return $"SELECT {string.Join(", ", write.Columns)} FROM {staging} ORDER BY ctid"; }
            var folds = write.Merges.ToDictionary(m => m.Column, m => m.Fold, StringComparer.Ordinal);
            var select = write.Columns.Select(c => write.Keys.Contains(c) ? c : folds[c] switch
            {
                MergeFold.Sum => $"CAST(sum({c}) AS BIGINT)",
                MergeFold.Min => $"min({c})",
                _ => $"max({c})",
            });
            // One statement may not update a row twice, so rows with the same keys are folded first; in key order,
            // they meet the primary key's index in its own order.
            var keys = string.Join(", ", write.Keys);
            return $"SELECT {string.Join(", ", select)} FROM {staging} GROUP BY {keys} ORDER BY {keys}";
        }

        private void Copy(NpgsqlConnection connection, string table, string columns)
        {
            using var importer = connection.BeginBinaryImport($"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)");
            foreach (var row in _rows)
            {
                importer.StartRow();
                foreach (var value in row)
                {
                    switch (value)
                    {
                        case null: importer.WriteNull(); break;
                        case string text: importer.Write(text, NpgsqlDbType.Text); break;
                        case int number: importer.Write((long)number, NpgsqlDbType.Bigint); break;
                        case long number: importer.Write(number, NpgsqlDbType.Bigint); break;
                        default:
                            throw new InvalidOperationException($"`{write.Table}` has no column type for `{value.GetType().Name}`");
                    }
                }
            }
            importer.Complete();
        }
    }
}
