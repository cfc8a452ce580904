using Ciem.Core.Gcp.Inventory;

namespace Ciem.Import.Gcp;

/// <summary>What a GCP snapshot covers, as `ciem import gcp` and `ciem collect gcp` name it alike.</summary>
public static class GcpSnapshotScope
{
    /// <summary>The organisation when the inventory names exactly one, else the sorted projects, else `gcp`.</summary>
    public static string Of(GcpInventory inventory)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        var names = inventory.Resources.Select(r => r.Name).Concat(inventory.Policies.Select(p => p.Resource)).ToList();
        var orgs = names.Where(n => GcpResource.KindOf(n) == GcpResourceKind.Organization).Distinct(StringComparer.Ordinal).ToList();
        if (orgs.Count == 1) { return orgs[0][GcpResource.ResourceManager.Length..]; }
        var projects = names.Where(n => GcpResource.KindOf(n) == GcpResourceKind.Project).Select(n => n[GcpResource.ResourceManager.Length..])
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return projects.Count > 0 ? string.Join(",", projects) : "gcp";
    }
}
