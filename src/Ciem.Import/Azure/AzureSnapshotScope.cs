using Ciem.Core.Azure;

namespace Ciem.Import.Azure;

/// <summary>What an Azure snapshot covers, as `ciem import azure` and `ciem collect azure` name it alike.</summary>
public static class AzureSnapshotScope
{
    /// <summary>The tenant when the inventory names exactly one, else the sorted subscription ids, else `azure`.</summary>
    public static string Of(AzureInventory inventory)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        var tenants = inventory.Subscriptions.Select(s => s.TenantId).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (tenants.Count == 1) { return "tenant/" + tenants[0].ToLowerInvariant(); }
        var subscriptions = inventory.Subscriptions.Select(s => s.SubscriptionId)
            .Concat(inventory.RoleAssignments.Select(a => AzureScope.SubscriptionId(a.Scope)).OfType<string>())
            .Select(s => s.ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal).ToList();
        return subscriptions.Count > 0 ? "subscriptions/" + string.Join(",", subscriptions) : "azure";
    }
}
