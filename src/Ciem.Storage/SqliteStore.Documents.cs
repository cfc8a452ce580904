using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ciem.Core.Azure;
using Ciem.Core.Gcp.Inventory;
using Ciem.Core.Model;

namespace Ciem.Storage;

/// <summary>
/// Azure and GCP snapshots: one snapshot per import scope, each inventory record stored as one JSON document
/// (`snapshot_document`: kind, position, json). The Core records are serialized as they are; the contract tests check
/// that every field round-trips.
/// </summary>
public sealed partial class SqliteStore
{

    private static class DocumentKinds
    {
        public const string RoleDefinition = "role-definition";
        public const string RoleAssignment = "role-assignment";
        public const string DenyAssignment = "deny-assignment";
        public const string EligibleAssignment = "eligible-assignment";
        public const string ManagementGroup = "management-group";
        public const string Subscription = "subscription";
        public const string ResourceGroup = "resource-group";
        public const string GroupMembership = "group-membership";
        public const string Resource = "resource";
        public const string AllowPolicy = "allow-policy";
        public const string DenyPolicy = "deny-policy";
        public const string ServiceAccount = "service-account";
        public const string ServiceAccountKey = "service-account-key";
        public const string CustomRole = "custom-role";
        public const string Group = "group";
    }

    public SnapshotWrite ImportAzure(AzureImportRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.Scope);
        var i = request.Inventory;
        var documents = new List<(string Kind, string Json)>();
        Add(documents, DocumentKinds.RoleDefinition, i.RoleDefinitions);
        Add(documents, DocumentKinds.RoleAssignment, i.RoleAssignments);
        Add(documents, DocumentKinds.DenyAssignment, i.DenyAssignments);
        Add(documents, DocumentKinds.EligibleAssignment, i.EligibleAssignments);
        Add(documents, DocumentKinds.ManagementGroup, i.ManagementGroups);
        Add(documents, DocumentKinds.Subscription, i.Subscriptions);
        Add(documents, DocumentKinds.ResourceGroup, i.ResourceGroups);
        Add(documents, DocumentKinds.GroupMembership, i.GroupMemberships);
        return WriteDocuments(new SnapshotHeader(Provider.AzureName, SnapshotKinds.AzureEstate, request.Scope, request.TakenAt, request.ImportedAt,
            request.SourceFiles, request.Counts), documents);
    }

    public AzureInventory LoadAzureInventory() => LoadAzure(CurrentSnapshotIds(Provider.AzureName, SnapshotKinds.AzureEstate));

    public AzureInventory LoadAzureInventoryAt(DateTimeOffset takenAt) => LoadAzure(SnapshotIdsAt(Provider.AzureName, SnapshotKinds.AzureEstate, takenAt));

    private AzureInventory LoadAzure(List<long> snapshotIds) =>
        Fold(snapshotIds, AzureInventory.Empty, (result, docs) => result.Merge(new AzureInventory(
            Read<RoleDefinition>(docs, DocumentKinds.RoleDefinition),
            Read<RoleAssignment>(docs, DocumentKinds.RoleAssignment),
            Read<DenyAssignment>(docs, DocumentKinds.DenyAssignment),
            Read<EligibleAssignment>(docs, DocumentKinds.EligibleAssignment),
            Read<ManagementGroup>(docs, DocumentKinds.ManagementGroup),
            Read<Subscription>(docs, DocumentKinds.Subscription),
            Read<ResourceGroup>(docs, DocumentKinds.ResourceGroup),
            Read<KeyValuePair<string, ImmutableArray<string>>>(docs, DocumentKinds.GroupMembership))));

    public SnapshotWrite ImportGcp(GcpImportRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.Scope);
        var i = request.Inventory;
        var documents = new List<(string Kind, string Json)>();
        Add(documents, DocumentKinds.Resource, i.Resources);
        Add(documents, DocumentKinds.AllowPolicy, i.Policies);
        Add(documents, DocumentKinds.DenyPolicy, i.DenyPolicies);
        Add(documents, DocumentKinds.CustomRole, i.CustomRoles);
        Add(documents, DocumentKinds.Group, i.Groups);
        Add(documents, DocumentKinds.ServiceAccount, i.ServiceAccounts);
        Add(documents, DocumentKinds.ServiceAccountKey, i.ServiceAccountKeys);
        return WriteDocuments(new SnapshotHeader(Provider.GcpName, SnapshotKinds.GcpInventory, request.Scope, request.TakenAt, request.ImportedAt,
            request.SourceFiles, request.Counts), documents);
    }

    public GcpInventory LoadGcpInventory() => LoadGcp(CurrentSnapshotIds(Provider.GcpName, SnapshotKinds.GcpInventory));

    public GcpInventory LoadGcpInventoryAt(DateTimeOffset takenAt) => LoadGcp(SnapshotIdsAt(Provider.GcpName, SnapshotKinds.GcpInventory, takenAt));

    private GcpInventory LoadGcp(List<long> snapshotIds) =>
        Fold(snapshotIds, GcpInventory.Empty, (result, docs) => result.Merge(new GcpInventory(
            Read<GcpResource>(docs, DocumentKinds.Resource),
            Read<IamPolicy>(docs, DocumentKinds.AllowPolicy),
            Read<DenyPolicy>(docs, DocumentKinds.DenyPolicy),
            Read<CustomRoleDefinition>(docs, DocumentKinds.CustomRole),
            Read<GroupMembership>(docs, DocumentKinds.Group))
        {
            ServiceAccounts = Read<ServiceAccount>(docs, DocumentKinds.ServiceAccount),
            ServiceAccountKeys = Read<ServiceAccountKey>(docs, DocumentKinds.ServiceAccountKey),
        }));

    /// <summary>Folds the documents of the given snapshots (one per scope, scopes in ordinal order).</summary>
    private T Fold<T>(List<long> snapshotIds, T empty, Func<T, ILookup<string, string>, T> merge)
    {
        var result = empty;
        foreach (var id in snapshotIds) { result = merge(result, ReadDocuments(id)); }
        return result;
    }

    /// <summary>Serializes every record first (a record that cannot be serialized fails the import before anything is written).</summary>
    private static void Add<T>(List<(string Kind, string Json)> documents, string kind, ImmutableArray<T> records)
    {
        if (records.IsDefault) { return; }
        foreach (var record in records) { documents.Add((kind, JsonSerializer.Serialize(record, Json))); }
    }

    private SnapshotWrite WriteDocuments(SnapshotHeader header, List<(string Kind, string Json)> documents)
    {
        var hash = DocumentsHash(documents);
        using var transaction = _connection.BeginTransaction(deferred: false);
        var write = WriteSnapshot(transaction, header, hash, id =>
        {
            using var insert = new BatchInsert(this, transaction, "snapshot_document", "snapshot_id", "kind", "position", "json");
            var position = 0;
            foreach (var (kind, json) in documents) { insert.Add(id, kind, position++, json); }
        });
        transaction.Commit();
        return write;
    }

    private static string DocumentsHash(List<(string Kind, string Json)> documents)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (kind, json) in documents)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(kind));
            hash.AppendData([0]);
            hash.AppendData(Encoding.UTF8.GetBytes(json));
            hash.AppendData([0]);
        }
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private List<long> CurrentSnapshotIds(string provider, string kind)
    {
        using var command = Command(null, "SELECT id FROM snapshot WHERE provider = $p AND kind = $k AND is_current = 1 ORDER BY scope, id",
            ("$p", provider), ("$k", kind));
        using var reader = command.ExecuteReader();
        var ids = new List<long>();
        while (reader.Read()) { ids.Add(reader.GetInt64(0)); }
        return ids;
    }

    /// <summary>
    /// For each scope of a provider's kind, the latest snapshot taken no later than <paramref name="takenAt"/> (the
    /// estate as it was then); a scope first imported later is left out.
    /// </summary>
    private List<long> SnapshotIdsAt(string provider, string kind, DateTimeOffset takenAt) =>
        [.. ListSnapshots().Where(s => s.Provider == provider && s.Kind == kind && s.TakenAt <= takenAt)
            .GroupBy(s => s.Scope, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.OrderBy(s => s.TakenAt).ThenBy(s => s.Id).Last().Id)];

    private ILookup<string, string> ReadDocuments(long snapshotId) =>
        Rows(snapshotId, "SELECT kind, json FROM snapshot_document WHERE snapshot_id = $id ORDER BY position")
            .Select(r => (Kind: r.GetString(0), Json: r.GetString(1))).ToList()
            .ToLookup(d => d.Kind, d => d.Json, StringComparer.Ordinal);

    private static ImmutableArray<T> Read<T>(ILookup<string, string> documents, string kind) =>
        [.. documents[kind].Select(json => JsonSerializer.Deserialize<T>(json, Json)
            ?? throw new InvalidDataException($"a `{kind}` document of the store is `null`"))];
}
