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

    /// <summary>
    /// Opens the database at <paramref name="path"/>, creating it (file 0600 in a folder created 0700) and migrating as
    /// needed. A database that exists but cannot be written (a read-only file or mount) is opened read-only
    /// (<see cref="OpenReadOnly"/>): it can be listed and queried; a write fails with the database's own error.
    /// </summary>
    public static SqliteStore Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (File.Exists(path) && !IsWritable(path)) { return OpenReadOnly(path); }
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder)) { OwnerOnly.CreateFolder(folder); }
        CreateOwnerOnly(path);
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

    /// <summary>
    /// Opens an existing database for reading only (<c>Mode=ReadOnly</c>): no migration, no journal change. On a
    /// read-only mount, where SQLite cannot create the WAL's shared-memory file, the file is opened as immutable.
    /// </summary>
    /// <exception cref="StoreSchemaException">the database's schema is not the one this build reads (newer, or not yet
    /// migrated).</exception>
    public static SqliteStore OpenReadOnly(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) { throw new FileNotFoundException($"no store at `{path}`", path); }
        var full = Path.GetFullPath(path);
        var folderWritable = IsFolderWritable(Path.GetDirectoryName(full)!);
        var source = folderWritable ? full : "file:" + Uri.EscapeDataString(full).Replace("%2F", "/", StringComparison.Ordinal)
            + "?immutable=1";
        var builder = new SqliteConnectionStringBuilder { DataSource = source, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            using (var check = connection.CreateCommand())
            {
                check.CommandText = "SELECT max(version) FROM schema_version";
                var version = check.ExecuteScalar() is long v ? (int)v : 0;
                if (version != SchemaVersion)
                {
                    throw new StoreSchemaException(version > SchemaVersion
                        ? $"the database has schema version {version} but this ciem knows only up to {SchemaVersion}: upgrade ciem"
                        : $"the read-only database `{path}` has schema version {version} and this ciem reads {SchemaVersion}: migrate it "
                            + "where it is writable (`ciem db migrate`)");
                }
            }
            return new SqliteStore(connection) { Migration = new SchemaMigration("sqlite", SchemaVersion, SchemaVersion, 0),
                IsReadOnly = true };
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Whether this store was opened read-only.</summary>
    public bool IsReadOnly { get; private init; }

    /// <summary>Creates an empty database file 0600, so that SQLite's WAL and shared-memory files (which copy its mode) are
    /// owner-only too.</summary>
    private static void CreateOwnerOnly(string path)
    {
        if (File.Exists(path)) { return; }
        try
        {
            using (OwnerOnly.Open(path, FileMode.CreateNew, FileShare.ReadWrite)) { }
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another starter created it first.
        }
    }

    /// <summary>Whether the file can be opened for writing (false on a read-only mount, an immutable or a read-only file).</summary>
    private static bool IsWritable(string path)
    {
        try
        {
            using (new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete)) { }
            return IsFolderWritable(Path.GetDirectoryName(Path.GetFullPath(path))!);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }

    /// <summary>Whether a file can be created in the folder (SQLite creates the WAL's files beside the database).</summary>
    private static bool IsFolderWritable(string folder)
    {
        var probe = Path.Combine(folder, $".ciem-probe-{Guid.NewGuid():N}");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
            return true;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            return false;
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
