using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Ciem.Storage;

/// <summary>
/// The embedded store: one SQLite file in WAL mode, schema versioned by <see cref="SqliteSchema.Migrations"/>.
/// Writers take the file's write lock at the start of their transaction (<c>BEGIN IMMEDIATE</c>).
/// </summary>
public sealed class SqliteStore : RelationalStore
{
    public const string DefaultFileName = "ciem.db";

    private SqliteStore(SqliteConnection connection) : base(connection) { }

    /// <summary>Where the CLI keeps the database by default: <c>{dataHome}/ciem/ciem.db</c>.</summary>
    public static string DefaultPath(string dataHome) => Path.Combine(dataHome, "ciem", DefaultFileName);

    /// <summary>The schema version this build writes.</summary>
    public static int SchemaVersion => SqliteSchema.Migrations.Length;

    /// <summary>Opens the database at <paramref name="path"/>, creating it (and its folder) and migrating as needed.</summary>
    public static SqliteStore Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder)) { Directory.CreateDirectory(folder); }
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            using (var pragmas = connection.CreateCommand())
            {
                pragmas.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;";
                pragmas.ExecuteNonQuery();
            }
            var migration = SchemaMigrator.Apply(connection, "sqlite", SqliteSchema.Migrations, "INTEGER");
            return new SqliteStore(connection) { Migration = migration };
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private protected override string InsertionOrder => "rowid";

    private protected override DbTransaction BeginWriteTransaction(DbConnection connection) =>
        ((SqliteConnection)connection).BeginTransaction(deferred: false);

    // A deferred transaction reads from one WAL snapshot and never blocks a writer.
    private protected override DbTransaction BeginReadTransaction(DbConnection connection) =>
        ((SqliteConnection)connection).BeginTransaction(deferred: true);

    private protected override IRowWriter Writer(DbTransaction transaction, TableWrite write) =>
        new PreparedInsert(transaction, write);

    /// <summary>One prepared INSERT, executed once per row (SQLite writes in-process: no round trip to save).</summary>
    private sealed class PreparedInsert : IRowWriter
    {
        private readonly DbCommand _command;
        private readonly DbParameter[] _parameters;

        public PreparedInsert(DbTransaction transaction, TableWrite write)
        {
            _command = transaction.Connection!.CreateCommand();
            _command.Transaction = transaction;
            var names = write.Columns.Select((_, i) => $"@p{i}").ToArray();
            _command.CommandText = $"INSERT INTO {write.Table} ({string.Join(", ", write.Columns)}) VALUES ({string.Join(", ", names)})"
                + write.ConflictClause("min", "max");
            _parameters = [.. names.Select(n =>
            {
                var parameter = _command.CreateParameter();
                parameter.ParameterName = n;
                _command.Parameters.Add(parameter);
                return parameter;
            })];
        }

        public void Add(params object?[] values)
        {
            for (var i = 0; i < values.Length; i++) { _parameters[i].Value = values[i] ?? DBNull.Value; }
            _command.ExecuteNonQuery();
        }

        public void Dispose() => _command.Dispose();
    }
}
