using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.Inventory;
using Ciem.Core.Diagnostics;
using Ciem.Core.Model;

namespace Ciem.Core.Tests.Aws.Effective;

public sealed class AwsEffectivePermissionCalculatorTests
{
    private const string Account = "222222222222";
    private static readonly AwsActionCatalog Catalog = AwsActionCatalog.Default;
    private static readonly DateTimeOffset TakenAt = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private static string Policy(params string[] statements) => $$"""{"Version":"2012-10-17","Statement":[{{string.Join(",", statements)}}]}""";

    private static string Allow(string action, string resource = "\"*\"", string? condition = null) =>
        $$"""{"Effect":"Allow","Action":{{action}},"Resource":{{resource}}{{(condition is null ? "" : $",\"Condition\":{condition}")}}}""";

    private static string Deny(string action, string resource = "\"*\"", string? condition = null) =>
        $$"""{"Effect":"Deny","Action":{{action}},"Resource":{{resource}}{{(condition is null ? "" : $",\"Condition\":{condition}")}}}""";

    private static IamRole Role(string name, string[] inline, string[]? managed = null, string? boundary = null, string path = "/") => new(
        $"arn:aws:iam::{Account}:role{path}{name}", name, "AROA" + name.ToUpperInvariant(), path, TakenAt,
        """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}""",
        [.. inline.Select((doc, i) => new InlinePolicy($"inline{i}", doc))], [.. managed ?? []], boundary, [], [], null, null, null);

    private static ManagedPolicy Managed(string name, string document) =>
        new($"arn:aws:iam::{Account}:policy/{name}", name, "ANPA" + name.ToUpperInvariant(), "/", "v1", document, TakenAt, TakenAt);

    private static AwsEffectivePermissions Compute(IamRole role, ManagedPolicy[]? policies = null, AwsOrganization? org = null, IamUser[]? users = null, IamGroup[]? groups = null)
    {
        var account = new AwsAccountSnapshot(Account, TakenAt, [.. users ?? []], [.. groups ?? []], [role], [.. policies ?? []]);
        var estate = AwsEstate.Build(new AwsInventory([account], org, [], []));
        var context = estate.Identities.Single(i => i.Identity.Id == role.Arn);
        return new AwsEffectivePermissionCalculator(Catalog).Compute(context);
    }

    private static AwsOrganization Org(string managementAccount, params (string Target, string Document)[] scps) => new(
        "o-exampleorg1", managementAccount, TakenAt, "r-root",
        [new OrgUnit("r-root", "Root", null, true), new OrgUnit("ou-prod", "Prod", "r-root", false)],
        [new OrgAccount(Account, "prod", null, "ACTIVE", "ou-prod"), new OrgAccount("111111111111", "mgmt", null, "ACTIVE", "r-root")],
        [.. scps.Select((s, i) => new OrgPolicy($"p-{i}", $"scp{i}", OrgPolicyKind.Scp, s.Document, false, [s.Target]))]);

    [Fact]
    public void Compute_ServiceWildcard_GrantsEveryActionOfTheService()
    {
        // Given a role allowed s3:* on one bucket
        var role = Role("reader", [Policy(Allow("\"s3:*\"", "\"arn:aws:s3:::b/*\""))]);

        // When its effective permissions are computed
        var p = Compute(role);

        // Then it holds exactly the catalog's s3 actions, none of them unconditionally on every resource
        Assert.Equal(Catalog.Expand("s3:*").Count, p.GrantedCount);
        Assert.True(p.GrantedCount > 100);
        Assert.True(p.AllowedUnconditionally.IsEmpty);
        Assert.False(p.IsAdministrator);
        Assert.Equal(IdentityKind.ServiceIdentity, p.Context.Identity.Kind);
    }

    [Fact]
    public void Compute_NotAction_GrantsTheComplement()
    {
        // Given PowerUserAccess-like NotAction on iam, organizations and account
        var role = Role("power", [Policy("""{"Effect":"Allow","NotAction":["iam:*","organizations:*","account:*"],"Resource":"*"}""")]);

        // When computed / Then everything but those services is granted unconditionally, and it is not admin
        var p = Compute(role);
        var excluded = Catalog.ExpandMany(["iam:*", "organizations:*", "account:*"]).Count;
        Assert.Equal(Catalog.Count - excluded, p.GrantedCount);
        Assert.Equal(p.GrantedCount, p.AllowedUnconditionally.Count);
        Assert.False(p.IsAdministrator);
    }

