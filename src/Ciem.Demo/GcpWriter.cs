using System.Globalization;
using System.Text.Json;

namespace Ciem.Demo;

/// <summary>
/// Writes the demo organisation (<see cref="DemoGcp"/>) as `ciem import gcp` reads it, and its audit logs as
/// `ciem import gcp-audit` reads them:
/// <list type="bullet">
/// <item>`gcp/resources.json` and `gcp/iam-policies.json`: `gcloud asset export --content-type=resource` and
/// `--content-type=iam-policy` (newline-delimited, snake_case);</item>
/// <item>`gcp/deny-policies.json` (`gcloud iam policies get`), `gcp/custom-roles.json` (`gcloud iam roles describe`),
/// `gcp/groups.json` (group memberships);</item>
/// <item>`gcp-logs/YYYY-MM-DD.json`: `gcloud logging read 'logName:"cloudaudit.googleapis.com"' --organization=ORG
/// --format=json` for the day (Admin Activity and Data Access, every project), newest first.</item>
/// </list>
/// </summary>
internal static class GcpWriter
{
    private const string UpdateTime = "2026-01-05T08:00:00.000000Z";

    public sealed record Counts(int Files, long Bytes, long Entries, long Denied, long Impersonated);

    /// <summary>Custom roles: (id, title, permissions).</summary>
    public static readonly (string Id, string Title, string[] Permissions)[] CustomRoles =
    [
        ("ciDeployer", "CI deployer", ["run.services.get", "run.services.update", "run.services.create", "iam.serviceAccounts.actAs", "artifactregistry.repositories.downloadArtifacts"]),
        ("bucketReader", "Bucket reader", ["storage.buckets.get", "storage.buckets.list", "storage.objects.get", "storage.objects.list"]),
    ];

    public static long WriteInventory(string folder, DemoGcp gcp)
    {
        Directory.CreateDirectory(folder);
        long bytes = 0;
        bytes += DemoFiles.Lines(Path.Combine(folder, "resources.json"), Resources(gcp), (j, write) => write(j));
        bytes += DemoFiles.Lines(Path.Combine(folder, "iam-policies.json"), Policies(gcp), (j, write) => write(j));
        bytes += DemoFiles.Json(Path.Combine(folder, "deny-policies.json"), j => WriteDeny(j, gcp));
        bytes += DemoFiles.Json(Path.Combine(folder, "custom-roles.json"), j =>
        {
            j.WriteStartArray();
            foreach (var (id, title, permissions) in CustomRoles)
            {
                j.WriteStartObject();
                j.WriteString("description", title + " (Acme)");
                j.WriteString("etag", "BwY" + id.Length.ToString("x", CultureInfo.InvariantCulture) + "Ab=");
                j.WriteStartArray("includedPermissions");
                foreach (var p in permissions.Order(StringComparer.Ordinal)) { j.WriteStringValue(p); }
                j.WriteEndArray();
                j.WriteString("name", gcp.CustomRole(id));
                j.WriteString("stage", "GA");
                j.WriteString("title", title);
                j.WriteEndObject();
            }
            j.WriteEndArray();
        });
        bytes += DemoFiles.Json(Path.Combine(folder, "groups.json"), j =>
        {
            j.WriteStartArray();
            foreach (var g in gcp.Groups)
            {
                j.WriteStartObject();
                j.WriteString("group", g.Email);
                j.WriteStartArray("members");
                foreach (var m in g.Members) { j.WriteStringValue(m); }
                j.WriteEndArray();
                j.WriteEndObject();
            }
            j.WriteEndArray();
        });
        return bytes;
    }

    private static void Ancestors(Utf8JsonWriter j, IEnumerable<string> ancestors)
    {
        j.WriteStartArray("ancestors");
        foreach (var a in ancestors) { j.WriteStringValue(a); }
        j.WriteEndArray();
    }

    private static string[] AncestorsOf(DemoGcp gcp, GcpProject p) => ["projects/" + p.Number, "folders/" + p.Folder.Id, gcp.Organization];

    /// <summary>One `--content-type=resource` line: the asset, its parent, its data and its ancestors (nearest first).</summary>
    private static Action<Utf8JsonWriter> Asset(string name, string type, string version, string? parent, IEnumerable<string> ancestors, Action<Utf8JsonWriter> data) => j =>
    {
        j.WriteStartObject();
        j.WriteString("name", name);
        j.WriteString("asset_type", type);
        j.WriteStartObject("resource");
        j.WriteString("version", version);
        j.WriteString("discovery_name", type[(type.IndexOf('/', StringComparison.Ordinal) + 1)..]);
        if (parent is not null) { j.WriteString("parent", parent); }
        j.WriteStartObject("data");
        data(j);
        j.WriteEndObject();
        j.WriteEndObject();
        Ancestors(j, ancestors);
        j.WriteString("update_time", UpdateTime);
        j.WriteEndObject();
    };

