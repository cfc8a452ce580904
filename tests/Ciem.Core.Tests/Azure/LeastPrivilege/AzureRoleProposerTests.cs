using System.Collections.Immutable;
using System.Text.Json;
using Ciem.Core.Azure;
using Ciem.Core.Azure.Evaluation;
using Ciem.Core.Azure.Catalog;
using Ciem.Core.Azure.LeastPrivilege;
using Ciem.Core.Azure.Usage;
using Ciem.Core.LeastPrivilege;
using Ciem.Core.Model;

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

    private static readonly RoleDefinition BlobReader = new("/providers/Microsoft.Authorization/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
        "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", "Storage Blob Data Reader", "BuiltInRole", null,
        [new RolePermission(["Microsoft.Storage/storageAccounts/blobServices/containers/read", "Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action"], [],
            ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"], [])], ["/"]);

    private static AzureEstate ReaderEstate() => new([Contributor, BlobReader],
        [new RoleAssignment(Sub + "/providers/Microsoft.Authorization/roleAssignments/ra1", Sub, Contributor.Id, Alice, "User", "alice@example.com"),
         new RoleAssignment(Storage + "/providers/Microsoft.Authorization/roleAssignments/ra2", Storage, BlobReader.Id, Alice, "User", "alice@example.com")],
        []);

    [Fact]
    public void Propose_WithOptions_SeasonalExceptionAndUnknownKeptAndMarked()
    {
        // Given Contributor plus Storage Blob Data Reader; in the window a key listing, in the lookback a quarterly
        // account update; `Microsoft.Storage/storageAccounts/delete` kept as an exception; no data-plane logs
        var used = new AzureObservedOperation[] { new("Microsoft.Storage/storageAccounts/listKeys/action", Storage, 8) };
        var options = new AzureProposalOptions
        {
            Lookback = [new("Microsoft.Storage/storageAccounts/write", Storage, 1)],
            KeepOperations = ["Microsoft.Storage/storageAccounts/delete"],
            WindowDays = 90,
            ObservedDays = 90,
        };

        // When a proposal is made
        var result = AzureRoleProposer.Propose(ReaderEstate(), Alice, used, AsOf, null, options);

        // Then each kept operation says why: used, seasonal, exception; reads and the blob data action of
        // Microsoft.Storage are unknown (not in the Activity Log) and kept; nothing of Microsoft.Compute is
        Assert.True(result.IsEmitted, string.Join("; ", result.Failures));
        var p = result.Proposal!;
        KeepReason ReasonOf(string operation, AzurePlane plane = AzurePlane.Control) => p.Evidence.Single(e => e.Plane == plane && string.Equals(e.Operation, operation, StringComparison.OrdinalIgnoreCase)).Reason;
        Assert.Equal(KeepReason.Used, ReasonOf("Microsoft.Storage/storageAccounts/listKeys/action"));
        Assert.Equal(KeepReason.Seasonal, ReasonOf("Microsoft.Storage/storageAccounts/write"));
        Assert.Equal(KeepReason.Exception, ReasonOf("Microsoft.Storage/storageAccounts/delete"));
        Assert.Equal(KeepReason.NotRecorded, ReasonOf("Microsoft.Storage/storageAccounts/read"));
        Assert.Equal(KeepReason.NotRecorded, ReasonOf("Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read", AzurePlane.Data));
        Assert.DoesNotContain(p.Evidence, e => e.Operation.StartsWith("Microsoft.Compute/", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(p.Evidence, e => e.Reason == KeepReason.NotRecorded && !e.Operation.EndsWith("/read", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"], p.Role.Permissions[0].DataActions.ToArray());
        Assert.Equal(Storage, p.Scope);
        var unknown = p.Evidence.Count(e => e.Reason == KeepReason.NotRecorded);
        Assert.Equal(ProposalConfidence.Compute(90, 90, 8, unknown, p.Evidence.Length), p.Confidence);
    }

    [Fact]
    public void Propose_DataPlaneLogsOfTheProvider_DataActionUnusedNotKept()
    {
        // Given data-plane logs of Microsoft.Storage in the window (resource logs), and the user dropping nothing
        var options = new AzureProposalOptions { Recording = new AzureUsageRecording(["Microsoft.Storage"]) };

        // When a proposal is made
        var p = AzureRoleProposer.Propose(ReaderEstate(), Alice, [new("Microsoft.Storage/storageAccounts/listKeys/action", Storage, 8)], AsOf, null, options).Proposal!;

        // Then the blob read data action was recordable and not seen: unused, so not kept; control-plane reads still unknown
        Assert.Empty(p.Role.Permissions[0].DataActions);
        Assert.Contains("Microsoft.Storage/storageAccounts/read", p.Role.Permissions[0].Actions, StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public void Propose_DropUnknown_OnlyObservedAndExceptions()
    {
        // Given the user asks to drop unknown operations / When proposed / Then only the used one is kept
        var p = AzureRoleProposer.Propose(ReaderEstate(), Alice, [new("Microsoft.Storage/storageAccounts/listKeys/action", Storage, 8)], AsOf, null,
            new AzureProposalOptions { DropUnknown = true }).Proposal!;

        Assert.Equal("Microsoft.Storage/storageAccounts/listKeys/action", Assert.Single(p.Role.Permissions[0].Actions), StringComparer.OrdinalIgnoreCase);
        Assert.Empty(p.Role.Permissions[0].DataActions);
    }
}