    [Fact]
    public void Compute_FullDeny_RemovesActions_PartialDeny_LimitsThem()
    {
        // Given admin access with an unconditional deny on iam:* and a conditional deny on ec2:TerminateInstances
        var role = Role("admin", [Policy(
            Allow("\"*\""),
            Deny("\"iam:*\""),
            Deny("\"ec2:TerminateInstances\"", condition: """{"Bool":{"aws:MultiFactorAuthPresent":"false"}}"""))]);

        // When computed
        var p = Compute(role);

        // Then iam is gone entirely, TerminateInstances stays but is limited by the deny statement
        Assert.Equal(Catalog.Count - Catalog.Expand("iam:*").Count, p.GrantedCount);
        Assert.False(p.Allowed.Overlaps(Catalog.Expand("iam:*")));
        Catalog.TryGetAction("ec2:TerminateInstances", out var terminate);
        Assert.True(p.Allowed.Contains(terminate!));
        Assert.False(p.AllowedUnconditionally.Contains(terminate!));
        var limit = Assert.Single(p.Grants.Single().Limits);
        Assert.Equal(2, limit.Statement.Statement);
        Assert.Contains("aws:MultiFactorAuthPresent", limit.Reason, StringComparison.Ordinal);
        Assert.False(p.IsAdministrator); // no iam escalation action remains
    }

    [Fact]
    public void Compute_Boundary_IntersectsGrants()
    {
        // Given s3:* and dynamodb:* granted, a boundary that allows s3:Get* and sqs:*
        var boundary = Managed("Boundary", Policy(Allow("[\"s3:Get*\",\"sqs:*\"]")));
        var role = Role("bounded", [Policy(Allow("[\"s3:*\",\"dynamodb:*\"]"))], boundary: boundary.Arn);

        // When computed / Then only s3:Get* remains (the boundary grants nothing by itself)
        var p = Compute(role, [boundary]);
        Assert.Equal(Catalog.Expand("s3:Get*"), p.Allowed);
    }

    [Fact]
    public void Compute_ScpChain_EveryLevelCaps_AndManagementAccountIsExempt()
    {
        // Given an identity with ec2:* and s3:*, the root allows everything, the OU allows only s3:*
        var role = Role("worker", [Policy(Allow("[\"ec2:*\",\"s3:*\"]"))]);
        var fullAccess = Policy(Allow("\"*\""));
        var s3Only = Policy(Allow("\"s3:*\""));

        // When computed in a member account / Then ec2 is capped away
        var member = Compute(role, org: Org("111111111111", ("r-root", fullAccess), ("ou-prod", s3Only), (Account, fullAccess)));
        Assert.Equal(Catalog.Expand("s3:*"), member.Allowed);

        // When the same account is the management account / Then SCPs do not apply
        var management = Compute(role, org: Org(Account, ("r-root", fullAccess), ("ou-prod", s3Only), (Account, fullAccess)));
        Assert.Equal(Catalog.ExpandMany(["ec2:*", "s3:*"]), management.Allowed);
    }

    [Fact]
    public void Compute_ServiceLinkedRole_IsExemptFromScps()
    {
        var role = Role("AWSServiceRoleForX", [Policy(Allow("\"ec2:*\""))], path: "/aws-service-role/x.amazonaws.com/");
        var p = Compute(role, org: Org("111111111111", ("r-root", Policy(Deny("\"*\""), Allow("\"*\""))), ("ou-prod", Policy(Allow("\"*\""))), (Account, Policy(Allow("\"*\"")))));
        Assert.Equal(Catalog.Expand("ec2:*").Count, p.GrantedCount);
        Assert.Equal(IdentityKind.ServiceLinkedRole, p.Context.Identity.Kind);
    }

    [Theory]
    [InlineData("\"iam:PutRolePolicy\"", "\"*\"", true)]
    [InlineData("\"iam:PutRolePolicy\"", "\"arn:aws:iam::222222222222:role/app\"", false)]
    [InlineData("\"iam:Get*\"", "\"*\"", false)]
    [InlineData("\"iam:*\"", "\"*\"", true)]
    public void Compute_EscalationActionOnEveryResource_IsAdministrator(string action, string resource, bool admin)
    {
        var p = Compute(Role("r", [Policy(Allow(action, resource))]));
        Assert.Equal(admin, p.IsAdministrator);
        Assert.False(p.IsFullAdministrator);
    }

