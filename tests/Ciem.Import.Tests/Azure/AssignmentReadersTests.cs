using Ciem.Core.Azure;
using Ciem.Core.Diagnostics;
using Ciem.Import.Azure;

namespace Ciem.Import.Tests.Azure;

public sealed class AssignmentReadersTests
{
    [Fact]
    public void RoleAssignments_CliOutput_ReadsEveryField()
    {
        // Given `az role assignment list --all` output
        using var stream = AzureSamples.Open("role-assignments.cli.json");

        // When read
        var result = RoleAssignmentsReader.Read(stream, "ra.json");

        // Then three assignments with principal, role, scope and condition
        Assert.Equal(new ImportCounts(3, 0, 0), result.Counts);
        var owner = result.Value[0];
        Assert.Equal("aaaaaaaa-0000-0000-0000-000000000001", owner.PrincipalId);
        Assert.Equal("User", owner.PrincipalType);
        Assert.Equal("alice@contoso.com", owner.PrincipalName);
        Assert.Equal("8e3af657-a8ff-443c-a75c-2fe8c4bcb635", owner.RoleDefinitionGuid);
        Assert.Null(owner.Condition);
        var conditional = result.Value[1];
        Assert.Equal("2.0", conditional.ConditionVersion);
        Assert.StartsWith("((!(ActionMatches", conditional.Condition, StringComparison.Ordinal);
        Assert.Equal("/providers/Microsoft.Management/managementGroups/contoso", result.Value[2].Scope);
    }

    [Fact]
    public void RoleAssignments_ArmRest_ReadsUnderProperties()
    {
        // Given an ARM REST list / When read / Then fields come from `properties`
        using var stream = AzureSamples.Open("role-assignments.arm.json");
        var assignment = Assert.Single(RoleAssignmentsReader.Read(stream, "ra.json").Value);
        Assert.Equal("18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", assignment.RoleDefinitionGuid);
        Assert.Equal("/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-app", assignment.Scope);
    }

    [Theory]
    [InlineData("""[{"id":"x","roleDefinitionId":"r","scope":"/"}]""", DiagnosticCodes.AzureMissingField, "$[0]")]
    [InlineData("""[{"id":"x","principalId":"p","roleDefinitionId":"r","scope":"subscriptions/s"}]""", DiagnosticCodes.AzureBadScope, "$[0].scope")]
    [InlineData("""{"value":[{"id":"x","properties":{"principalId":"p","roleDefinitionId":"r","scope":"rg"}}]}""", DiagnosticCodes.AzureBadScope, "$.value[0].properties.scope")]
    public void RoleAssignments_BadRecord_QuarantinedAtPath(string json, string code, string path)
    {
        // Given a bad assignment / When read / Then quarantined with code and JSON path
        var result = RoleAssignmentsReader.Read(TestData.Stream(json), "ra.json");
        Assert.Equal(new ImportCounts(0, 0, 1), result.Counts);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(code, diagnostic.Code);
        Assert.Equal(path, diagnostic.Location!.JsonPath);
    }

    [Fact]
    public void DenyAssignments_ArmRest_ReadsPrincipalsAndExclusions()
    {
        // Given a deployment-stack deny assignment / When read
        using var stream = AzureSamples.Open("deny-assignments.arm.json");
        var deny = Assert.Single(DenyAssignmentsReader.Read(stream, "deny.json").Value);

        // Then everyone is denied `*/delete` except the excluded service principal
        Assert.True(Assert.Single(deny.Principals).IsEveryone);
        Assert.Equal("cccccccc-0000-0000-0000-000000000003", Assert.Single(deny.ExcludePrincipals).Id);
        Assert.Equal(["*/delete"], deny.Permissions[0].Actions.ToArray());
        Assert.False(deny.DoNotApplyToChildScopes);
        Assert.True(deny.IsSystemProtected);
        Assert.StartsWith("Deny assignment 'protect-storage'", deny.Name, StringComparison.Ordinal);
    }

    [Fact]
    public void DenyAssignments_PrincipalWithoutId_Quarantined()
    {
        // Given a deny assignment whose principal has no id
        const string json = """[{"id":"d","scope":"/subscriptions/s","permissions":[{"actions":["*"]}],"principals":[{"type":"User"}]}]""";

        // When read / Then it is quarantined at the principal
        var result = DenyAssignmentsReader.Read(TestData.Stream(json), "deny.json");
        Assert.Equal(new ImportCounts(0, 0, 1), result.Counts);
        Assert.Equal("$[0].principals[0]", Assert.Single(result.Diagnostics).Location!.JsonPath);
    }

    [Fact]
    public void EligibleAssignments_ArmRest_ReadsWindow()
    {
        // Given roleEligibilityScheduleInstances / When read
        using var stream = AzureSamples.Open("eligibility-schedule-instances.arm.json");
        var eligible = Assert.Single(EligibleAssignmentsReader.Read(stream, "pim.json").Value);

        // Then principal, role, scope and window are there
        Assert.Equal("18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", eligible.RoleDefinitionGuid);
        Assert.Equal("Provisioned", eligible.Status);
        Assert.Equal("Direct", eligible.MemberType);
        Assert.Equal(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), eligible.EndDateTime);
    }

    [Fact]
    public void EligibleAssignments_BadDate_WarnsAndKeepsRecord()
    {
        // Given an eligible assignment with an unreadable end date
        const string json = """{"value":[{"id":"e","properties":{"principalId":"p","roleDefinitionId":"r","scope":"/subscriptions/s","endDateTime":"soon"}}]}""";

        // When read / Then imported, date empty, warning at the field
        var result = EligibleAssignmentsReader.Read(TestData.Stream(json), "pim.json");
        Assert.Null(Assert.Single(result.Value).EndDateTime);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(Severity.Warning, diagnostic.Severity);
        Assert.Equal("$.value[0].properties.endDateTime", diagnostic.Location!.JsonPath);
    }
}
