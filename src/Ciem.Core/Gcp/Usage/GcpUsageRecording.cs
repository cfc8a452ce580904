using System.Collections.Frozen;
using System.Collections.Immutable;
using Ciem.Core.Model;

namespace Ciem.Core.Gcp.Usage;

/// <summary>Which Cloud Audit Log records a method that checks a permission.</summary>
public enum GcpAuditLog
{
    /// <summary>Admin Activity (ADMIN_WRITE): always written, cannot be disabled.</summary>
    AdminActivity,
    /// <summary>Data Access (ADMIN_READ, DATA_READ, DATA_WRITE): off by default for every service but BigQuery.</summary>
    DataAccess,
}

/// <summary>
/// Which GCP permissions the audit logs of a window can show used (docs/gcp.md, "Unknown, not unused"). A method is
/// logged by the type of the permission it needs: ADMIN_WRITE in Admin Activity logs (always on), ADMIN_READ, DATA_READ
/// and DATA_WRITE in Data Access logs — disabled by default for every service except BigQuery. The catalog does not
/// carry the permission type, so it is told from the permission's name:
/// <list type="bullet">
/// <item>a read verb (`get`, `list`, `getIamPolicy`, `search`, `query`, `read`, `access`, `download`, `export`, `lookup`,
/// `view`, `watch`, `check`, `testIamPermissions`, `getData`…) is ADMIN_READ or DATA_READ: Data Access;</item>
/// <item>a write on a resource type that holds user data (Cloud Storage objects, Pub/Sub publish and consume, Logging
/// entries, Bigtable rows, Datastore and Firestore entities and documents, Spanner writes) is DATA_WRITE: Data Access;</item>
/// <item>any other write is ADMIN_WRITE: Admin Activity.</item>
/// </list>
/// A Data Access permission is *unknown* unless the window holds Data Access entries of its service (then the service
/// counts as recorded) or the service is BigQuery (on by default). Admin Activity permissions are always recorded.
/// </summary>
public sealed class GcpUsageRecording
{
    private static readonly string[] ReadVerbs =
        ["get", "list", "search", "query", "read", "access", "download", "export", "lookup", "view", "watch", "check", "testIamPermissions", "scan", "fetch", "batchGet", "compute", "validate", "analyze"];

    private static readonly FrozenSet<string> DataResourceTypes = new[]
    {
        "storage.objects", "storage.multipartUploads", "storage.managedFolders", "logging.logEntries", "bigtable.tables",
        "datastore.entities", "firestore.documents", "spanner.databases", "bigquery.tables",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> DataWrites = new[] { "pubsub.topics.publish", "pubsub.subscriptions.consume", "pubsub.snapshots.seek" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>API service names whose permission prefix differs from the service (`resourcemanager.projects.get` → `cloudresourcemanager.googleapis.com`).</summary>
    private static readonly FrozenDictionary<string, string> Services = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["resourcemanager"] = "cloudresourcemanager.googleapis.com",
        ["cloudsql"] = "sqladmin.googleapis.com",
        ["cloudbuild"] = "cloudbuild.googleapis.com",
        ["firestore"] = "firestore.googleapis.com",
        ["datastore"] = "datastore.googleapis.com",
        ["gkehub"] = "gkehub.googleapis.com",
        ["orgpolicy"] = "orgpolicy.googleapis.com",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private readonly ImmutableHashSet<string> _dataAccessServices;

    /// <param name="dataAccessServices">API services (`storage.googleapis.com`) with Data Access entries in the window.</param>
    public GcpUsageRecording(IEnumerable<string> dataAccessServices)
    {
        ArgumentNullException.ThrowIfNull(dataAccessServices);
        _dataAccessServices = dataAccessServices.ToImmutableHashSet(StringComparer.Ordinal);
    }

    /// <summary>Admin Activity logs alone (the default configuration).</summary>
    public static GcpUsageRecording AdminActivityOnly { get; } = new([]);

    /// <summary>The audit log that records a method checking <paramref name="permission"/> (`service.resource.verb`).</summary>
    public static GcpAuditLog LogOf(string permission)
    {
        ArgumentNullException.ThrowIfNull(permission);
        var lastDot = permission.LastIndexOf('.');
        if (lastDot < 0) { return GcpAuditLog.AdminActivity; }
        var verb = permission[(lastDot + 1)..];
        if (ReadVerbs.Any(v => verb.StartsWith(v, StringComparison.Ordinal) && (verb.Length == v.Length || char.IsUpper(verb[v.Length]))))
        {
            return GcpAuditLog.DataAccess;
        }
        return DataWrites.Contains(permission) || DataResourceTypes.Contains(permission[..lastDot]) ? GcpAuditLog.DataAccess : GcpAuditLog.AdminActivity;
    }

    /// <summary>The API service of a permission: `storage.googleapis.com` for `storage.objects.get`.</summary>
    public static string ServiceOf(string permission)
    {
        ArgumentNullException.ThrowIfNull(permission);
        var dot = permission.IndexOf('.', StringComparison.Ordinal);
        var prefix = dot < 0 ? permission : permission[..dot];
        return Services.TryGetValue(prefix, out var service) ? service : prefix + ".googleapis.com";
    }

    public UsageRecording Recording(string permission)
    {
        if (LogOf(permission) == GcpAuditLog.AdminActivity) { return new UsageRecording(true, "Admin Activity audit logs are always written"); }
        var service = ServiceOf(permission);
        if (service == "bigquery.googleapis.com") { return new UsageRecording(true, "BigQuery writes Data Access audit logs by default"); }
        return _dataAccessServices.Contains(service)
            ? new UsageRecording(true, $"the window holds Data Access entries of `{service}`")
            : new UsageRecording(false, $"recorded only in Data Access audit logs, and the window holds none of `{service}`");
    }
}
