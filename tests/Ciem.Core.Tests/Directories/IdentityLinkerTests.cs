using System.Collections.Immutable;
using Ciem.Core.Directories;
using Ciem.Core.Model;

namespace Ciem.Core.Tests.Directories;

public sealed class IdentityLinkerTests
{
    private static readonly DateTimeOffset TakenAt = new(2026, 11, 28, 6, 0, 0, TimeSpan.Zero);
    private const string PsAdmin = "arn:aws:sso:::permissionSet/ssoins-1/ps-admin";
    private const string PsRead = "arn:aws:sso:::permissionSet/ssoins-1/ps-read";
    private const string AliceEntraId = "0f1e2d3c-0000-0000-0000-00000000a11c";

    private static DirectoryUser User(DirectorySource source, string id, string? email, string? userName = null, params ExternalId[] external) =>
        new(source, id, userName, email, id, true, [], [.. external]);

    private static DirectoryGroup Group(DirectorySource source, string id, string name, string? email = null, bool dynamic = false, params DirectoryMember[] members) =>
        new(source, id, name, email, dynamic, dynamic ? "user.department -eq \"eng\"" : null, [.. members], []);

    private static DirectoryMember U(string id) => new(MemberKind.User, id);

    private static DirectoryMember G(string id) => new(MemberKind.Group, id);

    private static PermissionSet Set(string arn, string name) => new(arn, name, null, null, null, [], [], null, null);

    private static Identity SsoRole(string account, string permissionSet, string hash) =>
        new("aws", $"arn:aws:iam::{account}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_{permissionSet}_{hash}", $"AWSReservedSSO_{permissionSet}_{hash}", IdentityKind.SsoRole, account, [], null, null);

    private static DirectorySnapshot IdentityCenter(ImmutableArray<DirectoryUser> users, ImmutableArray<DirectoryGroup> groups, ImmutableArray<AccountAssignment> assignments) =>
        DirectorySnapshot.Empty(DirectorySource.IdentityCenter, "d-123", TakenAt) with
        {
            Users = users,
            Groups = groups,
            PermissionSets = [Set(PsAdmin, "AdministratorAccess"), Set(PsRead, "Read_Only")],
            AccountAssignments = assignments,
        };

    private static DirectorySnapshot Entra(ImmutableArray<DirectoryUser> users, ImmutableArray<DirectoryGroup> groups) =>
        DirectorySnapshot.Empty(DirectorySource.Entra, "tenant-1", TakenAt) with { Users = users, Groups = groups };

    [Fact]
    public void GroupsOf_NestedGroupsWithCycle_ReturnsEachGroupOnceWithShortestPath()
    {
        // Given alice in Devs, Devs in Eng, Eng in All, and All back in Devs (a cycle)
        var graph = new GroupGraph([
            Group(DirectorySource.Entra, "devs", "Devs", members: [U("alice"), G("all")]),
            Group(DirectorySource.Entra, "eng", "Eng", members: [G("devs")]),
            Group(DirectorySource.Entra, "all", "All", members: [G("eng")]),
        ]);

        // When alice's groups are resolved
        var groups = graph.GroupsOf("alice");

        // Then each group appears once, with the chain from the direct group
        Assert.Equal(["devs", "eng", "all"], groups.Select(g => g.Group.Id));
        Assert.Equal(["Devs", "Eng", "All"], groups[2].Path.Select(g => g.DisplayName));
        Assert.True(groups[0].IsDirect);
    }

