using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ciem.Core.Aws.Inventory;
using System.Data.Common;
using Ciem.Core.Diagnostics;

namespace Ciem.Storage;

/// <summary>
/// The SQL shared by the stores: every query and row mapping of the contract, over ADO.NET. A backend supplies the
/// connection, its write transaction (one writer at a time), its read transaction (one consistent view per call)
/// and its bulk row writer (<see cref="Writer"/>). One instance holds one connection; it is not meant to be shared
/// between threads.
/// </summary>
public abstract partial class RelationalStore : ICiemStore
{
    private const string Aws = "aws";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    private readonly DbConnection _connection;

    /// <summary>The transaction every command joins while a write or a read scope is open.</summary>
    private DbTransaction? _active;

    private protected RelationalStore(DbConnection connection) => _connection = connection;

    private protected DbConnection Connection => _connection;

    /// <summary>The column that keeps insertion order (SQLite's <c>rowid</c>, PostgreSQL's identity <c>seq</c>).</summary>
    private protected abstract string InsertionOrder { get; }

    /// <summary>Starts the one write transaction at a time that every import and record runs in.</summary>
    private protected abstract DbTransaction BeginWriteTransaction(DbConnection connection);

    /// <summary>Starts a read transaction: every query of one load sees the same committed state.</summary>
    private protected abstract DbTransaction BeginReadTransaction(DbConnection connection);

    /// <summary>A writer for many rows of one table inside <paramref name="transaction"/>.</summary>
    private protected abstract IRowWriter Writer(DbTransaction transaction, TableWrite write);