    private static IEnumerable<Action<Utf8JsonWriter>> Resources(DemoGcp gcp)
    {
        yield return Asset(gcp.OrganizationFullName, "cloudresourcemanager.googleapis.com/Organization", "v1", null, [gcp.Organization], j =>
        {
            j.WriteString("displayName", DemoGcp.Domain);
            j.WriteString("lifecycleState", "ACTIVE");
            j.WriteString("name", gcp.Organization);
            j.WriteStartObject("owner");
            j.WriteString("directoryCustomerId", gcp.CustomerId);
            j.WriteEndObject();
        });
        foreach (var f in gcp.Folders)
        {
            yield return Asset(f.FullName, "cloudresourcemanager.googleapis.com/Folder", "v2", gcp.OrganizationFullName, ["folders/" + f.Id, gcp.Organization], j =>
            {
                j.WriteString("displayName", f.Name);
                j.WriteString("lifecycleState", "ACTIVE");
                j.WriteString("name", "folders/" + f.Id);
                j.WriteString("parent", gcp.Organization);
            });
        }
        foreach (var p in gcp.Projects)
        {
            yield return Asset(p.FullName, "cloudresourcemanager.googleapis.com/Project", "v1", p.Folder.FullName, AncestorsOf(gcp, p), j =>
            {
                j.WriteString("projectId", p.ProjectId);
                j.WriteString("projectNumber", p.Number);
                j.WriteString("lifecycleState", "ACTIVE");
                j.WriteString("name", p.ProjectId);
                j.WriteStartObject("labels");
                j.WriteString("app", p.App);
                j.WriteString("env", p.Env);
                j.WriteEndObject();
                j.WriteStartObject("parent");
                j.WriteString("type", "folder");
                j.WriteString("id", p.Folder.Id);
                j.WriteEndObject();
            });
            foreach (var bucket in p == gcp.Projects[1] ? [p.Bucket, gcp.PublicBucket] : new[] { p.Bucket })
            {
                yield return Asset("//storage.googleapis.com/" + bucket, "storage.googleapis.com/Bucket", "v1", p.FullName, AncestorsOf(gcp, p), j =>
                {
                    j.WriteString("name", bucket);
                    j.WriteString("location", "EUROPE-WEST1");
                    j.WriteString("storageClass", "STANDARD");
                });
            }
        }
    }

    private static IEnumerable<Action<Utf8JsonWriter>> Policies(DemoGcp gcp)
    {
        string[] Ancestry(string resource)
        {
            if (resource == gcp.OrganizationFullName) { return [gcp.Organization]; }
            if (gcp.Folders.FirstOrDefault(f => f.FullName == resource) is { } folder) { return ["folders/" + folder.Id, gcp.Organization]; }
            if (gcp.Projects.FirstOrDefault(p => p.FullName == resource) is { } project) { return AncestorsOf(gcp, project); }
            return AncestorsOf(gcp, gcp.Projects[1]); // the public bucket lives in the first application's prod project
        }
        foreach (var resource in gcp.Bindings.GroupBy(b => b.Resource))
        {
            var conditional = resource.Any(b => b.Condition is not null);
            yield return j =>
            {
                j.WriteStartObject();
                j.WriteString("name", resource.Key);
                j.WriteString("asset_type", resource.First().AssetType);
                j.WriteStartObject("iam_policy");
                j.WriteNumber("version", conditional ? 3 : 1);
                j.WriteString("etag", "BwY" + (resource.Key.Length * 7919 % 100000).ToString("x5", CultureInfo.InvariantCulture) + "=");
                j.WriteStartArray("bindings");
                foreach (var binding in resource.GroupBy(b => (b.Role, b.Condition)))
                {
                    j.WriteStartObject();
                    j.WriteString("role", binding.Key.Role);
                    j.WriteStartArray("members");
                    foreach (var m in binding.Select(b => b.Member).Distinct(StringComparer.Ordinal)) { j.WriteStringValue(m); }
                    j.WriteEndArray();
                    if (binding.Key.Condition is { } c)
                    {
                        j.WriteStartObject("condition");
                        j.WriteString("title", c.Title);
                        j.WriteString("description", c.Description);
                        j.WriteString("expression", c.Expression);
                        j.WriteEndObject();
                    }
                    j.WriteEndObject();
                }
                j.WriteEndArray();
                j.WriteEndObject();
                Ancestors(j, Ancestry(resource.Key));
                j.WriteString("update_time", UpdateTime);
                j.WriteEndObject();
            };
        }
    }

