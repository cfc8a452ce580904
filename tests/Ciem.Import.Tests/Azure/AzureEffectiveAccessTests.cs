using System.Collections.Immutable;
using Ciem.Core.Azure;
using Ciem.Core.Azure.Catalog;
using Ciem.Core.Azure.Evaluation;
using Ciem.Core.Model;
using Ciem.Import.Azure;

namespace Ciem.Import.Tests.Azure;

/// <summary>End to end: the samples and the built-in roles, imported by the readers, through <see cref="AzureEffectiveAccess"/>.</summary>
[Trait("Category", "SharedData")]
public sealed class AzureEffectiveAccessTests
{
    private const string Alice = "aaaaaaaa-0000-0000-0000-000000000001";
    private const string Bob = "bbbbbbbb-0000-0000-0000-000000000002";
    private const string Pipeline = "cccccccc-0000-0000-0000-000000000003";
    private const string Sub = "/subscriptions/11111111-1111-1111-1111-111111111111";

    private static readonly Lazy<AzureEstate> Estate = new(Load);

    private static AzureEstate Load()
    {
        using var ra = AzureSamples.Open("role-assignments.cli.json");
        using var raArm = AzureSamples.Open("role-assignments.arm.json");
        using var deny = AzureSamples.Open("deny-assignments.arm.json");
        using var pim = AzureSamples.Open("eligibility-schedule-instances.arm.json");
        using var mg = AzureSamples.Open("management-group.cli.json");
        using var groups = AzureSamples.Open("group-memberships.json");
        var tree = ManagementGroupsReader.Read(mg, "mg.json").Value;
        return new AzureEstate(
            RoleDefinitionsReader.ReadFiles(AzureSamples.BuiltInRoleFiles()).Value,
            [.. RoleAssignmentsReader.Read(ra, "ra.json").Value, .. RoleAssignmentsReader.Read(raArm, "ra-arm.json").Value],
            DenyAssignmentsReader.Read(deny, "deny.json").Value,
            EligibleAssignmentsReader.Read(pim, "pim.json").Value,
            new AzureHierarchy(tree.ManagementGroups, tree.Subscriptions),
            new GroupMemberships(GroupMembershipsReader.Read(groups, "groups.json").Value));
    }

    private static AzureEffectiveAccessResult For(string principal) =>
        AzureEffectiveAccess.Compute(AzureEffectiveAccess.IdentityOf(principal, "User", Estate.Value), Estate.Value, AzureOperationCatalog.Default);

    [Fact]
    public void Compute_OwnerAtSubscription_IsAdministratorWithEveryControlAction()
    {
        // Given Alice, Owner of the subscription and member of Data Readers / When computed
        var access = For(Alice).Access;

        // Then she is an administrator and holds every control action plus the group's conditional blob read
        Assert.True(access.IsAdministrator);
        Assert.Equal(18_263 + 1, access.GrantedCount);
        var blob = Assert.Single(access.Grants, g => g.Permission == "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read");
        Assert.NotNull(blob.Condition);
        Assert.True(blob.IsConditional);
        Assert.Equal("DataRead", blob.AccessLevel);
        Assert.Contains("via group `99999999-0000-0000-0000-000000000001`", Assert.Single(blob.Sources), StringComparison.Ordinal);
        Assert.Equal("alice@contoso.com", access.Identity.Name);
    }

    [Fact]
    public void Compute_DenyAssignmentBelowTheGrant_IsListedAsLimit()
    {
        // Given Alice's Owner grant at the subscription and an everyone `*/delete` deny at rg-data / When computed
        var access = For(Alice).Access;

        // Then deletes keep their grant at the subscription, limited by the deny assignment; writes are not limited
        var delete = Assert.Single(access.Grants, g => g.Permission == "Microsoft.Compute/virtualMachines/delete");
        Assert.Contains(delete.LimitedBy, l => l.Contains("protect-storage", StringComparison.Ordinal));
        var write = Assert.Single(access.Grants, g => g.Permission == "Microsoft.Compute/virtualMachines/write");
        Assert.Empty(write.LimitedBy);
    }

