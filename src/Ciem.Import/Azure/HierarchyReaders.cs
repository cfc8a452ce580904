using System.Collections.Immutable;
using System.Text.Json;
using Ciem.Core.Azure;
using Ciem.Core.Diagnostics;
using Ciem.Import.Json;

namespace Ciem.Import.Azure;

/// <summary>Management groups and the subscriptions placed under them, as one management-group tree gives them.</summary>
public sealed record ManagementGroupTree(ImmutableArray<ManagementGroup> ManagementGroups, ImmutableArray<Subscription> Subscriptions);

/// <summary>
/// Reads `az account management-group show --name {root} --expand --recurse` (camelCase: `children`, `details.parent`)
/// or the ARM REST `GET …/managementGroups/{id}?$expand=children&amp;$recurse=true` (under `properties`). Children of
/// type `Microsoft.Management/managementGroups` become management groups; of type `/subscriptions` (or
/// `Microsoft.Management/managementGroups/subscriptions`) subscriptions placed under their parent. A child without
/// `id` or `type` is quarantined with its subtree.
/// </summary>
public static class ManagementGroupsReader
{
    public static ImportResult<ManagementGroupTree> Read(Stream stream, string name)
    {
        var groups = new AzureReaderRun<ManagementGroup>("management group", g => g.Id);
        var subscriptions = new List<Subscription>();
        groups.Read(stream, name, record =>
        {
            var id = record.Required("id", "the root management group");
            if (id is null) { return null; }
            var parent = record.Value("details")?.Property("parent")?.String("id");
            var root = new ManagementGroup(id, record.String("name") ?? AzureScope.LastSegment(id), record.String("displayName"), parent);
            Children(record, record.Value("children"), record.PathOf("children"), id, groups, subscriptions);
            return root;
        });
        var built = groups.Build();
        // The root is added by the run after its children; put it first for readability.
        var ordered = built.Value.OrderBy(g => g.ParentId is null || !built.Value.Any(p => AzureScope.AreEqual(p.Id, g.ParentId)) ? 0 : 1).ToImmutableArray();
        var counts = built.Counts with { Imported = built.Counts.Imported + subscriptions.Count };
        return new ImportResult<ManagementGroupTree>(new ManagementGroupTree(ordered, [.. subscriptions]), built.Diagnostics, counts, built.Quarantine, built.SourceFiles);
    }

    private static void Children(AzureRecord owner, JsonElement? children, string path, string parentId,
        AzureReaderRun<ManagementGroup> groups, List<Subscription> subscriptions)
    {
        if (children is not { ValueKind: JsonValueKind.Array } array) { return; }
        var i = 0;
        foreach (var child in array.EnumerateArray())
        {
            var childPath = $"{path}[{i++}]";
            var record = new AzureRecord(child, owner.Location.Under(childPath));
            var id = record.String("id");
            var type = record.String("type");
            if (id is null || type is null)
            {
                groups.Diagnostics.Error(DiagnosticCodes.AzureMissingField,
                    $"child of management group `{parentId}` has no `{(id is null ? "id" : "type")}`; it and its children were skipped", record.Location);
                continue;
            }
            if (type.EndsWith("/subscriptions", StringComparison.OrdinalIgnoreCase) || type.Equals("subscriptions", StringComparison.OrdinalIgnoreCase))
            {
                subscriptions.Add(new Subscription(AzureScope.LastSegment(id), record.String("displayName") ?? record.String("name") ?? id,
                    null, null, parentId));
            }
            else
            {
                groups.Add(new ManagementGroup(id, record.String("name") ?? AzureScope.LastSegment(id), record.String("displayName"), parentId), record.Location);
                Children(record, record.Value("children"), record.PathOf("children"), id, groups, subscriptions);
            }
        }
    }
}

/// <summary>
/// Reads subscriptions: `az account list` (`id` is the GUID, `name` the display name, `state`, `tenantId`) or ARM REST
/// `GET /subscriptions` (`subscriptionId`, `displayName`). The management group is not in this output; it comes from
/// the management-group tree. `tags` (in the ARM `GET /subscriptions` response) are kept for the environment.
/// </summary>
public static class SubscriptionsReader
{
    public static ImportResult<ImmutableArray<Subscription>> Read(Stream stream, string name)
    {
        var run = new AzureReaderRun<Subscription>("subscription", s => s.SubscriptionId);
        run.Read(stream, name, record =>
        {
            var id = record.String("subscriptionId") ?? (record.String("id") is { } full ? AzureScope.LastSegment(full) : null);
            if (id is null || !Guid.TryParse(id, out _))
            {
                record.Fail(DiagnosticCodes.AzureMissingField, id is null ? "a subscription has no `id`" : $"subscription id `{id}` is not a guid", record.At("id"));
                return null;
            }
            return new Subscription(id, record.String("displayName") ?? record.String("name") ?? id, record.String("state"),
                record.String("tenantId") ?? record.String("homeTenantId"), null, record.Element.StringMap("tags"));
        });
        return run.Build();
    }
}

/// <summary>Reads resource groups: `az group list` or ARM REST `GET /subscriptions/{id}/resourcegroups` (the same shape, `tags` kept).</summary>
public static class ResourceGroupsReader
{
    public static ImportResult<ImmutableArray<ResourceGroup>> Read(Stream stream, string name)
    {
        var run = new AzureReaderRun<ResourceGroup>("resource group", g => g.Id);
        run.Read(stream, name, record =>
        {
            var id = record.Scope("id", "a resource group");
            if (id is null) { return null; }
            if (AzureScope.SubscriptionId(id) is not { } subscription)
            {
                record.Fail(DiagnosticCodes.AzureBadScope, $"resource group id `{id}` does not start with `/subscriptions/{{id}}`", record.At("id"));
                return null;
            }
            return new ResourceGroup(id, record.String("name") ?? AzureScope.LastSegment(id), subscription, record.String("location"), record.Element.StringMap("tags"));
        });
        return run.Build();
    }
}
