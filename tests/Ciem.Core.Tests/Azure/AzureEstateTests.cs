using Ciem.Core.Azure;
using Ciem.Core.Azure.Catalog;
using Ciem.Core.Azure.Evaluation;
using Ciem.Core.Diagnostics;
using Ciem.Core.Model;

namespace Ciem.Core.Tests.Azure;

public sealed class AzureEstateTests
{
    private const string Alice = "aaaaaaaa-0000-0000-0000-000000000001";
    private const string Sub = "/subscriptions/11111111-1111-1111-1111-111111111111";
    private const string Account = Sub + "/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/stdata";
    private const string BlobReaderId = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1";
    private const string BlobRead = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read";

    // A role assignment as `az role assignment list --all` prints it, read at subscription scope.
    private static RoleAssignment Assignment(string roleGuid) =>
        new($"{Sub}/providers/Microsoft.Authorization/roleAssignments/0b6c4f1e-7d2a-4c3b-9e8f-1a2b3c4d5e6f", Sub,
            $"{Sub}/providers/Microsoft.Authorization/roleDefinitions/{roleGuid}", Alice, "User", RoleDefinitionName: null);

    [Fact]
    public void ResolveRole_BuiltInNotImported_FromCatalog()
    {
        // Given an estate that imported assignments but no role definitions
        var estate = new AzureEstate([], [Assignment(BlobReaderId)]);
        // When the assignment's role is resolved
        var (role, fromCatalog) = estate.ResolveRole(estate.RoleAssignments[0].RoleDefinitionId);
        // Then it is the shipped built-in role
        Assert.True(fromCatalog);
        Assert.Equal("Storage Blob Data Reader", role?.RoleName);
        Assert.Same(role, estate.FindRole(BlobReaderId));
    }

    [Fact]
    public void ResolveRole_ImportedDefinition_WinsOverCatalog()
    {
        // Given an estate that imported its own copy of the built-in role (same GUID, narrower)
        var imported = new RoleDefinition($"/providers/Microsoft.Authorization/roleDefinitions/{BlobReaderId}", BlobReaderId, "Storage Blob Data Reader", "BuiltInRole", null,
            [new RolePermission([], [], [], [])], ["/"]);
        var estate = new AzureEstate([imported], [Assignment(BlobReaderId)]);
        // When resolved / Then the imported definition is used
        var (role, fromCatalog) = estate.ResolveRole(BlobReaderId);
        Assert.False(fromCatalog);
        Assert.Same(imported, role);
    }

    [Fact]
    public void ResolveRole_UnknownCustomRole_Null()
    {
        // Given an assignment of a custom role whose definition was not imported
        var estate = new AzureEstate([], [Assignment("9f3c1d2e-0000-4000-8000-00000000c0de")]);
        // When resolved / Then it stays unknown
        Assert.Equal((null, false), estate.ResolveRole(estate.RoleAssignments[0].RoleDefinitionId));
    }

    [Fact]
    public void Compute_BuiltInRoleNotImported_GrantsFromCatalogWithInfo()
    {
        // Given Storage Blob Data Reader assigned at a subscription, its definition not imported
        var estate = new AzureEstate([], [Assignment(BlobReaderId)]);
        // When effective access is computed
        var access = AzureEffectiveAccess.Compute(AzureEffectiveAccess.IdentityOf(Alice, "User", estate), estate, AzureOperationCatalog.Default).Access;
        // Then the role's data action is granted, nothing is indeterminate, and an info diagnostic says where the role came from
        Assert.Contains(access.Grants, g => g.Permission == BlobRead && g.Scope == Sub);
        Assert.Empty(access.Indeterminate);
        var info = Assert.Single(access.Diagnostics);
        Assert.Equal(DiagnosticCodes.AzureBuiltInRoleFromCatalog, info.Code);
        Assert.Equal(Severity.Info, info.Severity);
        Assert.Contains("built-in role `Storage Blob Data Reader` and was resolved from the shipped catalog", info.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_UnknownCustomRole_StaysIndeterminate()
    {
        // Given an assignment of a custom role that was not imported
        var estate = new AzureEstate([], [Assignment("9f3c1d2e-0000-4000-8000-00000000c0de")]);
        // When computed / Then nothing is granted and the gap is a warning, never resolved from the catalog
        var access = AzureEffectiveAccess.Compute(AzureEffectiveAccess.IdentityOf(Alice, "User", estate), estate, AzureOperationCatalog.Default).Access;
        Assert.Empty(access.Grants);
        Assert.Single(access.Indeterminate);
        Assert.Equal(DiagnosticCodes.AzureUnknownRoleDefinition, Assert.Single(access.Diagnostics).Code);
    }

    [Fact]
    public void Evaluate_BuiltInRoleNotImported_AllowsWithInfo()
    {
        // Given the same estate without definitions
        var authorizer = new AzureAuthorizer(new AzureEstate([], [Assignment(BlobReaderId)]));
        // When Alice reads a blob in a storage account below the subscription
        var result = authorizer.Evaluate(new AzureRequest(Alice, BlobRead, Account + "/blobServices/default/containers/logs", AzurePlane.Data));
        // Then the catalog's role allows it, and the info diagnostic names the role
        Assert.Equal(Decision.Allow, result.Decision);
        Assert.Equal("Storage Blob Data Reader", Assert.Single(result.Deciding).Name);
        Assert.Equal(DiagnosticCodes.AzureBuiltInRoleFromCatalog, Assert.Single(result.Diagnostics).Code);
    }
}