    [Fact]
    public void Link_PersonInThreeClouds_OnePersonWithAwsAzureAndGcpLinksAndChains()
    {
        // Given alice in Entra (in a dynamic group nested in Platform) and in Identity Center (SCIM external id = her
        // Entra object id, a different email case), Platform assigned AdministratorAccess in two accounts, she holds a
        // role in Azure through Platform and in GCP directly and through a Google-style group address
        var ic = IdentityCenter(
            [User(DirectorySource.IdentityCenter, "ic-alice", "Alice@Example.com", "alice@example.com", new ExternalId("https://scim.aws.com/x", AliceEntraId))],
            [Group(DirectorySource.IdentityCenter, "ic-platform", "Platform", members: [U("ic-alice")])],
            [new AccountAssignment("111111111111", PsAdmin, AssignmentPrincipalType.Group, "ic-platform"), new AccountAssignment("222222222222", PsAdmin, AssignmentPrincipalType.Group, "ic-platform")]);
        var entra = Entra(
            [User(DirectorySource.Entra, AliceEntraId, "alice@example.com", "alice@example.com")],
            [Group(DirectorySource.Entra, "g-eng", "Engineers", dynamic: true, members: [U(AliceEntraId)]), Group(DirectorySource.Entra, "g-platform", "Platform", email: "platform@example.com", members: [G("g-eng")])]);
        var targets = new LinkTargets(
            [SsoRole("111111111111", "AdministratorAccess", "3f9c2d1e8b7a6c54"), SsoRole("222222222222", "AdministratorAccess", "7b1d5e3a9c2f4e60"), SsoRole("222222222222", "Read_Only", "0000000000000000")],
            ["g-platform"],
            ["user:alice@example.com", "group:platform@example.com"]);

        // When linked
        var result = IdentityLinker.Link([ic, entra], targets);

        // Then one person with both accounts, joined by immutable id, and five links with their chains
        var alice = Assert.Single(result.People);
        Assert.Equal("alice@example.com", alice.Person.Key);
        Assert.All(alice.Person.Accounts, a => Assert.Equal(MatchKind.ImmutableId, a.JoinedBy));
        Assert.Equal(["aws", "aws", "azure", "gcp", "gcp"], alice.Links.Select(l => l.Cloud));
        var aws = alice.Links[0];
        Assert.EndsWith("AWSReservedSSO_AdministratorAccess_3f9c2d1e8b7a6c54", aws.IdentityId, StringComparison.Ordinal);
        Assert.Equal("identity-center user alice@example.com → group Platform → permission set AdministratorAccess → account 111111111111", aws.ViaText);
        Assert.Equal("entra user alice@example.com → dynamic group Engineers → group Platform", alice.Links[2].ViaText);
        Assert.Contains(alice.Links, l => l.IdentityId == "group:platform@example.com");
        Assert.Empty(alice.Problems);
        Assert.Empty(result.Problems);
    }

    [Fact]
    public void Link_AddressOnTwoUsersOfOneDirectory_ReportedAmbiguousAndNothingJoined()
    {
        // Given two Entra users sharing an email and one Identity Center user with that email
        var ic = IdentityCenter([User(DirectorySource.IdentityCenter, "ic-bob", "bob@example.com")], [], []);
        var entra = Entra([User(DirectorySource.Entra, "e-bob1", "bob@example.com", "bob@example.com"), User(DirectorySource.Entra, "e-bob2", "bob@example.com", "robert@example.com")], []);

        // When linked, with `user:bob@example.com` bound in GCP
        var result = IdentityLinker.Link([ic, entra], LinkTargets.None with { GcpMembers = ["user:bob@example.com"] });

        // Then nobody is joined, the address is reported with its candidates, and the GCP member is not linked
        Assert.Equal(3, result.People.Length);
        Assert.All(result.People, p => Assert.Single(p.Person.Accounts));
        var ambiguous = result.Problems.First(p => p.Kind == LinkProblemKind.Ambiguous && p.Subject == "bob@example.com");
        Assert.Equal(2, ambiguous.Candidates.Length);
        Assert.Contains(result.Problems, p => p.Kind == LinkProblemKind.Ambiguous && p.Subject == "user:bob@example.com");
        Assert.DoesNotContain(result.People, p => p.Links.Any(l => l.Cloud == "gcp"));
        Assert.Equal(3, result.Find("BOB@example.com").Length);
    }

