using Ciem.Core.Diagnostics;
using Ciem.Import.Azure;
using Ciem.Tests;

namespace Ciem.Import.Tests.Azure;

[Trait("Category", "SharedData")]
public sealed class RoleDefinitionsReaderTests
{
    [Fact]
    public void ReadFiles_AllBuiltInRoles_ImportsEveryOneWithExactCounts()
    {
        // Given the 928 built-in roles, one `az role definition list` object per file
        var files = AzureSamples.BuiltInRoleFiles();

        // When read
        var result = RoleDefinitionsReader.ReadFiles(files);

        // Then all are imported, none skipped, and the figures of SOURCE.md hold
        Assert.Equal(928, files.Length);
        Assert.Equal(new ImportCounts(928, 0, 0), result.Counts);
        Assert.Empty(result.Diagnostics);
        var roles = result.Value;
        Assert.All(roles, r => Assert.True(r.IsBuiltIn));
        Assert.Equal(790, roles.Count(r => r.Permissions.Any(p => !p.Actions.IsEmpty)));
        Assert.Equal(318, roles.Count(r => r.Permissions.Any(p => !p.DataActions.IsEmpty)));
        Assert.Equal(44, roles.Count(r => r.Permissions.Any(p => !p.NotActions.IsEmpty)));
        Assert.Equal(27, roles.Count(r => r.Permissions.Any(p => !p.NotDataActions.IsEmpty)));
        Assert.Equal(29, roles.Count(r => r.Permissions.Any(p => p.Condition is not null)));
        Assert.Equal(31, roles.Sum(r => r.Permissions.Count(p => p.Condition is not null)));
        var owner = Assert.Single(roles, r => r.RoleName == "Owner");
        Assert.Equal("8e3af657-a8ff-443c-a75c-2fe8c4bcb635", owner.Name);
        Assert.Equal(["*"], owner.Permissions[0].Actions.ToArray());
    }

    [Fact]
    public void Read_SecondSnapshotAsOneArray_AgreesWithTheFirst()
    {
        // Given the independent snapshot of the same roles as one array without `id`
        using var stream = File.OpenRead(TestPaths.Shared("iam-dataset", "azure", "built-in-roles-raw.json"));

        // When read
        var result = RoleDefinitionsReader.Read(stream, "built-in-roles-raw.json");
        var first = RoleDefinitionsReader.ReadFiles(AzureSamples.BuiltInRoleFiles()).Value;

        // Then the same 928 GUIDs are imported and ids are derived from the GUID
        Assert.Equal(new ImportCounts(928, 0, 0), result.Counts);
        Assert.Equal(first.Select(r => r.Name).Order(StringComparer.Ordinal), result.Value.Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.All(result.Value, r => Assert.Equal($"/providers/Microsoft.Authorization/roleDefinitions/{r.Name}", r.Id));
    }

    [Fact]
    public void Read_ArmRestShape_ReadsUnderProperties()
    {
        // Given an ARM REST list of one custom role
        const string json = """
            {"value":[{"id":"/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/c0000000-0000-0000-0000-000000000001",
              "name":"c0000000-0000-0000-0000-000000000001","type":"Microsoft.Authorization/roleDefinitions",
              "properties":{"roleName":"VM Operator","type":"CustomRole","description":"start and stop",
                "assignableScopes":["/subscriptions/s"],
                "permissions":[{"actions":["Microsoft.Compute/virtualMachines/start/action"],"notActions":[],"dataActions":[],"notDataActions":[]}]}}]}
            """;

        // When read
        var result = RoleDefinitionsReader.Read(TestData.Stream(json), "custom.json");

        // Then the role comes from `properties`
        var role = Assert.Single(result.Value);
        Assert.Equal("VM Operator", role.RoleName);
        Assert.False(role.IsBuiltIn);
        Assert.Equal(["/subscriptions/s"], role.AssignableScopes.ToArray());
    }

    [Fact]
    public void Read_NonStringAction_QuarantinesWithJsonPath()
    {
        // Given a role whose second action is a number, and a good role
        const string json = """
            [{"name":"g1","roleName":"Bad","permissions":[{"actions":["a/read", 7]}]},
             {"name":"g2","roleName":"Good","permissions":[{"actions":["a/read"]}]}]
            """;

        // When read
        var result = RoleDefinitionsReader.Read(TestData.Stream(json), "roles.json");

        // Then the bad one is quarantined with its location, the good one imported
        Assert.Equal(new ImportCounts(1, 0, 1), result.Counts);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.AzureBadRecord, diagnostic.Code);
        Assert.Equal("$[0].permissions[0].actions[1]", diagnostic.Location!.JsonPath);
        Assert.Equal("roles.json", diagnostic.Location.File);
        Assert.Equal("$[0]", Assert.Single(result.Quarantine).Location.JsonPath);
    }

    [Theory]
    [InlineData("""[{"name":"g1","permissions":[]}]""", DiagnosticCodes.AzureMissingField, "has no `roleName`")]
    [InlineData("""[{"name":"g1","roleName":"R"}]""", DiagnosticCodes.AzureMissingField, "has no `permissions` array")]
    [InlineData("""[{"name":"g1","roleName":"R","permissions":[{"actions":"*"}]}]""", DiagnosticCodes.AzureBadRecord, "must be an array of strings")]
    [InlineData("""[42]""", DiagnosticCodes.AzureBadRecord, "must be a json object")]
    public void Read_BadRecord_IsQuarantinedWithMessage(string json, string code, string message)
    {
        // Given a bad record / When read / Then it is quarantined with a located, coded message
        var result = RoleDefinitionsReader.Read(TestData.Stream(json), "roles.json");
        Assert.Equal(new ImportCounts(0, 0, 1), result.Counts);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(code, diagnostic.Code);
        Assert.Contains(message, diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal(Severity.Error, diagnostic.Severity);
    }

    [Fact]
    public void Read_NotJson_ImportsNothing()
    {
        // Given a truncated file / When read / Then nothing from it is imported, with the line
        var result = RoleDefinitionsReader.Read(TestData.Stream("[{\"name\":\"g1\",\"roleName\":\"R\",\"permissions\":[]},\n{\"name\":"), "cut.json");
        Assert.Empty(result.Value);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.AzureNotJson, diagnostic.Code);
        Assert.Equal(2, diagnostic.Location!.Line);
    }

    [Fact]
    public void Read_Duplicate_KeepsFirstAndCountsSkipped()
    {
        // Given the same GUID twice, differing in case
        const string json = """[{"name":"G1","roleName":"A","permissions":[]},{"name":"g1","roleName":"B","permissions":[]}]""";

        // When read / Then the first is kept and the second skipped with a warning
        var result = RoleDefinitionsReader.Read(TestData.Stream(json), "roles.json");
        Assert.Equal(new ImportCounts(1, 1, 0), result.Counts);
        Assert.Equal("A", Assert.Single(result.Value).RoleName);
        Assert.Equal(DiagnosticCodes.AzureDuplicate, Assert.Single(result.Diagnostics).Code);
    }
}
