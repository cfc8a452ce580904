using System.IO.Compression;
using System.Text;
using Ciem.Core.Azure;
using Ciem.Core.Azure.Catalog;

namespace Ciem.Core.Tests.Azure.Catalog;

public sealed class AzureBuiltInRolesTests
{
    private static AzureBuiltInRoles Roles => AzureBuiltInRoles.Default;

    [Fact]
    public void Default_Loads_TheSnapshotsBuiltInRoles()
    {
        // Given the embedded catalog / When loaded
        // Then it holds the snapshot's 928 built-in roles, 318 with data actions, every id tenant-level
        Assert.Equal(928, Roles.Count);
        Assert.Equal(318, Roles.Roles.Count(r => r.Permissions.Any(p => !p.DataActions.IsEmpty)));
        Assert.Equal(44, Roles.Roles.Count(r => r.Permissions.Any(p => !p.NotActions.IsEmpty)));
        Assert.StartsWith("easimon/azure-builtin-roles@", Roles.SourceVersion, StringComparison.Ordinal);
        Assert.All(Roles.Roles, r =>
        {
            Assert.True(r.IsBuiltIn);
            Assert.Equal($"/providers/Microsoft.Authorization/roleDefinitions/{r.Name}", r.Id);
        });
    }

    [Theory]
    [InlineData("Reader", "acdd72a7-3385-48ef-bd42-f606fba81ae7", 1, 0, 0)]
    [InlineData("Contributor", "b24988ac-6180-42a0-ab88-20f7382dd24c", 1, 11, 0)]
    [InlineData("Storage Blob Data Contributor", "ba92f5b4-2d11-453d-a403-e96b0029c9fe", 4, 0, 5)]
    [InlineData("Key Vault Secrets User", "4633458b-17de-408a-b874-0445c86b69e6", 0, 0, 2)]
    public void FindByName_WellKnownRole_HasDocumentedPermissions(string roleName, string guid, int actions, int notActions, int dataActions)
    {
        // Given a well-known built-in role / When found by name, in any case
        var role = Roles.FindByName(roleName.ToUpperInvariant());
        // Then its GUID and permission counts are those `az role definition list` prints
        Assert.NotNull(role);
        Assert.Equal(roleName, role.RoleName);
        Assert.Equal(guid, role.Name);
        var permission = Assert.Single(role.Permissions);
        Assert.Equal(actions, permission.Actions.Length);
        Assert.Equal(notActions, permission.NotActions.Length);
        Assert.Equal(dataActions, permission.DataActions.Length);
        Assert.Empty(permission.NotDataActions);
    }

    [Fact]
    public void FindByName_KeyVaultSecretsUser_ExactDataActions()
    {
        // Given / When
        var role = Roles.FindByName("Key Vault Secrets User")!;
        // Then the data actions are kept verbatim
        Assert.Equal<string>(["Microsoft.KeyVault/vaults/secrets/getSecret/action", "Microsoft.KeyVault/vaults/secrets/readMetadata/action"], Assert.Single(role.Permissions).DataActions.AsEnumerable());
        Assert.Equal("Read secret contents. Only works for key vaults that use the 'Azure role-based access control' permission model.", role.Description);
    }

    [Theory]
    [InlineData("ba92f5b4-2d11-453d-a403-e96b0029c9fe")]
    [InlineData("BA92F5B4-2D11-453D-A403-E96B0029C9FE")]
    [InlineData("/providers/Microsoft.Authorization/roleDefinitions/ba92f5b4-2d11-453d-a403-e96b0029c9fe")]
    [InlineData("/subscriptions/6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f/providers/Microsoft.Authorization/roleDefinitions/ba92f5b4-2d11-453d-a403-e96b0029c9fe")]
    public void Find_GuidOrIdAtAnyScope_SameRole(string idOrGuid)
    {
        // Given a GUID or a role definition id read at any scope / When found / Then it is the same built-in role
        Assert.Equal("Storage Blob Data Contributor", Roles.Find(idOrGuid)?.RoleName);
    }

