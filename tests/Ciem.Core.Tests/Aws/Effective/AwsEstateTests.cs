using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.Inventory;
using Ciem.Core.Diagnostics;

namespace Ciem.Core.Tests.Aws.Effective;

public sealed class AwsEstateTests
{
    private static readonly DateTimeOffset TakenAt = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole"}]}""";

    private static IamRole Role(string account, string name, string policy) => new(
        $"arn:aws:iam::{account}:role/{name}", name, "AROA" + name, "/", TakenAt, Trust,
        [new InlinePolicy("p", policy)], [], null, [new("team", "payments")], [], null, null, null);

    private static AwsEstate Estate(AwsOrganization? org = null, params ResourcePolicy[] resourcePolicies) => AwsEstate.Build(new AwsInventory(
        [
            new AwsAccountSnapshot("111111111111", TakenAt, [], [], [Role("111111111111", "ops", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObjekt","s3:GetObject","foo:Bar"],"Resource":"*"}]}""")], []),
            new AwsAccountSnapshot("222222222222", TakenAt, [], [], [Role("222222222222", "ops", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""")], []),
        ], org, [], [.. resourcePolicies]));

    [Fact]
    public void Build_UnknownActionNames_WarnedWithLocation()
    {
        // Given a policy with a typo and an unknown service / When the estate is built / Then both are flagged, the good action is not
        var estate = Estate();
        var warnings = estate.Diagnostics.Where(d => d.Code == DiagnosticCodes.ActionUnknown).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, d => d.Message.Contains("`s3:GetObjekt`", StringComparison.Ordinal) && d.Message.Contains("no action of the service", StringComparison.Ordinal));
        Assert.Contains(warnings, d => d.Message.Contains("`foo:Bar`", StringComparison.Ordinal) && d.Message.Contains("service prefix is unknown", StringComparison.Ordinal));
        Assert.Equal("$.Statement[0].Action", warnings[0].Location!.JsonPath);
        Assert.Equal(Severity.Warning, warnings[0].Severity);
    }

    [Fact]
    public void Find_ByArnNameAndAccount_AmbiguousNamesReturnAll()
    {
        var estate = Estate();
        Assert.Single(estate.Find("arn:aws:iam::222222222222:role/ops"));
        Assert.Equal(2, estate.Find("ops").Length);
        Assert.Equal("222222222222", estate.Find("222222222222/ops").Single().Identity.Scope);
        Assert.Empty(estate.Find("nobody"));
    }

    [Fact]
    public void ResourcePolicyFor_ObjectArn_FindsBucketPolicy()
    {
        var estate = Estate(null, new ResourcePolicy("arn:aws:s3:::bucket", "s3", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}]}"""));
        Assert.Equal("arn:aws:s3:::bucket", estate.ResourcePolicyFor("arn:aws:s3:::bucket/a/b.txt")!.Name);
        Assert.Null(estate.ResourcePolicyFor("arn:aws:s3:::other/a"));
        // The roles' trust policies answer for the roles themselves
        Assert.EndsWith("#trust", estate.ResourcePolicyFor("arn:aws:iam::111111111111:role/ops")!.Name, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateRequest_AccountInOrganization_DerivesOrgKeysAndPrincipalTags()
    {
        // Given an organization with the account under an OU
        var org = new AwsOrganization("o-abc123def4", "111111111111", TakenAt, "r-ab12",
            [new OrgUnit("r-ab12", "Root", null, true), new OrgUnit("ou-ab12-11111111", "Prod", "r-ab12", false)],
            [new OrgAccount("111111111111", "mgmt", null, "ACTIVE", "r-ab12"), new OrgAccount("222222222222", "prod", null, "ACTIVE", "ou-ab12-11111111")], []);
        var estate = Estate(org);
        var who = estate.Find("222222222222/ops").Single();

        // When a request is created for a resource in the management account
        var request = estate.CreateRequest(who, "s3:GetObject", "arn:aws:s3:::b/k", resourceAccount: "111111111111");

        // Then the documented org keys and the role's tags are in the context
        Assert.True(request.Context.TryGet("aws:PrincipalOrgID", out var orgId));
        Assert.Equal("o-abc123def4", orgId.Values.Single());
        Assert.True(request.Context.TryGet("aws:PrincipalOrgPaths", out var paths));
        Assert.Equal("o-abc123def4/r-ab12/ou-ab12-11111111/", paths.Values.Single());
        Assert.True(paths.IsMultiValued);
        Assert.True(request.Context.TryGet("aws:ResourceOrgPaths", out var resourcePaths));
        Assert.Equal("o-abc123def4/r-ab12/", resourcePaths.Values.Single());
        Assert.True(request.Context.TryGet("aws:PrincipalTag/team", out var team));
        Assert.Equal("payments", team.Values.Single());
        Assert.True(request.IsCrossAccount);
    }
}
