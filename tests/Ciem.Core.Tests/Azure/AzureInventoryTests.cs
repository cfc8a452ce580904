using Ciem.Core.Azure;

namespace Ciem.Core.Tests.Azure;

public sealed class AzureInventoryTests
{
    private const string Sub = "11111111-1111-4111-8111-111111111111";
    private const string Mg = "/providers/Microsoft.Management/managementGroups/prod";

    [Fact]
    public void ToEstate_SubscriptionFromAccountListAndTree_OneEntryWithManagementGroupStateAndTenant()
    {
        // Given a subscription listed by `az account list` (state, tenant) and by the management-group tree (parent)
        var inventory = AzureInventory.Empty with
        {
            ManagementGroups = [new ManagementGroup(Mg, "prod", "Production", null)],
            Subscriptions = [new Subscription(Sub, "prod-1", "Enabled", "tenant-1", null), new Subscription(Sub, "prod-1", null, null, Mg)],
        };

        // When the estate is built
        var estate = inventory.ToEstate();

        // Then it holds one subscription that knows all three, and its ancestry goes through the management group
        var subscription = Assert.Single(estate.Hierarchy.Subscriptions);
        Assert.Equal((Mg, "Enabled", "tenant-1"), (subscription.ManagementGroupId, subscription.State, subscription.TenantId));
        Assert.Contains(Mg, estate.Hierarchy.Ancestry($"/subscriptions/{Sub}/resourceGroups/rg"), StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public void Merge_TwoInventories_ConcatenatesEveryList()
    {
        var a = AzureInventory.Empty with { ResourceGroups = [new ResourceGroup($"/subscriptions/{Sub}/resourceGroups/a", "a", Sub, null)] };
        var b = AzureInventory.Empty with { GroupMemberships = [KeyValuePair.Create("p", (System.Collections.Immutable.ImmutableArray<string>)["g"])] };
        var merged = a.Merge(b);
        Assert.Single(merged.ResourceGroups);
        Assert.Single(merged.GroupMemberships);
        Assert.False(merged.IsEmpty);
        Assert.True(AzureInventory.Empty.IsEmpty);
    }
}
