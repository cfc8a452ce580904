using System.Collections.Immutable;
using System.Text.Json;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gcp.Inventory;
using Ciem.Import.Json;

namespace Ciem.Import.Gcp;

/// <summary>
/// Reads the resource hierarchy and allow policies from Cloud Asset Inventory:
/// <list type="bullet">
/// <item>`gcloud asset export --content-type=iam-policy` / `--content-type=resource` output (newline-delimited JSON
/// in Cloud Storage, snake_case or camelCase keys: `name`, `asset_type`/`assetType`, `iam_policy`/`iamPolicy`,
/// `resource.parent`, `ancestors`);</item>
/// <item>`gcloud asset search-all-iam-policies --format=json` (records with `resource`, `assetType`, `project`,
/// `folders`, `organization`, `policy`), or the REST response `{"results": […]}`;</item>
/// <item>`gcloud projects list --format=json` (records with `projectId`, `projectNumber`, `parent`, `labels`): projects
/// placed in the hierarchy with their labels;</item>
/// <item><see cref="ReadPolicy"/>: `gcloud projects|folders|organizations get-iam-policy ID --format=json` for one
/// named resource.</item>
/// </list>
/// A record whose policy is malformed is quarantined whole; other records are imported.
/// </summary>
public static class GcpAssetReader
{
    public static ImportResult<GcpInventory> ReadFile(string path) => GcpRun.OpenFile(path, Read);

    public static ImportResult<GcpInventory> Read(Stream stream, string name) =>
        GcpRun.ReadRecords(stream, name, ["results", "assets"], Record, records => new GcpInventory(
            [.. records.SelectMany(r => r.Resources)], [.. records.Select(r => r.Policy).OfType<IamPolicy>()], [], [], []));

