using Ciem.Core.Azure;
using Ciem.Core.Diagnostics;
using Ciem.Import.Azure;

namespace Ciem.Import.Tests.Azure;

public sealed class HierarchyReadersTests
{
    [Fact]
    public void ManagementGroups_RecursiveShow_BuildsTreeAndPlacesSubscriptions()
    {
        // Given `az account management-group show --expand --recurse`
        using var stream = AzureSamples.Open("management-group.cli.json");

        // When read
        var result = ManagementGroupsReader.Read(stream, "mg.json");

        // Then two groups and two subscriptions, with parents
        Assert.Empty(result.Diagnostics);
        var tree = result.Value;
        Assert.Equal(["contoso", "prod"], tree.ManagementGroups.Select(g => g.Name));
        Assert.EndsWith("72f988bf-0000-0000-0000-000000000000", tree.ManagementGroups[0].ParentId, StringComparison.Ordinal);
        Assert.Equal("/providers/Microsoft.Management/managementGroups/contoso", tree.ManagementGroups[1].ParentId);
        var production = Assert.Single(tree.Subscriptions, s => s.Name == "Production");
        Assert.Equal("/providers/Microsoft.Management/managementGroups/prod", production.ManagementGroupId);
        Assert.Equal(4, result.Counts.Imported);

        // And the hierarchy walks from a resource group up to the tenant root
        var hierarchy = new AzureHierarchy(tree.ManagementGroups, tree.Subscriptions);
        Assert.Equal(
            ["/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg",
             "/subscriptions/11111111-1111-1111-1111-111111111111",
             "/providers/Microsoft.Management/managementGroups/prod",
             "/providers/Microsoft.Management/managementGroups/contoso",
             "/providers/Microsoft.Management/managementGroups/72f988bf-0000-0000-0000-000000000000",
             "/"],
            hierarchy.Ancestry("/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg").ToArray());
    }

    [Fact]
    public void ManagementGroups_ChildWithoutType_SkippedWithPath()
    {
        // Given a child without `type`
        const string json = """{"id":"/providers/Microsoft.Management/managementGroups/root","name":"root","children":[{"id":"/subscriptions/s"}]}""";

        // When read / Then the root is kept and the child reported at its path
        var result = ManagementGroupsReader.Read(TestData.Stream(json), "mg.json");
        Assert.Single(result.Value.ManagementGroups);
        Assert.Empty(result.Value.Subscriptions);
        Assert.Equal("$.children[0]", Assert.Single(result.Diagnostics).Location!.JsonPath);
    }

    [Fact]
    public void Subscriptions_AccountList_ReadsGuidNameState()
    {
        // Given `az account list` / When read / Then both subscriptions with state
        using var stream = AzureSamples.Open("subscriptions.cli.json");
        var result = SubscriptionsReader.Read(stream, "subs.json");
        Assert.Equal(new ImportCounts(2, 0, 0), result.Counts);
        Assert.Equal("/subscriptions/22222222-2222-2222-2222-222222222222", result.Value[1].Scope);
        Assert.Equal("Disabled", result.Value[1].State);
    }

    [Fact]
    public void Subscriptions_NonGuidId_Quarantined()
    {
        var result = SubscriptionsReader.Read(TestData.Stream("""[{"id":"prod","name":"Prod"}]"""), "subs.json");
        Assert.Equal(new ImportCounts(0, 0, 1), result.Counts);
        Assert.Contains("is not a guid", Assert.Single(result.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResourceGroups_GroupList_ReadsSubscriptionAndLocation()
    {
        // Given `az group list` / When read / Then the subscription comes from the id
        using var stream = AzureSamples.Open("resource-groups.cli.json");
        var result = ResourceGroupsReader.Read(stream, "rgs.json");
        Assert.Equal(2, result.Counts.Imported);
        Assert.All(result.Value, g => Assert.Equal("11111111-1111-1111-1111-111111111111", g.SubscriptionId));
        Assert.Equal("westeurope", result.Value[0].Location);
    }

    [Fact]
    public void GroupMemberships_GraphAndPlainForms_KeepOnlyGroups()
    {
        // Given a Graph transitiveMemberOf response and a plain list
        using var stream = AzureSamples.Open("group-memberships.json");

        // When read
        var result = GroupMembershipsReader.Read(stream, "groups.json");

        // Then groups are kept, the directory role skipped and counted
        Assert.Equal(new ImportCounts(2, 1, 0), result.Counts);
        var memberships = new GroupMemberships(result.Value);
        Assert.Equal(["99999999-0000-0000-0000-000000000001"], memberships.GroupsOf("AAAAAAAA-0000-0000-0000-000000000001").ToArray());
        Assert.Equal(["99999999-0000-0000-0000-000000000002"], memberships.GroupsOf("bbbbbbbb-0000-0000-0000-000000000002").ToArray());
    }

    [Fact]
    public void GroupMemberships_NotAnObject_ImportsNothing()
    {
        var result = GroupMembershipsReader.Read(TestData.Stream("[1,2]"), "groups.json");
        Assert.Empty(result.Value);
        Assert.Equal(DiagnosticCodes.AzureUnknownFormat, Assert.Single(result.Diagnostics).Code);
    }
}