    private static void WriteDeny(Utf8JsonWriter j, DemoGcp gcp)
    {
        j.WriteStartArray();
        j.WriteStartObject();
        j.WriteString("name", $"policies/cloudresourcemanager.googleapis.com%2Forganizations%2F{gcp.OrganizationId}/denypolicies/no-service-account-keys");
        j.WriteString("uid", "6f0c3a52-" + gcp.OrganizationId[..4] + "-4000-8000-" + gcp.OrganizationId);
        j.WriteString("kind", "DenyPolicy");
        j.WriteString("displayName", "Only security creates service account keys");
        j.WriteString("etag", "MTc2NDAwMDAw");
        j.WriteString("createTime", "2025-04-14T09:30:00.000000Z");
        j.WriteString("updateTime", "2025-04-14T09:30:00.000000Z");
        j.WriteStartArray("rules");
        j.WriteStartObject();
        j.WriteString("description", "long-lived keys leak: workloads use attached service accounts and people impersonate");
        j.WriteStartObject("denyRule");
        j.WriteStartArray("deniedPrincipals");
        j.WriteStringValue("principalSet://goog/public:all");
        j.WriteEndArray();
        j.WriteStartArray("exceptionPrincipals");
        j.WriteStringValue($"principalSet://goog/group/gcp-security@{DemoGcp.Domain}");
        j.WriteEndArray();
        j.WriteStartArray("deniedPermissions");
        j.WriteStringValue("iam.googleapis.com/serviceAccountKeys.create");
        j.WriteStringValue("iam.googleapis.com/serviceAccountKeys.upload");
        j.WriteEndArray();
        j.WriteEndObject();
        j.WriteEndObject();
        j.WriteEndArray();
        j.WriteEndObject();
        j.WriteEndArray();
    }

    private sealed record Pending(DateTime Time, GcpMember Member, GcpCall Call, bool Denied, ulong Seed, GcpMember? Delegator = null);

    /// <summary>One `gcloud logging read` output a day; impersonated calls come with the token request that preceded them.</summary>
    public static Counts WriteLogs(string folder, DemoGcp gcp, DemoOptions options)
    {
        if (Directory.Exists(folder)) { Directory.Delete(folder, recursive: true); }
        Directory.CreateDirectory(folder);
        var perDay = new Dictionary<DateTime, List<Pending>>();
        long denied = 0, impersonated = 0;
        void Add(Pending p)
        {
            if (!perDay.TryGetValue(p.Time.Date, out var list)) { perDay[p.Time.Date] = list = []; }
            list.Add(p);
        }
        foreach (var m in gcp.Members.Where(m => m.Calls.Count > 0))
        {
            var rng = StableRandom.For(options.Seed, 61, m.Index);
            foreach (var (time, index) in DemoSchedule.Calls(rng, options, m.Cadence, m.Calls.Count))
            {
                var call = m.Calls[index];
                if (call.Impersonating is { } sa)
                {
                    var token = new GcpCall("iam.serviceAccounts.getAccessToken", "iamcredentials.googleapis.com", "GenerateAccessToken",
                        $"projects/-/serviceAccounts/{sa.UniqueId}", sa.Project!, true, "service_account");
                    Add(new Pending(time, m, token, false, rng.NextUInt64()));
                    Add(new Pending(time.AddSeconds(2 + rng.Next(20)), sa, call with { Impersonating = null }, false, rng.NextUInt64(), m));
                    impersonated++;
                    continue;
                }
                var refused = m.Person is not null && rng.Chance(0.02);
                if (refused)
                {
                    var target = gcp.Projects[1 + rng.Next(gcp.Projects.Count - 1)];
                    call = new GcpCall("resourcemanager.projects.setIamPolicy", "cloudresourcemanager.googleapis.com", "SetIamPolicy", $"projects/{target.ProjectId}", target, false, "project");
                    denied++;
                }
                Add(new Pending(time, m, call, refused, rng.NextUInt64()));
            }
        }
        long entries = 0, bytes = 0;
        var files = 0;
        var gate = new Lock();
        Parallel.ForEach(perDay, day =>
        {
            var path = Path.Combine(folder, day.Key.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ".json");
            var list = day.Value.OrderByDescending(p => p.Time).ThenBy(p => p.Member.Index).ToList();
            var size = DemoFiles.Json(path, j =>
            {
                j.WriteStartArray();
                foreach (var p in list) { WriteEntry(j, gcp, p); }
                j.WriteEndArray();
            });
            lock (gate)
            {
                entries += list.Count;
                bytes += size;
                files++;
            }
        });
        return new Counts(files, bytes, entries, denied, impersonated);
    }

