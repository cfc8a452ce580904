using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Aws.Inventory;
using Ciem.Core.Model;

namespace Ciem.Core.Tests.Aws.Effective;

/// <summary>
/// Keys AWS sends with every request are unknown unless given in the estate path (`can`, `who-can`, `effective`,
/// the sweep); the current time is the as-of time (IAM User Guide, "AWS global condition context keys").
/// </summary>
public sealed class AlwaysSentKeysTests
{
    private const string Account = "222222222222";
    private static readonly DateTimeOffset TakenAt = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset AsOf = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private const string Object = "arn:aws:s3:::reports/q3.csv";
    private static readonly string[] Roles = ["mfa", "office", "eu"];

    private static IamRole Role(string name, string document) => new(
        $"arn:aws:iam::{Account}:role/{name}", name, "AROA" + name.ToUpperInvariant(), "/", TakenAt,
        """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}""",
        [new InlinePolicy("inline0", document)], [], null, [], [], null, null, null);

    private static string Allow(string condition) =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{{condition}}}]}""";

    private const string DeniedSince2020 = """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},
          {"Effect":"Deny","Action":"*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}}]}
        """;

    private static AwsEstate Estate(params IamRole[] roles) =>
        AwsEstate.Build(new AwsInventory([new AwsAccountSnapshot(Account, TakenAt, [], [], [.. roles], [])], null, [], []));

    private static EvaluationResult Can(AwsEstate estate, string role, RequestContext? given = null)
    {
        var who = estate.Find(role).Single();
        var request = estate.CreateRequest(who, "s3:GetObject", Object, Account, AlwaysSentKeys.Apply(given ?? RequestContext.Empty, AsOf));
        return AwsAuthorizer.Evaluate(request, estate.PolicySetFor(who, request));
    }

    [Fact]
    public void WhoCan_MfaNetworkAndRegionConditionedRoles_AllConditionalNoneDropped()
    {
        // Given three roles allowed only with MFA, from a network, in a region
        var estate = Estate(
            Role("mfa", Allow("""{"Bool":{"aws:MultiFactorAuthPresent":"true"}}""")),
            Role("office", Allow("""{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}""")),
            Role("eu", Allow("""{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}""")));

        // When each is asked with no context, as who-can does
        var results = Roles.Select(r => Can(estate, r)).ToList();

        // Then all three can, under the condition that decides it (none is dropped as denied)
        Assert.All(results, r => Assert.True(r.IsConditional, $"{r.Decision} {string.Join("; ", r.Diagnostics)}"));
        Assert.Equal(["Bool aws:MultiFactorAuthPresent [true]", "IpAddress aws:SourceIp [203.0.113.0/24]", "StringEquals aws:RequestedRegion [eu-west-1]"],
            results.Select(r => r.Conditions.Single().Text));
    }

    [Fact]
    public void Can_ConditionGivenOnCommandLine_Decides()
    {
        // Given the MFA-conditioned role
        var estate = Estate(Role("mfa", Allow("""{"Bool":{"aws:MultiFactorAuthPresent":"true"}}""")));

        // When MFA is given as present, then as absent
        var with = Can(estate, "mfa", RequestContext.Empty.With("aws:MultiFactorAuthPresent", ContextValue.Single("true")));
        var without = Can(estate, "mfa", RequestContext.Empty.With("aws:MultiFactorAuthPresent", ContextValue.Single("false")));

        // Then each is definite
        Assert.Equal(Decision.Allow, with.Decision);
        Assert.Equal(Decision.ImplicitDeny, without.Decision);
    }

    [Fact]
    public void Can_DenyOnCurrentTime_UsesTheAsOfTime()
    {
        // Given a role allowed everything but denied everything after 2020
        var estate = Estate(Role("frozen", DeniedSince2020));

        // When asked as of 2026
        var result = Can(estate, "frozen");

        // Then the deny applies
        Assert.Equal(Decision.ExplicitDeny, result.Decision);
        Assert.Equal(AwsLayer.Identity, result.BlockedBy);
    }

    [Fact]
    public void Effective_DenyOnCurrentTime_NotAdministrativeAsOfNow()
    {
        // Given the same role
        var estate = Estate(Role("frozen", DeniedSince2020));
        var who = estate.Identities.Single();

        // When its effective permissions are computed as of 2026, and without a time
        var asOf = new AwsEffectivePermissionCalculator(AwsActionCatalog.Default, AsOf).Compute(who);
        var timeless = new AwsEffectivePermissionCalculator(AwsActionCatalog.Default).Compute(who);

        // Then as of 2026 it holds nothing; without a time the deny only limits (it depends on the request)
        Assert.Equal(0, asOf.GrantedCount);
        Assert.False(asOf.IsAdministrator);
        Assert.True(timeless.GrantedCount > 0);
        Assert.True(timeless.AllowedUnconditionally.IsEmpty);
    }

    [Fact]
    public void Effective_ConditionOnAnUnknownKey_StaysConditional()
    {
        // Given a role allowed s3:GetObject only from a network
        var estate = Estate(Role("office", Allow("""{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}""")));

        // When computed as of now
        var p = new AwsEffectivePermissionCalculator(AwsActionCatalog.Default, AsOf).Compute(estate.Identities.Single());

        // Then the grant is there, with its condition
        var grant = Assert.Single(p.Grants);
        Assert.Equal("aws:SourceIp", Assert.Single(grant.Conditions).Key);
        Assert.True(p.AllowedUnconditionally.IsEmpty);
    }
}