    [Theory]
    [InlineData("00000000-0000-0000-0000-000000000001")]
    [InlineData("Contoso Deployer")]
    public void Find_UnknownRole_Null(string value)
    {
        // Given a GUID or name no built-in role has / When found / Then nothing is returned
        Assert.Null(Roles.Find(value));
        Assert.Null(Roles.FindByName(value));
    }

    [Fact]
    public void Default_RoleWithCondition_KeepsConditionAndVersion()
    {
        // Given DevCenter Owner, whose permission carries a role-assignment delegation condition
        var permission = Assert.Single(Roles.FindByName("DevCenter Owner")!.Permissions);
        // Then the condition survives the compact format verbatim
        Assert.Equal("2.0", permission.ConditionVersion);
        Assert.StartsWith("((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals{", permission.Condition, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_ThenLoad_RoundTripsEveryField()
    {
        // Given roles with every field, a multi-line description and a condition with quotes
        var role = new RoleDefinition("/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/11111111-1111-1111-1111-111111111111", "11111111-1111-1111-1111-111111111111",
            "Tester", "BuiltInRole", "line one\nline \"two\"",
            [new RolePermission(["Microsoft.Storage/*/read"], ["Microsoft.Storage/storageAccounts/listKeys/action"], ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*"],
                ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete"], "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs'", "2.0")], ["/"]);
        var roles = AzureBuiltInRoles.Create("test@1", [role, role with { RoleName = "Duplicate GUID" }]);
        using var stream = new MemoryStream();
        // When written and read back
        AzureBuiltInRoles.Write(roles, stream);
        stream.Position = 0;
        var loaded = AzureBuiltInRoles.Load(stream);
        // Then the duplicate GUID was dropped, the id is tenant-level and everything else is kept
        Assert.Equal("test@1", loaded.SourceVersion);
        var read = Assert.Single(loaded.Roles);
        Assert.Equal("/providers/Microsoft.Authorization/roleDefinitions/11111111-1111-1111-1111-111111111111", read.Id);
        Assert.Equal("line one line \"two\"", read.Description);
        var (expected, actual) = (Assert.Single(role.Permissions), Assert.Single(read.Permissions));
        Assert.Equal<string>(expected.Actions.AsEnumerable(), actual.Actions.AsEnumerable());
        Assert.Equal<string>(expected.NotActions.AsEnumerable(), actual.NotActions.AsEnumerable());
        Assert.Equal<string>(expected.DataActions.AsEnumerable(), actual.DataActions.AsEnumerable());
        Assert.Equal<string>(expected.NotDataActions.AsEnumerable(), actual.NotDataActions.AsEnumerable());
        Assert.Equal(expected.Condition, actual.Condition);
        Assert.Equal("2.0", actual.ConditionVersion);
        Assert.Equal<string>(["/"], read.AssignableScopes.AsEnumerable());
    }

    [Theory]
    [InlineData("ciem-azure-operations\t1\tx\t0\n", 1)]
    [InlineData("ciem-azure-roles\t2\tx\t0\n", 1)]
    [InlineData("ciem-azure-roles\t1\tx\t2\n{\"name\":\"g\",\"roleName\":\"R\"}\n", 2)]
    [InlineData("ciem-azure-roles\t1\tx\t1\n{\"roleName\":\"R\"}\n", 2)]
    [InlineData("ciem-azure-roles\t1\tx\t1\n{not json\n", 2)]
    public void Load_Corrupt_ThrowsNamingTheLine(string text, int line)
    {
        // Given a corrupt catalog
        using var stream = new MemoryStream();
        using (var gzip = new GZipStream(stream, CompressionLevel.Fastest, leaveOpen: true)) { gzip.Write(Encoding.UTF8.GetBytes(text)); }
        stream.Position = 0;
        // When loaded / Then it throws naming the line
        var ex = Assert.Throws<InvalidDataException>(() => AzureBuiltInRoles.Load(stream));
        Assert.Contains($"at line {line}:", ex.Message, StringComparison.Ordinal);
    }
}