    [Fact]
    public void Link_JoinThatWouldGiveAPersonTwoAccountsOfOneDirectory_Refused()
    {
        // Given an Identity Center user whose external id points to Entra user A, and whose email is Entra user B's
        var ic = IdentityCenter([User(DirectorySource.IdentityCenter, "ic-carol", "carol@example.com", null, new ExternalId("entra", "e-a"))], [], []);
        var entra = Entra([User(DirectorySource.Entra, "e-a", "carol.old@example.com"), User(DirectorySource.Entra, "e-b", "carol@example.com")], []);

        // When linked
        var result = IdentityLinker.Link([ic, entra], LinkTargets.None);

        // Then the immutable id wins, the email join is refused and reported on the person
        var carol = result.People.Single(p => p.Person.Accounts.Any(a => a.User.Id == "ic-carol"));
        Assert.Equal(["ic-carol", "e-a"], carol.Person.Accounts.Select(a => a.User.Id));
        Assert.Contains(carol.Problems, p => p.Kind == LinkProblemKind.Ambiguous && p.Message.Contains("`carol@example.com`", StringComparison.Ordinal));
    }

    [Fact]
    public void Link_AssignmentWithoutRoleAndUnknownMembers_ReportedUnmatched()
    {
        // Given dave assigned Read_Only directly in an account whose SSO role is not imported, and cloud principals nobody claims
        var ic = IdentityCenter([User(DirectorySource.IdentityCenter, "ic-dave", "dave@example.com")], [],
            [new AccountAssignment("333333333333", PsRead, AssignmentPrincipalType.User, "ic-dave"), new AccountAssignment("111111111111", "arn:aws:sso:::permissionSet/ssoins-1/ps-gone", AssignmentPrincipalType.User, "ic-dave")]);
        var entra = Entra([], []);

        // When linked
        var result = IdentityLinker.Link([ic, entra], new LinkTargets([], ["ffffffff-0000-0000-0000-000000000000"], ["user:eve@example.com"]));

        // Then dave has no link and two unmatched problems; the stray Azure and GCP principals are reported
        var dave = Assert.Single(result.People);
        Assert.Empty(dave.Links);
        Assert.Equal(2, dave.Problems.Count(p => p.Kind == LinkProblemKind.Unmatched));
        Assert.Contains(result.Problems, p => p.Kind == LinkProblemKind.Unmatched && p.Subject == "user:eve@example.com");
        Assert.Contains(result.Problems, p => p.Kind == LinkProblemKind.Unmatched && p.Subject == "ffffffff-0000-0000-0000-000000000000");
    }

    [Fact]
    public void Link_ServicePrincipals_OwnersFromAppRegistrationAndOwnerlessReported()
    {
        // Given an app whose registration is owned by alice, an ownerless app and a managed identity, all holding Azure roles
        var entra = Entra([User(DirectorySource.Entra, "e-alice", "alice@example.com")], []) with
        {
            ServicePrincipals =
            [
                new DirectoryServicePrincipal(DirectorySource.Entra, "sp-deploy", "app-deploy", "deploy", ServicePrincipalKind.Application, true, []),
                new DirectoryServicePrincipal(DirectorySource.Entra, "sp-orphan", "app-orphan", "orphan", ServicePrincipalKind.Application, true, []),
                new DirectoryServicePrincipal(DirectorySource.Entra, "mi-vm", null, "vm-identity", ServicePrincipalKind.ManagedIdentity, true, []),
            ],
            Applications = [new DirectoryApplication(DirectorySource.Entra, "obj-deploy", "app-deploy", "deploy", ["e-alice"])],
        };

        // When linked
        var result = IdentityLinker.Link([entra], LinkTargets.None with { AzurePrincipalIds = ["sp-deploy", "sp-orphan", "mi-vm"] });

        // Then the deploy app is owned by alice, the orphan is reported, the managed identity is not (its resource owns it)
        var byName = result.ServiceIdentities.ToDictionary(s => s.Principal.DisplayName);
        Assert.Equal(["alice@example.com"], byName["deploy"].Owners.ToArray());
        Assert.Equal(LinkProblemKind.NoOwner, Assert.Single(byName["orphan"].Problems).Kind);
        Assert.Empty(byName["vm-identity"].Problems);
        Assert.All(result.ServiceIdentities, s => Assert.Equal("azure", Assert.Single(s.Links).Cloud));
        Assert.Single(result.Problems);
    }

