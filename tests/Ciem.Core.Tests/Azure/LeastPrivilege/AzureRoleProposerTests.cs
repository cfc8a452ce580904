using System.Collections.Immutable;
using System.Text.Json;
using Ciem.Core.Azure;
using Ciem.Core.Azure.Evaluation;
using Ciem.Core.Azure.LeastPrivilege;

namespace Ciem.Core.Tests.Azure.LeastPrivilege;

public sealed class AzureRoleProposerTests
{
    private const string Sub = "/subscriptions/11111111-1111-1111-1111-111111111111";
    private const string Rg = Sub + "/resourceGroups/rg-app";
    private const string Vm = Rg + "/providers/Microsoft.Compute/virtualMachines/vm1";
    private const string Storage = Rg + "/providers/Microsoft.Storage/storageAccounts/st1";
    private const string Alice = "aaaaaaaa-0000-0000-0000-000000000001";
    private static readonly DateTimeOffset AsOf = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly RoleDefinition Contributor = new("/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c",
        "b24988ac-6180-42a0-ab88-20f7382dd24c", "Contributor", "BuiltInRole", null,
        [new RolePermission(["*"], ["Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write"], [], [])], ["/"]);

    private static AzureEstate Estate(params DenyAssignment[] denies) => new([Contributor],
        [new RoleAssignment(Sub + "/providers/Microsoft.Authorization/roleAssignments/ra1", Sub, Contributor.Id, Alice, "User", "alice@example.com")],
        denies);

    private static readonly AzureObservedOperation[] Used =
    [
        new("Microsoft.Compute/virtualMachines/read", Vm, 12),
        new("Microsoft.Compute/virtualMachines/start/action", Vm, 3),
        new("Microsoft.Storage/storageAccounts/read", Storage, 5),
    ];

    [Fact]
    public void Propose_ContributorUsingThreeOperations_CustomRoleAtResourceGroup()
    {
        // Given Contributor at the subscription, used for three operations on two resources of one resource group
        var estate = Estate();

        // When a proposal is made
        var result = AzureRoleProposer.Propose(estate, Alice, Used, AsOf);

        // Then a custom role with exactly those operations is assigned at the resource group, and replay allows them all
        Assert.True(result.IsEmitted, string.Join("; ", result.Failures));
        var proposal = result.Proposal!;
        Assert.Equal(Rg, proposal.Scope);
        Assert.Equal(["Microsoft.Compute/virtualMachines/read", "Microsoft.Compute/virtualMachines/start/action", "Microsoft.Storage/storageAccounts/read"],
            proposal.Role.Permissions[0].Actions.ToArray());
        Assert.Equal(3, proposal.GrantedAfter);
        Assert.True(proposal.GrantedBefore > 1000, $"{proposal.GrantedBefore}");
        Assert.Equal(12, proposal.Evidence.Single(e => e.Operation == "Microsoft.Compute/virtualMachines/read").Count);

        using var json = JsonDocument.Parse(proposal.RoleDefinitionJson);
        Assert.Equal($"ciem-least-privilege-{Alice}", json.RootElement.GetProperty("Name").GetString());
        Assert.True(json.RootElement.GetProperty("IsCustom").GetBoolean());
        Assert.Equal(Rg, json.RootElement.GetProperty("AssignableScopes")[0].GetString());
        Assert.Equal(3, json.RootElement.GetProperty("Actions").GetArrayLength());
        Assert.Equal(0, json.RootElement.GetProperty("NotActions").GetArrayLength());
        Assert.Contains("resource \"azurerm_role_definition\" \"ciem_aaaaaaaa_0000_0000_0000_000000000001\"", proposal.Terraform, StringComparison.Ordinal);
        Assert.Contains("role_definition_id = azurerm_role_definition.ciem_aaaaaaaa_0000_0000_0000_000000000001.role_definition_resource_id", proposal.Terraform, StringComparison.Ordinal);
        Assert.Contains($"scope              = \"{Rg}\"", proposal.Terraform, StringComparison.Ordinal);
    }

    [Fact]
    public void Propose_OneResource_AssignedAtTheResource()
    {
        // Given usage on one virtual machine only / When proposed / Then the assignment is on the machine itself
        var result = AzureRoleProposer.Propose(Estate(), Alice, Used.Take(2), AsOf);

        Assert.Equal(Vm, result.Proposal!.Scope);
    }

    [Fact]
    public void NarrowestScope_TwoResourceGroups_Subscription()
    {
        // Given resources in two resource groups / Then the common scope is the subscription; across subscriptions, none
        Assert.Equal(Sub, AzureRoleProposer.NarrowestScope([Vm, Sub + "/resourceGroups/other"]));
        Assert.Null(AzureRoleProposer.NarrowestScope([Vm, "/subscriptions/22222222-2222-2222-2222-222222222222"]));
    }

    [Fact]
    public void Propose_ObservedOperationNowDenied_NotEmitted()
    {
        // Given a deny assignment on starting the machine, added after the start was observed
        var deny = new DenyAssignment("d1", "no-start", Vm, [new RolePermission(["Microsoft.Compute/virtualMachines/start/action"], [], [], [])],
            [new DenyPrincipal(Alice, "User")], [], false);

        // When a proposal is made
        var result = AzureRoleProposer.Propose(Estate(deny), Alice, Used, AsOf);

        // Then replay fails for that operation and nothing is emitted
        Assert.False(result.IsEmitted);
        Assert.Equal([$"observed operation `Microsoft.Compute/virtualMachines/start/action` on `{Vm}` is ExplicitDeny with the proposed role in place"], result.Failures.ToArray());
    }
}
