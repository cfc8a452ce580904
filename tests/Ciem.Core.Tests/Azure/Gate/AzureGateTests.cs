using Ciem.Core.Azure;
using Ciem.Core.Azure.Catalog;
using Ciem.Core.Azure.Gate;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gate;

namespace Ciem.Core.Tests.Azure.Gate;

public sealed class AzureGateTests
{
    private const string Sub = "/subscriptions/6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f";
    private const string Rg = Sub + "/resourceGroups/rg-app";
    private const string Dev = "5b7d9f11-3c2e-4a8b-b6d0-e4f2a1c3b5d7";
    private static readonly SourceLocation At = new(File: "plan.json", JsonPath: "$.resource_changes[0].change.after");

    private static GateRoleAssignment Assign(string role, string scope, string principal = Dev, string? condition = null, string? delegated = null, bool byName = true) =>
        new(new RoleAssignment($"azurerm_role_assignment.{role.Replace(' ', '_')}", scope, byName ? "" : role, principal, "User", null, byName ? role : null, condition), At, DelegatedIdentity: delegated);

    private static GateRoleDefinition Custom(string name, params string[] actions) =>
        new(new RoleDefinition($"/providers/Microsoft.Authorization/roleDefinitions/{{azurerm_role_definition.{name}}}", $"{{azurerm_role_definition.{name}}}", name, "CustomRole", null,
            [new RolePermission([.. actions], [], [], [])], [Sub]), At);

    private static CloudGateResult Evaluate(AzureGateSide before, AzureGateSide after, AzureInventory? inventory = null) =>
        AzureGate.Evaluate(new AzureGateChange(before, after), inventory, AzureOperationCatalog.Default);

    private static AzureGateSide Side(params GateRoleAssignment[] assignments) => new([], [.. assignments]);