    public void Dispose()
    {
        _active?.Dispose();
        _connection.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Opens the write transaction; commands join it until it is disposed.</summary>
    private WriteScope Writing() => new(this, BeginWriteTransaction(_connection));

    /// <summary>Opens a read transaction unless one (or a write) is already open; commands join it.</summary>
    private ReadScope Reading() => _active is null ? BeginRead(BeginReadTransaction(_connection)) : default;

    private sealed class WriteScope : IDisposable
    {
        private readonly RelationalStore _store;

        public WriteScope(RelationalStore store, DbTransaction transaction)
        {
            _store = store;
            Transaction = transaction;
            store._active = transaction;
        }

        public DbTransaction Transaction { get; }

        public void Commit() => Transaction.Commit();

        public void Dispose()
        {
            _store._active = null;
            Transaction.Dispose();
        }
    }

    private readonly struct ReadScope(RelationalStore? store, DbTransaction? transaction) : IDisposable
    {
        public void Dispose()
        {
            if (store is null || transaction is null) { return; }
            store._active = null;
            transaction.Commit();
            transaction.Dispose();
        }
    }

    private ReadScope BeginRead(DbTransaction transaction)
    {
        _active = transaction;
        return new ReadScope(this, transaction);
    }

    public AwsImportSummary ImportAws(AwsImportRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var inventory = request.Inventory;
        var writes = ImmutableArray.CreateBuilder<SnapshotWrite>();
        using var write = Writing();
        var transaction = write.Transaction;
        foreach (var account in inventory.Accounts)
        {
            writes.Add(WriteSnapshot(transaction, request, SnapshotKinds.Account, account.AccountId, account.TakenAt,
                Hash(account with { TakenAt = default }), id => WriteAccount(transaction, id, account)));
        }
        if (inventory.Organization is { } org)
        {
            writes.Add(WriteSnapshot(transaction, request, SnapshotKinds.Organization, org.Id, org.TakenAt,
                Hash(org with { TakenAt = default }), id => WriteOrganization(transaction, id, org)));
        }
        if (!inventory.ResourcePolicies.IsDefaultOrEmpty)
        {
            var takenAt = inventory.ResourcePoliciesTakenAt ?? request.ImportedAt;
            writes.Add(WriteSnapshot(transaction, request, SnapshotKinds.ResourcePolicies, SnapshotKinds.ResourcePolicies, takenAt,
                Hash(inventory.ResourcePolicies), id => WriteResourcePolicies(transaction, id, inventory.ResourcePolicies)));
        }
        var firstSnapshot = writes.Count > 0 ? writes[0].SnapshotId : (long?)null;
        WriteAwsManagedPolicies(transaction, inventory.ManagedPolicies, firstSnapshot);
        WriteCredentialReports(transaction, inventory.CredentialReports, request.ImportedAt);
        write.Commit();
        return new AwsImportSummary(writes.ToImmutable());
    }

    public AwsInventory LoadAwsInventory()
    {
        using var read = Reading();
        var current = ListSnapshots().Where(s => s.IsCurrent && s.Provider == Aws).ToList();
        var accounts = current.Where(s => s.Kind == SnapshotKinds.Account).OrderBy(s => s.Scope, StringComparer.Ordinal)
            .Select(s => ReadAccount(s.Id, s.Scope, s.TakenAt)).ToImmutableArray();
        var org = current.Where(s => s.Kind == SnapshotKinds.Organization).OrderByDescending(s => s.TakenAt).FirstOrDefault();
        var resources = current.FirstOrDefault(s => s.Kind == SnapshotKinds.ResourcePolicies);
        return new AwsInventory(
            accounts,
            org is null ? null : ReadOrganization(org.Id, org.Scope, org.TakenAt),
            ReadAwsManagedPolicies(),
            resources is null ? [] : ReadResourcePolicies(resources.Id),
            resources?.TakenAt)
        {
            CredentialReports = ReadCredentialReports(),
        };
    }

    public ImmutableArray<SnapshotInfo> ListSnapshots()
    {
        using var command = Command(null, """
            SELECT id, provider, kind, scope, taken_at, imported_at, sources, imported, skipped, quarantined, is_current
            FROM snapshot ORDER BY taken_at_ms, id
            """);
        using var reader = command.ExecuteReader();
        var result = ImmutableArray.CreateBuilder<SnapshotInfo>();
        while (reader.Read())
        {
            result.Add(new SnapshotInfo(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                ParseDate(reader.GetString(4)), ParseDate(reader.GetString(5)), FromJson<ImmutableArray<string>>(reader.GetString(6)),
                new ImportCounts(Int(reader, 7), Int(reader, 8), Int(reader, 9)), reader.GetInt64(10) != 0));
        }
        return result.ToImmutable();
    }

    private SnapshotWrite WriteSnapshot(DbTransaction transaction, AwsImportRequest request, string kind, string scope,
        DateTimeOffset takenAt, string hash, Action<long> writeRows) =>
        WriteSnapshot(transaction, new SnapshotHeader(Aws, kind, scope, takenAt, request.ImportedAt, request.SourceFiles, request.Counts),
            hash, writeRows);

    /// <summary>What every snapshot row records besides its content.</summary>
    private sealed record SnapshotHeader(string Provider, string Kind, string Scope, DateTimeOffset TakenAt, DateTimeOffset ImportedAt,
        ImmutableArray<string> SourceFiles, ImportCounts Counts);

    private SnapshotWrite WriteSnapshot(DbTransaction transaction, SnapshotHeader header, string hash, Action<long> writeRows)
    {
        var (provider, kind, scope, takenAt) = (header.Provider, header.Kind, header.Scope, header.TakenAt);
        long? currentId = null;
        string? currentHash = null;
        long currentTakenMs = long.MinValue;
        using (var find = Command(transaction,
            "SELECT id, content_hash, taken_at_ms FROM snapshot WHERE provider = @p AND kind = @k AND scope = @s AND is_current = 1",
            ("@p", provider), ("@k", kind), ("@s", scope)))
        using (var reader = find.ExecuteReader())
        {
            if (reader.Read())
            {
                currentId = reader.GetInt64(0);
                currentHash = reader.GetString(1);
                currentTakenMs = reader.GetInt64(2);
            }
        }
        if (currentId is { } unchangedId && currentHash == hash)
        {
            return new SnapshotWrite(kind, scope, unchangedId, SnapshotOutcome.Unchanged);
        }
        var becomesCurrent = takenAt.ToUnixTimeMilliseconds() >= currentTakenMs;
        if (becomesCurrent && currentId is not null)
        {
            using var retire = Command(transaction, "UPDATE snapshot SET is_current = 0 WHERE id = @id", ("@id", currentId));
            retire.ExecuteNonQuery();
        }
        using var insert = Command(transaction, """
            INSERT INTO snapshot (provider, kind, scope, taken_at, taken_at_ms, imported_at, sources, imported, skipped, quarantined, content_hash, is_current)
            VALUES (@p, @k, @s, @t, @tms, @i, @src, @imp, @skp, @qua, @h, @cur) RETURNING id
            """,
            ("@p", provider), ("@k", kind), ("@s", scope), ("@t", FormatDate(takenAt)), ("@tms", takenAt.ToUnixTimeMilliseconds()),
            ("@i", FormatDate(header.ImportedAt)), ("@src", ToJson(header.SourceFiles.IsDefault ? [] : header.SourceFiles)),
            ("@imp", header.Counts.Imported), ("@skp", header.Counts.Skipped), ("@qua", header.Counts.Quarantined),
            ("@h", hash), ("@cur", becomesCurrent ? 1 : 0));
        var id = (long)insert.ExecuteScalar()!;
        writeRows(id);
        return new SnapshotWrite(kind, scope, id, becomesCurrent ? SnapshotOutcome.Added : SnapshotOutcome.AddedAsHistory);
    }

    private void WriteAccount(DbTransaction transaction, long id, AwsAccountSnapshot account)
    {
        using var inline = Writer(transaction, TableWrite.Insert("inline_policy", "snapshot_id", "principal_arn", "position",
            "name", "document"));
        void Inline(string arn, ImmutableArray<InlinePolicy> policies)
        {
            for (var i = 0; i < policies.Length; i++) { inline.Add(id, arn, i, policies[i].Name, policies[i].Document); }
        }
        using (var users = Writer(transaction, TableWrite.Insert("iam_user", "snapshot_id", "arn", "name", "user_id", "path", "create_date",
            "group_names", "attached", "boundary_arn", "tags", "password_last_used")))
        {
            foreach (var u in account.Users)
            {
                users.Add(id, u.Arn, u.Name, u.Id, u.Path, FormatDate(u.CreateDate), ToJson(u.GroupNames), ToJson(u.AttachedPolicyArns),
                    u.PermissionsBoundaryArn, ToJson(u.Tags), FormatDate(u.PasswordLastUsed));
                Inline(u.Arn, u.InlinePolicies);
            }
        }
        using (var groups = Writer(transaction, TableWrite.Insert("iam_group", "snapshot_id", "arn", "name", "group_id", "path",
            "create_date", "attached")))
        {
            foreach (var g in account.Groups)
            {
                groups.Add(id, g.Arn, g.Name, g.Id, g.Path, FormatDate(g.CreateDate), ToJson(g.AttachedPolicyArns));
                Inline(g.Arn, g.InlinePolicies);
            }
        }
        using (var roles = Writer(transaction, TableWrite.Insert("iam_role", "snapshot_id", "arn", "name", "role_id", "path", "create_date",
            "trust_policy", "attached", "boundary_arn", "tags", "instance_profiles", "last_used_date", "last_used_region",
            "max_session_duration", "description")))
        {
            foreach (var r in account.Roles)
            {
                roles.Add(id, r.Arn, r.Name, r.Id, r.Path, FormatDate(r.CreateDate), r.TrustPolicy, ToJson(r.AttachedPolicyArns),
                    r.PermissionsBoundaryArn, ToJson(r.Tags), ToJson(r.InstanceProfiles), FormatDate(r.LastUsed?.Date), r.LastUsed?.Region,
                    r.MaxSessionDuration, r.Description);
                Inline(r.Arn, r.InlinePolicies);
            }
        }
        using var policies = Writer(transaction, TableWrite.Insert("managed_policy", "snapshot_id", "arn", "name", "policy_id", "path",
            "default_version_id", "document", "create_date", "update_date"));
        foreach (var p in account.Policies)
        {
            policies.Add(id, p.Arn, p.Name, p.Id, p.Path, p.DefaultVersionId, p.Document, FormatDate(p.CreateDate),
                FormatDate(p.UpdateDate));
        }
    }

    private void WriteAwsManagedPolicies(DbTransaction transaction, ImmutableArray<ManagedPolicy> policies, long? snapshotId)
    {
        if (policies.IsDefaultOrEmpty) { return; }
        using var insert = Writer(transaction, TableWrite.Insert("aws_managed_policy", "arn", "name", "policy_id", "path",
            "default_version_id", "document", "create_date", "update_date", "first_snapshot_id").OrIgnore());
        foreach (var p in policies)
        {
            insert.Add(p.Arn, p.Name, p.Id, p.Path, p.DefaultVersionId, p.Document, FormatDate(p.CreateDate),
                FormatDate(p.UpdateDate), snapshotId);
        }
    }

    private void WriteOrganization(DbTransaction transaction, long id, AwsOrganization org)
    {
        using (var meta = Command(transaction, "INSERT INTO org_meta (snapshot_id, management_account_id, root_id) VALUES (@id, @m, @r)",
            ("@id", id), ("@m", org.ManagementAccountId), ("@r", org.RootId)))
        {
            meta.ExecuteNonQuery();
        }
        using (var units = Writer(transaction, TableWrite.Insert("org_unit", "snapshot_id", "id", "name", "parent_id", "is_root", "tags")))
        {
            foreach (var u in org.Units) { units.Add(id, u.Id, u.Name, u.ParentId, u.IsRoot ? 1 : 0, ToJson(u.Tags)); }
        }
        using (var accounts = Writer(transaction, TableWrite.Insert("org_account", "snapshot_id", "id", "name", "email", "status",
            "parent_id", "tags")))
        {
            foreach (var a in org.Accounts) { accounts.Add(id, a.Id, a.Name, a.Email, a.Status, a.ParentId, ToJson(a.Tags)); }
        }
        using var policies = Writer(transaction, TableWrite.Insert("org_policy", "snapshot_id", "id", "name", "kind", "document",
            "aws_managed", "targets"));
        foreach (var p in org.Policies)
        {
            policies.Add(id, p.Id, p.Name, p.Kind.ToString(), p.Document, p.AwsManaged ? 1 : 0, ToJson(p.TargetIds));
        }
    }

    private void WriteResourcePolicies(DbTransaction transaction, long id, ImmutableArray<ResourcePolicy> policies)
    {
        using var insert = Writer(transaction, TableWrite.Insert("resource_policy", "snapshot_id", "arn", "service", "document"));
        foreach (var p in policies) { insert.Add(id, p.Arn, p.Service, p.Document); }
    }

    private AwsAccountSnapshot ReadAccount(long id, string accountId, DateTimeOffset takenAt)
    {
        var inline = new Dictionary<string, List<InlinePolicy>>(StringComparer.Ordinal);
        foreach (var row in Rows(id,
            "SELECT principal_arn, name, document FROM inline_policy WHERE snapshot_id = @id ORDER BY principal_arn, position"))
        {
            var arn = row.GetString(0);
            if (!inline.TryGetValue(arn, out var list)) { inline[arn] = list = []; }
            list.Add(new InlinePolicy(row.GetString(1), row.GetString(2)));
        }
        ImmutableArray<InlinePolicy> InlineOf(string arn) => inline.TryGetValue(arn, out var list) ? [.. list] : [];

        var users = Rows(id, """
            SELECT arn, name, user_id, path, create_date, group_names, attached, boundary_arn, tags, password_last_used
            FROM iam_user WHERE snapshot_id = @id ORDER BY arn
            """).Select(r => new IamUser(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), Date(r, 4),
                FromJson<ImmutableArray<string>>(r.GetString(5)), InlineOf(r.GetString(0)),
                    FromJson<ImmutableArray<string>>(r.GetString(6)),
                Text(r, 7), FromJson<ImmutableArray<KeyValuePair<string, string>>>(r.GetString(8)), Date(r, 9))).ToImmutableArray();
        var groups = Rows(id, "SELECT arn, name, group_id, path, create_date, attached FROM iam_group WHERE snapshot_id = @id ORDER BY arn")
            .Select(r => new IamGroup(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), Date(r, 4), InlineOf(r.GetString(0)),
                FromJson<ImmutableArray<string>>(r.GetString(5)))).ToImmutableArray();
        var roles = Rows(id, """
            SELECT arn, name, role_id, path, create_date, trust_policy, attached, boundary_arn, tags, instance_profiles,
                   last_used_date, last_used_region, max_session_duration, description
            FROM iam_role WHERE snapshot_id = @id ORDER BY arn
            """).Select(r => new IamRole(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), Date(r, 4), r.GetString(5),
                InlineOf(r.GetString(0)), FromJson<ImmutableArray<string>>(r.GetString(6)), Text(r, 7),
                FromJson<ImmutableArray<KeyValuePair<string, string>>>(r.GetString(8)),
                    FromJson<ImmutableArray<InstanceProfile>>(r.GetString(9)),
                Date(r, 10) is { } used ? new RoleLastUsed(used, Text(r, 11)) : null,
                r.IsDBNull(12) ? null : Int(r, 12), Text(r, 13))).ToImmutableArray();
        var policies = Rows(id, """
            SELECT arn, name, policy_id, path, default_version_id, document, create_date, update_date
            FROM managed_policy WHERE snapshot_id = @id ORDER BY arn
            """).Select(ManagedPolicyFrom).ToImmutableArray();
        return new AwsAccountSnapshot(accountId, takenAt, users, groups, roles, policies);
    }

    private ImmutableArray<ManagedPolicy> ReadAwsManagedPolicies() =>
        [.. Rows(null, $"""
            SELECT arn, name, policy_id, path, default_version_id, document, create_date, update_date
            FROM aws_managed_policy a WHERE {InsertionOrder} = (SELECT max({InsertionOrder}) FROM aws_managed_policy b WHERE b.arn = a.arn) ORDER BY arn
            """).Select(ManagedPolicyFrom)];

    private static ManagedPolicy ManagedPolicyFrom(DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), Date(r, 6), Date(r, 7));

    private AwsOrganization ReadOrganization(long id, string orgId, DateTimeOffset takenAt)
    {
        var (management, root) = Rows(id, "SELECT management_account_id, root_id FROM org_meta WHERE snapshot_id = @id")
            .Select(r => (r.GetString(0), r.GetString(1))).Single();
        // `tags` is null for organizations stored before the migration that added the column.
        var units = Rows(id, $"SELECT id, name, parent_id, is_root, tags FROM org_unit WHERE snapshot_id = @id ORDER BY {InsertionOrder}")
            .Select(r => new OrgUnit(r.GetString(0), r.GetString(1), Text(r, 2), r.GetInt64(3) != 0, TagsOf(r, 4))).ToImmutableArray();
        var accounts = Rows(id,
            $"SELECT id, name, email, status, parent_id, tags FROM org_account WHERE snapshot_id = @id ORDER BY {InsertionOrder}")
            .Select(r => new OrgAccount(r.GetString(0), r.GetString(1), Text(r, 2), Text(r, 3), Text(r, 4), TagsOf(r, 5)))
                .ToImmutableArray();
        var policies = Rows(id,
            $"SELECT id, name, kind, document, aws_managed, targets FROM org_policy WHERE snapshot_id = @id ORDER BY {InsertionOrder}")
            .Select(r => new OrgPolicy(r.GetString(0), r.GetString(1), Enum.Parse<OrgPolicyKind>(r.GetString(2)), r.GetString(3),
                r.GetInt64(4) != 0, FromJson<ImmutableArray<string>>(r.GetString(5)))).ToImmutableArray();
        return new AwsOrganization(orgId, management, takenAt, root, units, accounts, policies);
    }

    private static ImmutableArray<KeyValuePair<string, string>> TagsOf(DbDataReader r, int column) =>
        Text(r, column) is { } json ? FromJson<ImmutableArray<KeyValuePair<string, string>>>(json) : [];

    private ImmutableArray<ResourcePolicy> ReadResourcePolicies(long id) =>
        [.. Rows(id, "SELECT arn, service, document FROM resource_policy WHERE snapshot_id = @id ORDER BY arn")
            .Select(r => new ResourcePolicy(r.GetString(0), r.GetString(1), r.GetString(2)))];

    /// <summary>Runs a query with an optional <c>@id</c> parameter and yields the reader once per row.</summary>
    private IEnumerable<DbDataReader> Rows(long? id, string sql)
    {
        using var command = id is null ? Command(null, sql) : Command(null, sql, ("@id", id));
        using var reader = command.ExecuteReader();
        while (reader.Read()) { yield return reader; }
    }

    /// <summary>What opening the store did to its schema.</summary>
    public SchemaMigration Migration { get; private protected init; } = null!;

    public bool IsEmpty()
    {
        using var command = Command(null, """
            SELECT CAST((SELECT count(*) FROM snapshot) + (SELECT count(*) FROM directory_snapshot) + (SELECT count(*) FROM ingest_run)
                + (SELECT count(*) FROM reduction) + (SELECT count(*) FROM aws_credential_report) AS BIGINT)
            """);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) == 0;
    }

    private DbCommand Command(DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction ?? _active;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    private static string Hash<T>(T value)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, Json);
        return Convert.ToHexString(SHA256.HashData(bytes));
    }

    private static string ToJson<T>(T value) => JsonSerializer.Serialize(value, Json);

    private static T FromJson<T>(string json) => JsonSerializer.Deserialize<T>(json, Json)!;

    private static string? FormatDate(DateTimeOffset? value) => value?.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseDate(string text) => DateTimeOffset.ParseExact(text, "O", CultureInfo.InvariantCulture);

    private static DateTimeOffset? Date(DbDataReader row, int ordinal) => row.IsDBNull(ordinal) ? null : ParseDate(row.GetString(ordinal));

    private static string? Text(DbDataReader row, int ordinal) => row.IsDBNull(ordinal) ? null : row.GetString(ordinal);

    /// <summary>Integer columns are 64-bit in both stores; counts that the model keeps as <c>int</c> are narrowed, checked.</summary>
    private static int Int(DbDataReader row, int ordinal) => checked((int)row.GetInt64(ordinal));
}