    private static string Time(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static void WriteEntry(Utf8JsonWriter j, DemoGcp gcp, Pending p)
    {
        var rng = new StableRandom(p.Seed);
        var call = p.Call;
        var project = call.Project;
        var log = call.DataAccess ? "data_access" : "activity";
        j.WriteStartObject();
        j.WriteString("insertId", rng.LowerAlnum(12) + "e" + rng.Digits(3));
        j.WriteString("logName", $"projects/{project.ProjectId}/logs/cloudaudit.googleapis.com%2F{log}");
        j.WriteStartObject("protoPayload");
        j.WriteString("@type", "type.googleapis.com/google.cloud.audit.AuditLog");
        j.WriteStartObject("authenticationInfo");
        j.WriteString("principalEmail", p.Member.Email);
        if (p.Delegator is { } person)
        {
            j.WriteStartArray("serviceAccountDelegationInfo");
            j.WriteStartObject();
            j.WriteStartObject("firstPartyPrincipal");
            j.WriteString("principalEmail", person.Email);
            j.WriteEndObject();
            j.WriteEndObject();
            j.WriteEndArray();
        }
        j.WriteString("principalSubject", (p.Member.IsServiceAccount ? "serviceAccount:" : "user:") + p.Member.Email);
        j.WriteEndObject();
        j.WriteStartArray("authorizationInfo");
        j.WriteStartObject();
        if (!p.Denied) { j.WriteBoolean("granted", true); }
        j.WriteString("permission", call.Permission);
        j.WriteString("resource", call.Resource);
        j.WriteStartObject("resourceAttributes");
        j.WriteString("name", call.Resource);
        j.WriteString("service", call.Service);
        j.WriteEndObject();
        j.WriteEndObject();
        j.WriteEndArray();
        j.WriteString("methodName", call.Method);
        j.WriteStartObject("requestMetadata");
        var ip = p.Member.IsServiceAccount ? (p.Delegator is null ? "private" : "203.0.113." + (10 + p.Delegator.Index % 200)) : "203.0.113." + (10 + p.Member.Index % 200);
        j.WriteString("callerIp", ip);
        j.WriteString("callerSuppliedUserAgent", p.Member.IsServiceAccount && p.Delegator is null ? "google-cloud-sdk gapic/1.14.0 gax/2.20.0 gl-python/3.12.4,gzip(gfe)" : "google-cloud-sdk gcloud/502.0.0 command/gcloud.storage.cp invocation-id/" + rng.Hex(32) + " environment/None,gzip(gfe)");
        j.WriteStartObject("requestAttributes");
        j.WriteString("time", Time(p.Time));
        j.WriteStartObject("auth");
        j.WriteEndObject();
        j.WriteEndObject();
        j.WriteStartObject("destinationAttributes");
        j.WriteEndObject();
        j.WriteEndObject();
        j.WriteString("resourceName", call.Resource);
        j.WriteString("serviceName", call.Service);
        j.WriteStartObject("status");
        if (p.Denied)
        {
            j.WriteNumber("code", 7);
            j.WriteString("message", "PERMISSION_DENIED");
        }
        j.WriteEndObject();
        j.WriteEndObject();
        j.WriteString("receiveTimestamp", Time(p.Time.AddMilliseconds(200 + rng.Next(900))));
        j.WriteStartObject("resource");
        j.WriteStartObject("labels");
        j.WriteString("project_id", project.ProjectId);
        if (call.MonitoredType == "gcs_bucket")
        {
            j.WriteString("bucket_name", project.Bucket);
            j.WriteString("location", "europe-west1");
        }
        else if (call.MonitoredType == "audited_resource")
        {
            j.WriteString("method", call.Method);
            j.WriteString("service", call.Service);
        }
        j.WriteEndObject();
        j.WriteString("type", call.MonitoredType);
        j.WriteEndObject();
        j.WriteString("severity", p.Denied ? "ERROR" : call.DataAccess ? "INFO" : "NOTICE");
        j.WriteString("timestamp", Time(p.Time));
        j.WriteEndObject();
    }
}