    [Fact]
    public void Compute_EligibleUserAccessAdministrator_ListedApartAndNotActive()
    {
        // Given Bob: User Access Administrator active at rg-app, eligible (PIM) at the subscription / When computed
        var result = For(Bob);

        // Then the active access is not administrator (resource-group scope) and the eligible role is listed apart, as admin
        Assert.False(result.Access.IsAdministrator);
        Assert.All(result.Access.Grants, g => Assert.Equal($"{Sub}/resourceGroups/rg-app", g.Scope));
        var eligible = Assert.Single(result.Eligible);
        Assert.Equal("User Access Administrator", eligible.RoleName);
        Assert.Equal(Sub, eligible.Scope);
        Assert.True(eligible.IsAdministrator);
        Assert.Equal(7_742, eligible.OperationCount);
    }

    [Fact]
    public void Compute_ReaderAtManagementGroup_IsNotAdministrator()
    {
        // Given a service principal with Reader at the contoso management group / When computed
        var access = For(Pipeline).Access;

        // Then it reads, is excluded from the deny, and is not an administrator
        Assert.False(access.IsAdministrator);
        Assert.Equal(7_692, access.GrantedCount);
        Assert.All(access.Grants, g => Assert.Empty(g.LimitedBy));
    }

    [Fact]
    public void Compute_AssignmentToUnimportedRole_IsIndeterminateWithDiagnostic()
    {
        // Given an estate whose only assignment names a role that was not imported
        var estate = new AzureEstate([], [new RoleAssignment("ra", Sub, "/providers/Microsoft.Authorization/roleDefinitions/nope", Alice, "User")]);

        // When computed / Then nothing is granted, the gap is reported
        var access = AzureEffectiveAccess.Compute(AzureEffectiveAccess.IdentityOf(Alice, "User", estate), estate, AzureOperationCatalog.Default).Access;
        Assert.Empty(access.Grants);
        Assert.Single(access.Indeterminate);
        Assert.Equal(Ciem.Core.Diagnostics.DiagnosticCodes.AzureUnknownRoleDefinition, Assert.Single(access.Diagnostics).Code);
    }

    [Fact]
    public void ComputeAll_Samples_OnePerNonGroupPrincipal()
    {
        // Given the sample estate / When every principal is computed
        var all = AzureEffectiveAccess.ComputeAll(Estate.Value, AzureOperationCatalog.Default);

        // Then alice, bob and the pipeline have results, the group itself none
        Assert.Equal([Alice, Bob, Pipeline], all.Select(a => a.Access.Identity.Id));
        Assert.Equal(IdentityKind.ServiceIdentity, all[2].Access.Identity.Kind);
    }

    [Fact]
    public void Evaluate_ImportedEstate_AgreesWithEffectiveAccess()
    {
        // Given the imported estate and its authorizer
        var authorizer = new AzureAuthorizer(Estate.Value);

        // When Alice deletes a storage account in rg-data (deny everyone */delete) and writes a vm
        var denied = authorizer.Evaluate(new AzureRequest(Alice, "Microsoft.Storage/storageAccounts/delete", $"{Sub}/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/sa1"));
        var allowed = authorizer.Evaluate(new AzureRequest(Alice, "Microsoft.Compute/virtualMachines/write", $"{Sub}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/vm1"));
        var pipeline = authorizer.Evaluate(new AzureRequest(Pipeline, "Microsoft.Storage/storageAccounts/read", $"{Sub}/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/sa1"));

        // Then the deny wins, the Owner grant allows, and the Reader at the management group reaches the subscription
        Assert.Equal(Decision.ExplicitDeny, denied.Decision);
        Assert.Equal(Decision.Allow, allowed.Decision);
        Assert.Equal(Decision.Allow, pipeline.Decision);
        Assert.Equal("/providers/Microsoft.Management/managementGroups/contoso", Assert.Single(pipeline.Deciding).Scope);
        _ = ImmutableArray<string>.Empty;
    }
}
