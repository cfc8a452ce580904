using Ciem.Core.Diagnostics;
using Ciem.Core.Directories;
using Ciem.Import.Directories;

namespace Ciem.Import.Tests.Directories;

[Trait("Category", "SharedData")]
public sealed class DirectoryReadersTests
{
    [Fact]
    public void IdentityCenter_Sample_ReadsUsersGroupsPermissionSetsAndAssignments()
    {
        // Given / When the sample Identity Center bundle is read
        var result = IdentityCenterReader.ReadFile(TestData.Sample("directory", "identity-center.json"), TestData.TakenAt);

        // Then everything is imported without diagnostics
        Assert.Empty(result.Diagnostics);
        var s = result.Value!;
        Assert.Equal("d-9067a1b2c3", s.TenantId);
        Assert.Equal(3, s.Users.Length);
        var alice = s.Users.Single(u => u.UserName == "alice@acme.example");
        Assert.Equal("Alice.Martin@acme.example", alice.Email);
        Assert.Equal("4f1c2a9e-6b7d-4e21-9a35-0c8d7e6f5a41", Assert.Single(alice.ExternalIds).Id);
        Assert.Equal(alice.Id, Assert.Single(s.Groups.Single(g => g.DisplayName == "Platform").Members).Id);
        var audit = s.PermissionSets.Single(p => p.Name == "SecurityAudit");
        Assert.Equal(["arn:aws:iam::aws:policy/SecurityAudit"], audit.AwsManagedPolicyArns.ToArray());
        Assert.Contains("s3:GetObject", audit.InlinePolicy, StringComparison.Ordinal);
        Assert.Equal(4, s.AccountAssignments.Length);
        Assert.Equal(new ImportCounts(3 + 2 + 2 + 4, 0, 0), result.Counts);
    }