    /// <summary>Reads `get-iam-policy` output (`{bindings, etag, version}`) as the policy of <paramref name="resource"/> (`projects/my-project` or a full name).</summary>
    public static ImportResult<GcpInventory> ReadPolicy(Stream stream, string resource, string name)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var fullName = GcpResource.FullName(resource);
        return GcpRun.ReadRecords(stream, name, [], (record, run) =>
        {
            if (record.Element.ValueKind != JsonValueKind.Object || (record.Element.Property("bindings") is null && record.Element.String("etag") is null))
            {
                run.Diagnostics.Error(DiagnosticCodes.GcpUnknownRecord, "not an iam policy (no `bindings` or `etag`); the record was quarantined", record.Location);
                return null;
            }
            return Policy(record.Element, fullName, record.Location, "$", run.Diagnostics);
        }, policies => GcpInventory.Empty with { Policies = policies });
    }

    /// <summary>What one record contributes: hierarchy nodes and its allow policy, if any.</summary>
    private sealed record AssetRecord(ImmutableArray<GcpResource> Resources, IamPolicy? Policy);

    private static AssetRecord? Record(GcpJsonRecord record, GcpRun run)
    {
        var e = record.Element;
        var resources = ImmutableArray.CreateBuilder<GcpResource>();
        var policies = ImmutableArray.CreateBuilder<IamPolicy>();
        bool ok;
        if (e.ValueKind == JsonValueKind.Object && e.String("name") is not null && e.Get("asset_type", "assetType") is not null)
        {
            ok = Asset(record, run, resources, policies);
        }
        else if (e.ValueKind == JsonValueKind.Object && e.String("resource") is not null && e.Property("policy") is not null)
        {
            ok = SearchResult(record, run, resources, policies);
        }
        else if (e.ValueKind == JsonValueKind.Object && e.String("projectId") is not null && e.String("projectNumber") is not null)
        {
            ok = GcpNames.Check(run.Diagnostics, "project", "project id", e.String("projectId")!, CloudNames.IsGcpProjectId,
                GcpNames.ProjectIdForm,
                record.Location.Under(record.Location.JsonPath + ".projectId"));
            if (ok) { resources.Add(Project(e)); }
        }
        else
        {
            run.Diagnostics.Error(DiagnosticCodes.GcpUnknownRecord,
                "not a cloud asset (`name` and `asset_type`), an iam policy search result (`resource` and `policy`) nor a project (`projectId` and `projectNumber`); the record was quarantined", record.Location);
            ok = false;
        }
        return ok ? new AssetRecord(resources.ToImmutable(), policies.Count > 0 ? policies[0] : null) : null;
    }

    private static bool Asset(GcpJsonRecord record, GcpRun run, ImmutableArray<GcpResource>.Builder resources, ImmutableArray<IamPolicy>.Builder policies)
    {
        var e = record.Element;
        var name = e.String("name")!;
        if (!name.StartsWith("//", StringComparison.Ordinal))
        {
            run.Diagnostics.Error(DiagnosticCodes.GcpMissingField, $"asset name `{name}` is not a full resource name (`//service.googleapis.com/…`); the record was quarantined", record.Location.Under(record.Location.JsonPath + ".name"));
            return false;
        }
        var assetType = e.Text("asset_type", "assetType") ?? "";
        IamPolicy? policy = null;
        if (e.Get("iam_policy", "iamPolicy") is { } iam)
        {
            var path = record.Location.JsonPath + (e.Property("iam_policy") is not null ? ".iam_policy" : ".iamPolicy");
            policy = Policy(iam, name, record.Location, path, run.Diagnostics);
            if (policy is null) { return false; }
        }
        var data = e.Property("resource")?.Property("data");
        var parent = e.Property("resource")?.String("parent");
        var ancestors = GcpFields.Strings(e, "ancestors", "ancestors");
        // `ancestors` starts at the asset itself for projects, folders and organisations, at its parent otherwise.
        var first = GcpResource.KindOf(name) == Core.Gcp.Inventory.GcpResourceKind.Resource ? 0 : 1;
        if (parent is null && ancestors.Length > first) { parent = GcpResource.FullName(ancestors[first]); }
        var aliases = ImmutableArray.CreateBuilder<string>();
        if (GcpResource.KindOf(name) == Core.Gcp.Inventory.GcpResourceKind.Project && data is { } d)
        {
            foreach (var id in new[] { d.String("projectId"), d.String("projectNumber") })
            {
                var alias = id is null ? null : GcpResource.ResourceManager + "projects/" + id;
                if (alias is not null && alias != name) { aliases.Add(alias); }
            }
        }
        // Folders carry `displayName`, projects `projectId` and `labels` (the Resource Manager resource in `resource.data`).
        resources.Add(new GcpResource(name, assetType, parent is null ? null : GcpResource.FullName(parent), aliases.ToImmutable(),
            data?.String("displayName") ?? data?.String("projectId"), data?.StringMap("labels")));
        // The ancestors list also places the nodes above (`projects/1`, `folders/2`, `organizations/3`).
        for (var i = first; i < ancestors.Length; i++)
        {
            var node = GcpResource.FullName(ancestors[i]);
            resources.Add(new GcpResource(node, TypeOf(node), i + 1 < ancestors.Length ? GcpResource.FullName(ancestors[i + 1]) : null, []));
        }
        if (policy is not null) { policies.Add(policy); }
        return true;
    }

    /// <summary>
    /// A `gcloud projects list --format=json` record: named by number with its id as alias, placed under its parent
    /// (`{"type": "folder", "id": "…"}`, or `folders/…` in Resource Manager v3 output), with its labels.
    /// </summary>
    private static GcpResource Project(JsonElement e)
    {
        var name = GcpResource.ResourceManager + "projects/" + e.String("projectNumber");
        string? parent = e.Property("parent") is { ValueKind: JsonValueKind.Object } p && p.String("type") is { } type && p.String("id") is { } id
            ? GcpResource.FullName($"{type}s/{id}")
            : e.String("parent") is { } text ? GcpResource.FullName(text) : null;
        var projectId = e.String("projectId")!;
        return new GcpResource(name, "cloudresourcemanager.googleapis.com/Project", parent, [GcpResource.ResourceManager + "projects/" + projectId], projectId, e.StringMap("labels"));
    }

    private static bool SearchResult(GcpJsonRecord record, GcpRun run, ImmutableArray<GcpResource>.Builder resources, ImmutableArray<IamPolicy>.Builder policies)
    {
        var e = record.Element;
        var name = GcpResource.FullName(e.String("resource")!);
        var policy = Policy(e.Property("policy")!.Value, name, record.Location, record.Location.JsonPath + ".policy", run.Diagnostics);
        if (policy is null) { return false; }
        var project = e.String("project") is { } p ? GcpResource.FullName(p) : null;
        var organization = e.String("organization") is { } o ? GcpResource.FullName(o) : null;
        // `folders` lists the folders above the project, nearest first (as `ancestors` does in exports).
        var folders = GcpFields.Strings(e, "folders", "folders").Select(GcpResource.FullName).ToList();
        var above = new List<string>();
        if (project is not null && project != name) { above.Add(project); }
        above.AddRange(folders.Where(f => f != name));
        if (organization is not null && organization != name) { above.Add(organization); }
        var assetType = e.Text("asset_type", "assetType") ?? TypeOf(name);
        resources.Add(new GcpResource(name, assetType, above.Count > 0 ? above[0] : null, []));
        for (var i = 0; i < above.Count; i++)
        {
            resources.Add(new GcpResource(above[i], TypeOf(above[i]), i + 1 < above.Count ? above[i + 1] : null, []));
        }
        policies.Add(policy);
        return true;
    }

    private static IamPolicy? Policy(JsonElement iam, string resource, SourceLocation at, string path, DiagnosticBag diagnostics)
    {
        if (iam.ValueKind != JsonValueKind.Object)
        {
            diagnostics.Error(DiagnosticCodes.GcpBadBinding, $"the iam policy of `{resource}` must be an object, not {iam.ValueKind}; the record was quarantined", at.Under(path));
            return null;
        }
        var bindings = GcpFields.Bindings(iam, at, path, diagnostics);
        if (bindings is null) { return null; }
        var version = iam.Int("version") ?? 1;
        return new IamPolicy(resource, bindings.Value, version, iam.String("etag"));
    }

    private static string TypeOf(string fullName) => GcpResource.KindOf(fullName) switch
    {
        Core.Gcp.Inventory.GcpResourceKind.Organization => "cloudresourcemanager.googleapis.com/Organization",
        Core.Gcp.Inventory.GcpResourceKind.Folder => "cloudresourcemanager.googleapis.com/Folder",
        Core.Gcp.Inventory.GcpResourceKind.Project => "cloudresourcemanager.googleapis.com/Project",
        _ => "",
    };
}