    [Theory]
    [InlineData("AWSReservedSSO_AdministratorAccess_3f9c2d1e8b7a6c54", "AdministratorAccess")]
    [InlineData("AWSReservedSSO_Read_Only_0000000000000000", "Read_Only")]
    [InlineData("AWSReservedSSO_", null)]
    [InlineData("Admin", null)]
    public void PermissionSetNameOf_RoleNames_ExtractsName(string role, string? expected) =>
        Assert.Equal(expected, IdentityLinker.PermissionSetNameOf(role));
}

public sealed class IdentityLinkerFederationTests
{
    private static readonly DateTimeOffset TakenAt = new(2026, 11, 28, 6, 0, 0, TimeSpan.Zero);

    private static Identity Role(string account, string path, string name) =>
        new("aws", $"arn:aws:iam::{account}:role{path}{name}", name, IdentityKind.Role, account, [], null, null);

    [Fact]
    public void Link_GoogleNestedGroupBoundInGcp_LinkedThroughBothGroups()
    {
        // Given a Google user in Data, Data nested in All, and `group:all@x.example` bound in GCP
        var google = DirectorySnapshot.Empty(DirectorySource.Google, "C1", TakenAt) with
        {
            Users = [new DirectoryUser(DirectorySource.Google, "g-u1", "u1@x.example", "u1@x.example", "U1", true, [], [])],
            Groups =
            [
                new DirectoryGroup(DirectorySource.Google, "data", "Data", "data@x.example", false, null, [new DirectoryMember(MemberKind.User, "g-u1")], []),
                new DirectoryGroup(DirectorySource.Google, "all", "All", "ALL@x.example", false, null, [new DirectoryMember(MemberKind.Group, "data")], []),
            ],
        };

        // When linked
        var result = IdentityLinker.Link([google], LinkTargets.None with { GcpMembers = ["group:all@x.example"] });

        // Then the binding is reached through Data then All, matched by email
        var link = Assert.Single(Assert.Single(result.People).Links);
        Assert.Equal("google user u1@x.example → group Data → group All → binding member group:all@x.example", link.ViaText);
        Assert.Equal(MatchKind.Email, link.Match);
    }

    [Fact]
    public void Link_OktaSamlRoles_ArnIgnoresPathBareNameReachesEveryAccount()
    {
        // Given an Okta user assigned an AWS app with a role ARN (without its path) and a bare role name
        var okta = DirectorySnapshot.Empty(DirectorySource.Okta, "https://o.example", TakenAt) with
        {
            Users = [new DirectoryUser(DirectorySource.Okta, "00u1", "h@x.example", "h@x.example", "H", true, [], [])],
            AppAssignments = [new AppAssignment("0oa1", "AWS", true, AssignmentPrincipalType.User, "00u1", ["arn:aws:iam::111111111111:role/Deploy", "Viewer"])],
        };
        var aws = new[] { Role("111111111111", "/ci/", "Deploy"), Role("111111111111", "/", "Viewer"), Role("222222222222", "/", "Viewer"), Role("222222222222", "/", "Deploy") };

        // When linked
        var result = IdentityLinker.Link([okta], LinkTargets.None with { Aws = [.. aws] });

        // Then three roles: Deploy in 111 only (its path ignored), Viewer in both accounts
        Assert.Equal(
            ["arn:aws:iam::111111111111:role/Viewer", "arn:aws:iam::111111111111:role/ci/Deploy", "arn:aws:iam::222222222222:role/Viewer"],
            Assert.Single(result.People).Links.Select(l => l.IdentityId));
        Assert.Empty(result.Problems);
    }