    [Fact]
    public void IdentityCenter_BadRecords_QuarantinedDanglingReportedWithLocation()
    {
        // Given a bundle with a user without id, a membership to an unknown user, a bad inline policy and a duplicate user
        const string json = """
        {
          "list-users": [ { "Users": [ { "UserName": "x" }, { "UserId": "u1", "UserName": "a@x.example" } ] }, { "Users": [ { "UserId": "u1" } ] } ],
          "list-group-memberships": { "g1": { "GroupMemberships": [ { "GroupId": "g1", "MemberId": { "UserId": "u9" } } ] } },
          "describe-permission-set": { "ps1": { "PermissionSet": { "Name": "P", "PermissionSetArn": "ps1" } } },
          "get-inline-policy-for-permission-set": { "ps1": { "InlinePolicy": "{not json" } },
          "extra": 1
        }
        """;

        // When read
        var result = IdentityCenterReader.Read(TestData.Stream(json), "ic.json", TestData.TakenAt);

        // Then: 1 user imported, 1 skipped duplicate, 2 quarantined; the unknown member and user are reported where they are
        Assert.Equal(new ImportCounts(1, 1, 2), result.Counts);
        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.DirectoryMissingField && d.Location!.JsonPath == "$['list-users'][0].Users[0]");
        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.DirectoryDuplicate);
        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.DirectoryBadPolicy && d.Location!.File == "ic.json");
        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.DirectoryDanglingReference && d.Message.Contains("`u9`", StringComparison.Ordinal));
        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.DirectoryUnknownFormat && d.Severity == Severity.Warning);
        Assert.Equal(2, result.Quarantine.Length);
    }

    [Fact]
    public void IdentityCenter_NotABundle_ErrorAndNothing()
    {
        var result = IdentityCenterReader.Read(TestData.Stream("""{"users": []}"""), "x.json", TestData.TakenAt);
        Assert.Null(result.Value);
        Assert.Equal(DiagnosticCodes.DirectoryUnknownFormat, Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public void Entra_Sample_ReadsNestedDynamicGroupsServicePrincipalsAndOwners()
    {
        // Given / When the sample Entra bundle is read
        var result = EntraReader.ReadFile(TestData.Sample("directory", "entra.json"), TestData.TakenAt);

        // Then users, the dynamic group nested in a mail-enabled group, three service principals and the owned app
        Assert.Empty(result.Diagnostics);
        var s = result.Value!;
        Assert.Equal("72f988bf-0000-4000-8000-acme00000001", s.TenantId);
        Assert.Equal(3, s.Users.Length);
        var dynamic = s.Groups.Single(g => g.IsDynamic);
        Assert.Equal("user.department -eq \"Engineering\"", dynamic.MembershipRule);
        var owners = s.Groups.Single(g => !g.IsDynamic);
        Assert.Equal(new DirectoryMember(MemberKind.Group, dynamic.Id), Assert.Single(owners.Members));
        Assert.Equal(ServicePrincipalKind.ManagedIdentity, s.ServicePrincipals.Single(p => p.DisplayName == "vm-batch-01").Kind);
        Assert.Equal(["4f1c2a9e-6b7d-4e21-9a35-0c8d7e6f5a41"], Assert.Single(s.Applications).Owners.ToArray());
        var global = s.DirectoryRoles.Single(r => r.Name == "Global Administrator");
        Assert.Equal("62e90394-69f5-4237-9190-012177145e10", global.TemplateId);
        Assert.Equal(MemberKind.ServicePrincipal, Assert.Single(s.DirectoryRoles.Single(r => r.Name == "Application Administrator").Members).Kind);
        Assert.Equal(new ImportCounts(3 + 2 + 3 + 1 + 2, 0, 0), result.Counts);
    }

    [Fact]
    public void Entra_GroupMemberMissingFromExport_ReportedDangling()
    {
        const string json = """{"users": {"value": []}, "groups": {"value": [{"id": "g", "displayName": "G", "members": [{"@odata.type": "#microsoft.graph.user", "id": "u-gone"}]}]}}""";
        var result = EntraReader.Read(TestData.Stream(json), "entra.json", TestData.TakenAt);
        Assert.Equal(DiagnosticCodes.DirectoryDanglingReference, Assert.Single(result.Diagnostics).Code);
        Assert.Single(result.Value!.Groups);
    }
}

[Trait("Category", "SharedData")]
public sealed class OktaReaderTests
{
    [Fact]
    public void Okta_Sample_ReadsUsersGroupMembersAndAwsAppAssignments()
    {
        // Given / When the sample Okta bundle is read
        var result = OktaReader.ReadFile(TestData.Sample("directory", "okta.json"), TestData.TakenAt);

        // Then three users (one deprovisioned), the group with bob, and two AWS app assignments with their SAML roles
        Assert.Empty(result.Diagnostics);
        var s = result.Value!;
        Assert.Equal("https://acme.okta.example", s.TenantId);
        Assert.False(s.Users.Single(u => u.UserName == "frank@acme.example").Enabled);
        Assert.Equal("Bob Okafor", s.Users.Single(u => u.Id == "00u1b0bexample0001").DisplayName);
        Assert.Equal("00u1b0bexample0001", Assert.Single(Assert.Single(s.Groups).Members).Id);
        var group = s.AppAssignments.Single(a => a.PrincipalType == AssignmentPrincipalType.Group);
        Assert.True(group.IsAws);
        Assert.Equal("AWS Production", group.AppName);
        Assert.Equal(["arn:aws:iam::222222222222:role/ReadOnlyCrossAccount"], group.Roles.ToArray());
        Assert.Equal(["OrganizationAccountAccessRole", "BillingViewer"], s.AppAssignments.Single(a => a.PrincipalType == AssignmentPrincipalType.User).Roles.ToArray());
        Assert.Equal(new ImportCounts(3 + 1 + 2, 0, 0), result.Counts);
    }

    [Fact]
    public void Okta_AssignmentToUnknownApp_ReportedDangling()
    {
        const string json = """{"users": [], "app-users": {"0oa-gone": [{"id": "00u1"}]}}""";
        var result = OktaReader.Read(TestData.Stream(json), "okta.json", TestData.TakenAt);
        Assert.Equal(DiagnosticCodes.DirectoryDanglingReference, Assert.Single(result.Diagnostics).Code);
        Assert.False(Assert.Single(result.Value!.AppAssignments).IsAws);
    }
}

[Trait("Category", "SharedData")]
public sealed class GoogleReaderTests
{
    [Fact]
    public void Google_Sample_ReadsUsersAndNestedGroupsWithEmails()
    {
        // Given / When the sample Google Workspace bundle is read
        var result = GoogleReader.ReadFile(TestData.Sample("directory", "google.json"), TestData.TakenAt);

        // Then two users (one suspended, so disabled), other emails kept, and the group nested in another
        Assert.Empty(result.Diagnostics);
        var s = result.Value!;
        Assert.Equal("C01acme23", s.TenantId);
        var alice = s.Users.Single(u => u.Id == "104633870000000000001");
        Assert.Equal(["alice@acme.example"], alice.OtherEmails.ToArray());
        Assert.False(s.Users.Single(u => u.Id == "104633870000000000002").Enabled);
        var all = s.Groups.Single(g => g.Email == "gcp-all@acme.example");
        Assert.Equal(new DirectoryMember(MemberKind.Group, "03x1data0001"), Assert.Single(all.Members));
        Assert.Equal(new ImportCounts(4, 0, 0), result.Counts);
    }
}