    [Fact]
    public void Compute_AdministratorAccess_IsFullAdministrator_EvenWhenMfaConditionalIsOnlyAdministrator()
    {
        Assert.True(Compute(Role("a", [Policy(Allow("\"*\""))])).IsFullAdministrator);
        var mfa = Compute(Role("b", [Policy(Allow("\"*\"", condition: """{"Bool":{"aws:MultiFactorAuthPresent":"true"}}"""))]));
        Assert.True(mfa.IsAdministrator);
        Assert.False(mfa.IsFullAdministrator);
        Assert.Equal(Catalog.Count, mfa.GrantedCount);
    }

    [Fact]
    public void Compute_MissingManagedPolicy_IndeterminateWithDiagnostic()
    {
        // Given a role whose attached policy is not in the export
        var role = Role("r", [Policy(Allow("\"s3:GetObject\""))], managed: [$"arn:aws:iam::{Account}:policy/Gone"]);
        var account = new AwsAccountSnapshot(Account, TakenAt, [], [], [role], []);

        // When the estate is built and the role computed
        var estate = AwsEstate.Build(new AwsInventory([account], null, [], []));
        var p = new AwsEffectivePermissionCalculator(Catalog).Compute(estate.Identities.Single());

        // Then the gap is reported and everything else the role might do is indeterminate, never granted
        Assert.Contains(estate.Diagnostics, d => d.Code == DiagnosticCodes.ImportDanglingReference && d.Message.Contains("policy/Gone", StringComparison.Ordinal));
        Assert.Equal(1, p.GrantedCount);
        Assert.Equal(Catalog.Count - 1, p.Indeterminate.Count);
    }

    [Fact]
    public void Compute_UserInGroups_UnionOfOwnAndGroupPolicies()
    {
        // Given a user with an inline policy and two groups (one inline, one managed policy)
        var managed = Managed("GroupManaged", Policy(Allow("\"sqs:SendMessage\"")));
        var groups = new[]
        {
            new IamGroup($"arn:aws:iam::{Account}:group/dev", "dev", "AGPA1", "/", TakenAt, [new InlinePolicy("g", Policy(Allow("\"s3:GetObject\"")))], []),
            new IamGroup($"arn:aws:iam::{Account}:group/ops", "ops", "AGPA2", "/", TakenAt, [], [managed.Arn]),
        };
        var user = new IamUser($"arn:aws:iam::{Account}:user/dana", "dana", "AIDA1", "/", TakenAt, ["dev", "ops", "missing"], [new InlinePolicy("own", Policy(Allow("\"sns:Publish\"")))], [], null, [], null);
        var account = new AwsAccountSnapshot(Account, TakenAt, [user], [.. groups], [], [managed]);

        // When computed
        var estate = AwsEstate.Build(new AwsInventory([account], null, [], []));
        var p = new AwsEffectivePermissionCalculator(Catalog).Compute(estate.Find("dana").Single());

        // Then the three grants add up, the unknown group is reported and makes the rest indeterminate
        Assert.Equal(Catalog.ExpandMany(["sns:Publish", "s3:GetObject", "sqs:SendMessage"]), p.Allowed);
        Assert.Contains(estate.Diagnostics, d => d.Message.Contains("`missing`", StringComparison.Ordinal));
        Assert.False(p.Indeterminate.IsEmpty);
        Assert.Equal(IdentityKind.HumanUser, p.Context.Identity.Kind);
        var access = AwsEffectivePermissionCalculator.ToEffectiveAccess(p);
        Assert.Equal(3, access.GrantedCount);
        Assert.Equal(["s3:GetObject", "sns:Publish", "sqs:SendMessage"], access.Grants.Select(g => g.Permission).ToArray());
        Assert.Contains($"arn:aws:iam::{Account}:group/dev#g statement 0", access.Grants[0].Sources);
    }

    [Fact]
    public void ToEffectiveAccess_ConditionalGrant_CarriesConditionText()
    {
        var p = Compute(Role("r", [Policy(Allow("\"s3:GetObject\"", condition: """{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"""))]));
        var grant = Assert.Single(AwsEffectivePermissionCalculator.ToEffectiveAccess(p).Grants);
        Assert.Equal("IpAddress aws:SourceIp [203.0.113.0/24]", grant.Condition);
        Assert.True(grant.IsConditional);
        Assert.Equal("Read", grant.AccessLevel);
        Assert.Equal(["arn:aws:iam::222222222222:role/r#inline0 statement 0"], grant.Sources.ToArray());
    }
}