    [Fact]
    public void Link_ThousandsOfUsersAndAssignments_EveryoneJoinedAndLinked()
    {
        // Given 3,000 people in Identity Center (SCIM from Entra) and Entra, in 100 groups, each group assigned in one of 20 accounts
        const int People = 3000, Groups = 100, Accounts = 20;
        string Account(int a) => (100000000000L + a).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var ic = DirectorySnapshot.Empty(DirectorySource.IdentityCenter, "d-1", TakenAt) with
        {
            Users = [.. Enumerable.Range(0, People).Select(i => new DirectoryUser(DirectorySource.IdentityCenter, $"ic-{i}", $"p{i}@x.example", $"p{i}@x.example", $"P{i}", true, [], [new ExternalId("scim", $"e-{i}")]))],
            Groups = [.. Enumerable.Range(0, Groups).Select(g => new DirectoryGroup(DirectorySource.IdentityCenter, $"g-{g}", $"G{g}", null, false, null, [.. Enumerable.Range(0, People).Where(i => i % Groups == g).Select(i => new DirectoryMember(MemberKind.User, $"ic-{i}"))], []))],
            PermissionSets = [new PermissionSet("ps", "Dev", null, null, null, [], [], null, null)],
            AccountAssignments = [.. Enumerable.Range(0, Groups).Select(g => new AccountAssignment(Account(g % Accounts), "ps", AssignmentPrincipalType.Group, $"g-{g}"))],
        };
        var entra = DirectorySnapshot.Empty(DirectorySource.Entra, "t", TakenAt) with
        {
            Users = [.. Enumerable.Range(0, People).Select(i => new DirectoryUser(DirectorySource.Entra, $"e-{i}", $"p{i}@x.example", $"p{i}@x.example", $"P{i}", true, [], []))],
        };
        var roles = Enumerable.Range(0, Accounts).Select(a => new Identity("aws", $"arn:aws:iam::{Account(a)}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Dev_0123456789abcdef", "AWSReservedSSO_Dev_0123456789abcdef", IdentityKind.SsoRole, Account(a), [], null, null));

        // When linked
        var result = IdentityLinker.Link([ic, entra], LinkTargets.None with { Aws = [.. roles] });

        // Then every person has both accounts and exactly one SSO role
        Assert.Equal(People, result.People.Length);
        Assert.All(result.People, p => Assert.Equal(2, p.Person.Accounts.Length));
        Assert.All(result.People, p => Assert.Single(p.Links));
        Assert.Empty(result.Problems);
    }

    [Fact]
    public void Link_EntraDirectoryRoles_ThroughRoleAssignableGroupAndForServicePrincipals()
    {
        // Given a user in a role-assignable group holding Global Administrator, and a service principal holding another role
        var entra = DirectorySnapshot.Empty(DirectorySource.Entra, "t", TakenAt) with
        {
            Users = [new DirectoryUser(DirectorySource.Entra, "u", "u@x.example", "u@x.example", "U", true, [], [])],
            Groups = [new DirectoryGroup(DirectorySource.Entra, "admins", "Tenant Admins", null, false, null, [new DirectoryMember(MemberKind.User, "u")], [])],
            ServicePrincipals = [new DirectoryServicePrincipal(DirectorySource.Entra, "sp", "app", "app", ServicePrincipalKind.Application, true, ["u"])],
            DirectoryRoles =
            [
                new DirectoryRole("r1", "Global Administrator", "62e90394-69f5-4237-9190-012177145e10", [new DirectoryMember(MemberKind.Group, "admins")]),
                new DirectoryRole("r2", "Application Administrator", null, [new DirectoryMember(MemberKind.ServicePrincipal, "sp")]),
            ],
        };

        // When linked
        var result = IdentityLinker.Link([entra], LinkTargets.None);

        // Then the user holds Global Administrator through the group (by template id), the app its role (by role id)
        var link = Assert.Single(Assert.Single(result.People).Links);
        Assert.Equal(("entra", "62e90394-69f5-4237-9190-012177145e10"), (link.Cloud, link.IdentityId));
        Assert.Equal("entra user u@x.example → group Tenant Admins → directory role Global Administrator", link.ViaText);
        Assert.Equal("r2", Assert.Single(Assert.Single(result.ServiceIdentities).Links).IdentityId);
    }
}