    [Fact]
    public void Evaluate_NewContributorAtSubscription_NewAdminAndBroadScope()
    {
        // Given a change that assigns Contributor at a subscription (no estate: the built-in role is known)
        var result = Evaluate(AzureGateSide.Empty, Side(Assign("Contributor", Sub)));
        // Then the principal becomes administrative and the grant is at a broad scope
        var delta = Assert.Single(result.Deltas);
        Assert.Equal($"azure:{Dev}", delta.Id);
        Assert.Contains("Microsoft.Compute/virtualMachines/write", delta.NewPermissions);
        Assert.DoesNotContain("Microsoft.Authorization/roleAssignments/write", delta.NewPermissions);
        var admin = Assert.Single(result.Findings, f => f.RuleId == GateRules.NewAdmin);
        Assert.Equal(FindingSeverity.Critical, admin.Severity);
        Assert.Contains($"role `Contributor` at `{Sub}`", admin.Evidence);
        var broad = Assert.Single(result.Findings, f => f.RuleId == GateRules.BroadScope);
        Assert.Contains("subscription", broad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_ReaderOnResourceGroup_NoFinding()
    {
        // Given a Reader assignment on a resource group
        var result = Evaluate(AzureGateSide.Empty, Side(Assign("Reader", Rg)));
        // Then the principal gains reads and nothing is reported
        Assert.NotEmpty(Assert.Single(result.Deltas).Added);
        Assert.Empty(result.Findings);
    }

    [Fact]
    public void Evaluate_OwnerAtSubscription_EngineSaysAdministratorAndEscalation()
    {
        // Given Owner at a subscription
        var result = Evaluate(AzureGateSide.Empty, Side(Assign("Owner", Sub)));
        // Then the engine's administrator flag flips, and role assignment writes are a new escalation path
        Assert.True(Assert.Single(result.Deltas).BecameAdministrator);
        var escalation = Assert.Single(result.Findings, f => f.RuleId == GateRules.NewEscalation);
        Assert.Contains(AzureGate.RoleDefinitionsWrite, escalation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_UnchangedAssignment_TouchesNobody()
    {
        // Given the same assignment on both sides (an unchanged resource)
        var result = Evaluate(Side(Assign("Owner", Sub)), Side(Assign("Owner", Sub)));
        // Then nobody is touched
        Assert.Empty(result.Deltas);
        Assert.Empty(result.Findings);
    }

    [Fact]
    public void Evaluate_CustomRoleWithAssignAndVmWrite_EscalationAndNoWildcardOnCompute()
    {
        // Given a custom role that may assign managed identities and write VMs, assigned on a resource group
        var role = Custom("vm_operator", "Microsoft.Compute/virtualMachines/*", AzureGate.AssignIdentity, "Microsoft.Authorization/*/read");
        var after = new AzureGateSide([role], [Assign(role.Definition.Name, Rg, byName: false)]);
        // When evaluated
        var result = Evaluate(AzureGateSide.Empty, after);
        // Then assigning an identity to a VM is a new escalation path; wildcards on Compute and on reads are not sensitive
        var escalation = Assert.Single(result.Findings, f => f.RuleId == GateRules.NewEscalation);
        Assert.Contains($"{AzureGate.AssignIdentity} with Microsoft.Compute/virtualMachines/write", escalation.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Findings, f => f.RuleId is GateRules.SensitiveWildcard or GateRules.BroadScope or GateRules.NewAdmin);
    }

    [Fact]
    public void Evaluate_CustomRoleGainsAuthorizationWildcard_SensitiveWildcardAndAssigneesTouched()
    {
        // Given an existing assignment of a custom role whose actions gain Microsoft.Authorization/*
        var before = Custom("ops", "Microsoft.Compute/virtualMachines/read");
        var after = Custom("ops", "Microsoft.Compute/virtualMachines/read", "Microsoft.Authorization/*");
        var assignment = Assign(before.Definition.Name, Rg, byName: false);
        // When evaluated
        var result = Evaluate(new AzureGateSide([before], [assignment]), new AzureGateSide([after], [assignment]));
        // Then the role definition is reported, and its assignee gains role assignment writes
        var wildcard = Assert.Single(result.Findings, f => f.RuleId == GateRules.SensitiveWildcard);
        Assert.Equal("azure:role-definition/ops", wildcard.Principal);
        Assert.Contains(AzureEffectiveAccessWrite, Assert.Single(result.Deltas).NewPermissions);
        Assert.Contains(result.Findings, f => f.RuleId == GateRules.NewEscalation && f.Principal == $"azure:{Dev}");
    }

    private const string AzureEffectiveAccessWrite = "Microsoft.Authorization/roleAssignments/write";
    private const string OwnerId = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
    private const string StorageAccountContributorId = "17d1049b-9a84-46fb-8f53-869881c3d3ab";
    private const string ReaderId = "acdd72a7-3385-48ef-bd42-f606fba81ae7";

    [Fact]
    public void Evaluate_StorageAccountContributorByNameAtSubscription_BroadScopeWithoutAdmin()
    {
        // Given no imported estate and a change that assigns the built-in Storage Account Contributor by name at a subscription
        var result = Evaluate(AzureGateSide.Empty, Side(Assign("Storage Account Contributor", Sub)));
        // Then the role is resolved from the shipped catalog (nothing indeterminate): the principal gains account keys,
        // the grant is reported at a broad scope, and the role (no role assignment writes) is not administrative
        var delta = Assert.Single(result.Deltas);
        Assert.Empty(delta.After.Indeterminate);
        Assert.Contains("Microsoft.Storage/storageAccounts/listKeys/action", delta.NewPermissions);
        Assert.Contains("Microsoft.Storage/storageAccounts/write", delta.NewPermissions);
        Assert.DoesNotContain(AzureEffectiveAccessWrite, delta.NewPermissions);
        var broad = Assert.Single(result.Findings, f => f.RuleId == GateRules.BroadScope);
        Assert.Equal($"`azure:{Dev}` is assigned `Storage Account Contributor` at subscription `{Sub}`", broad.Message);
        Assert.DoesNotContain(result.Findings, f => f.RuleId is GateRules.NewAdmin or GateRules.IndeterminateChange);
        Assert.DoesNotContain(result.Diagnostics, d => d.Code is DiagnosticCodes.AzureUnknownRoleDefinition);
    }

    [Theory]
    [InlineData("/providers/Microsoft.Authorization/roleDefinitions/" + StorageAccountContributorId)]
    [InlineData("/subscriptions/6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f/providers/Microsoft.Authorization/roleDefinitions/" + StorageAccountContributorId)]
    public void Evaluate_BuiltInRoleById_ResolvedFromCatalog(string roleDefinitionId)
    {
        // Given no imported estate and an assignment naming a built-in role only by its id (tenant-level or subscription-level)
        var result = Evaluate(AzureGateSide.Empty, Side(Assign(roleDefinitionId, Sub, byName: false)));
        // Then the role is known by its catalog name and its grants are computed
        var delta = Assert.Single(result.Deltas);
        Assert.Empty(delta.After.Indeterminate);
        Assert.Contains("Microsoft.Storage/storageAccounts/listKeys/action", delta.NewPermissions);
        Assert.Contains(result.Findings, f => f.RuleId == GateRules.BroadScope && f.Message.Contains("`Storage Account Contributor`", StringComparison.Ordinal));
    }

    [Fact]
    public void Evaluate_ReaderByIdOnResourceGroup_NoAdminFinding()
    {
        // Given no imported estate and Reader assigned by id on a resource group
        var result = Evaluate(AzureGateSide.Empty, Side(Assign($"/providers/Microsoft.Authorization/roleDefinitions/{ReaderId}", Rg, byName: false)));
        // Then the principal gains reads only and nothing is reported
        var delta = Assert.Single(result.Deltas);
        Assert.Contains("Microsoft.Storage/storageAccounts/read", delta.NewPermissions);
        Assert.False(delta.BecameAdministrator);
        Assert.Empty(result.Findings);
    }

    [Fact]
    public void Evaluate_EstateDefinesBuiltInRoleDifferently_EstateWins()
    {
        // Given an estate whose copy of Reader (same GUID) grants only VM reads
        var reader = new RoleDefinition($"/subscriptions/6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f/providers/Microsoft.Authorization/roleDefinitions/{ReaderId}", ReaderId, "Reader", "BuiltInRole", null,
            [new RolePermission(["Microsoft.Compute/virtualMachines/read"], [], [], [])], ["/"]);
        var inventory = AzureInventory.Empty with { RoleDefinitions = [reader] };
        // When a change assigns Reader by name
        var result = Evaluate(AzureGateSide.Empty, Side(Assign("Reader", Rg)), inventory);
        // Then the estate's definition is used, not the catalog's `*/read`
        var delta = Assert.Single(result.Deltas);
        Assert.Contains("Microsoft.Compute/virtualMachines/read", delta.NewPermissions);
        Assert.DoesNotContain("Microsoft.Storage/storageAccounts/read", delta.NewPermissions);
    }

    [Fact]
    public void Evaluate_RemovedOwner_RemovalListedWithoutFinding()
    {
        // Given a change that deletes an Owner assignment
        var result = Evaluate(Side(Assign("Owner", Rg)), AzureGateSide.Empty);
        // Then the principal loses its grants and nothing is reported (a removal adds no risk)
        var delta = Assert.Single(result.Deltas);
        Assert.Empty(delta.Added);
        Assert.NotEmpty(delta.Removed);
        Assert.Empty(result.Findings);
    }

    [Fact]
    public void Evaluate_UnknownCustomRoleWithoutEstate_IndeterminateNotSilent()
    {
        // Given a role name that is no built-in role (a custom role defined elsewhere), and no imported estate
        var result = Evaluate(AzureGateSide.Empty, Side(Assign("Contoso Blob Auditor", Rg)));
        // Then the grant is indeterminate, reported, and never counted as nothing
        var finding = Assert.Single(result.Findings);
        Assert.Equal(GateRules.IndeterminateChange, finding.RuleId);
        Assert.True(finding.Indeterminate);
        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.AzureUnknownRoleDefinition);
    }

    [Fact]
    public void Evaluate_EstateKnowsTheRole_ResolvedAndRemovedAssignmentLeavesAfterSide()
    {
        // Given an estate with the Storage Blob Data Reader role and an Owner assignment the change deletes
        var blob = new RoleDefinition("/providers/Microsoft.Authorization/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
            "Storage Blob Data Reader", "BuiltInRole", null, [new RolePermission(["Microsoft.Storage/storageAccounts/blobServices/containers/read"], [], ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"], [])], ["/"]);
        var owner = new RoleAssignment("/x/owner", Rg, $"/providers/Microsoft.Authorization/roleDefinitions/{OwnerId}", Dev, "User", RoleDefinitionName: "Owner");
        var inventory = AzureInventory.Empty with { RoleDefinitions = [blob, AzureBuiltInRoles.Default.Find(OwnerId)!], RoleAssignments = [owner] };
        // When the change replaces Owner by Storage Blob Data Reader
        var result = Evaluate(Side(Assign("Owner", Rg)), Side(Assign("Storage Blob Data Reader", Rg)), inventory);
        // Then the role is resolved from the estate and the imported Owner assignment is gone on the after side
        var delta = Assert.Single(result.Deltas);
        Assert.True(delta.InInventory);
        Assert.Empty(delta.After.Indeterminate);
        Assert.Contains("Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read", delta.NewPermissions);
        Assert.DoesNotContain(delta.After.Grants, g => g.Permission == AzureEffectiveAccessWrite);
        Assert.DoesNotContain(result.Findings, f => f.RuleId == GateRules.IndeterminateChange);
    }

    [Fact]
    public void Evaluate_DelegatedAssignment_CrossTenant()
    {
        // Given an assignment delegated to a managed identity of another tenant (Azure Lighthouse)
        var delegated = "/subscriptions/0b1c2d3e-0000-4000-8000-000000000099/resourceGroups/rg-msp/providers/Microsoft.ManagedIdentity/userAssignedIdentities/msp";
        var result = Evaluate(AzureGateSide.Empty, Side(Assign("Reader", Rg, delegated: delegated)));
        // Then it is new cross-tenant access; an assignment without delegation is not
        Assert.Contains(delegated, Assert.Single(result.Findings, f => f.RuleId == GateRules.NewCrossAccountTrust).Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Evaluate(AzureGateSide.Empty, Side(Assign("Reader", Rg))).Findings, f => f.RuleId == GateRules.NewCrossAccountTrust);
    }

    [Fact]
    public void Evaluate_ConditionalUserAccessAdministrator_HighNotCritical()
    {
        // Given User Access Administrator under an ABAC condition (constrained delegation)
        var condition = "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {acdd72a7-3385-48ef-bd42-f606fba81ae7}))";
        var result = Evaluate(AzureGateSide.Empty, Side(Assign("User Access Administrator", Rg, condition: condition)));
        // Then the new administrative grant is reported as high
        var admin = Assert.Single(result.Findings, f => f.RuleId == GateRules.NewAdmin);
        Assert.Equal(FindingSeverity.High, admin.Severity);
        Assert.Contains("under a condition", admin.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CloudUsageRules_UsageKnown_RemovedUsedAndUnusedGrant()
    {
        // Given a change that removes Owner on a resource group and adds Reader at the subscription
        var result = Evaluate(Side(Assign("Owner", Rg)), Side(Assign("Reader", Sub)));
        var delta = Assert.Single(result.Deltas);
        // When the principal used a write and a read in the usage window
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Microsoft.Compute/virtualMachines/write", "Microsoft.Compute/virtualMachines/read" };
        var findings = CloudUsageRules.Evaluate(delta, used, At);
        // Then the used write the change removes is reported (the read stays granted); without usage nothing is
        var removed = Assert.Single(findings, f => f.RuleId == GateRules.RemovedUsedPermission);
        Assert.Equal(["Microsoft.Compute/virtualMachines/write"], removed.Evidence.AsEnumerable());
        Assert.Empty(CloudUsageRules.Evaluate(delta, null, At));
    }

    [Fact]
    public void CloudUsageRules_NewGrantNotUsed_UnusedGrant()
    {
        // Given a new Reader assignment and usage that touched nothing
        var delta = Assert.Single(Evaluate(AzureGateSide.Empty, Side(Assign("Reader", Rg))).Deltas);
        // Then every new permission is an unused grant (at most 20 listed)
        var unused = Assert.Single(CloudUsageRules.Evaluate(delta, new HashSet<string>(), At));
        Assert.Equal(GateRules.UnusedGrant, unused.RuleId);
        Assert.Equal(20, unused.Evidence.Length);
    }

    [Theory]
    [InlineData("*", true)]
    [InlineData("Microsoft.KeyVault/vaults/*", true)]
    [InlineData("*/write", true)]
    [InlineData("*/read", false)]
    [InlineData("Microsoft.Compute/*", false)]
    [InlineData("Microsoft.Storage/storageAccounts/listKeys/action", false)]
    public void IsSensitiveWildcard_Pattern_Expected(string pattern, bool expected) => Assert.Equal(expected, AzureGate.IsSensitiveWildcard(pattern));

    [Fact]
    public void Evaluate_EmptyChange_Nothing()
    {
        // Given a change without Azure resources / Then there is nothing to evaluate
        Assert.Same(CloudGateResult.Empty, Evaluate(AzureGateSide.Empty, AzureGateSide.Empty));
    }
}
