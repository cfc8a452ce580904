using Ciem.Core.Aws.Gate;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gate;

namespace Ciem.Core.Tests.Aws.Gate;

public sealed class ResourcePolicyRulesTests
{
    private static readonly HashSet<string> NoAccounts = [];

    private static GatePolicy Policy(string statement) =>
        new("bucket policy", PolicyParser.Parse($$"""{"Version":"2012-10-17","Statement":[{{statement}}]}""", "bucket policy", PolicyKind.Resource, new SourceLocation(File: "plan.json", JsonPath: "$.resource_changes[0].change.after.policy")).Document,
            new SourceLocation(File: "plan.json", JsonPath: "$.resource_changes[0].change.after.policy"));

    private static ResourcePolicyChange Change(GatePolicy? before, GatePolicy? after) =>
        new("aws_s3_bucket_policy", "acme-site", before, after, new SourceLocation(File: "plan.json", JsonPath: "$.resource_changes[0]"));

    [Fact]
    public void Evaluate_PrincipalStarWithoutCondition_NewPublicCritical()
    {
        // Given a new bucket policy that lets anyone read objects
        var result = ResourcePolicyRules.Evaluate(Change(null, Policy("""{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::acme-site/*"}""")), NoAccounts);
        // Then it is new public access at the statement
        var finding = Assert.Single(result);
        Assert.Equal((GateRules.NewPublicTrust, FindingSeverity.Critical, "resource/aws_s3_bucket_policy/acme-site"), (finding.RuleId, finding.Severity, finding.Principal));
        Assert.Equal("$.resource_changes[0].change.after.policy.Statement[0]", finding.Location!.JsonPath);
    }

    [Theory]
    [InlineData("""{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}""")]
    [InlineData("""{"ArnLike":{"aws:SourceArn":"arn:aws:sns:eu-west-1:111122223333:orders"}}""")]
    [InlineData("""{"StringEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}""")]
    public void Evaluate_PrincipalStarWithRestrictingCondition_NotPublic(string condition)
    {
        // Given Principal * under a condition on the caller's organisation, source or network endpoint
        var result = ResourcePolicyRules.Evaluate(Change(null, Policy($$"""{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"*","Condition":{{condition}}}""")), NoAccounts);
        // Then it is not public
        Assert.Empty(result);
    }

    [Theory]
    [InlineData("""{"Bool":{"aws:SecureTransport":"true"}}""")]
    [InlineData("""{"StringNotEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}""")]
    [InlineData("""{"StringEqualsIfExists":{"aws:SourceAccount":"111122223333"}}""")]
    [InlineData("""{"StringLike":{"aws:PrincipalArn":"*"}}""")]
    public void Evaluate_PrincipalStarWithConditionThatDoesNotRestrict_StillPublic(string condition)
    {
        // Given Principal * under a condition that lets any caller in (transport, negation, IfExists, a `*` pattern)
        var result = ResourcePolicyRules.Evaluate(Change(null, Policy($$"""{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{{condition}}}""")), NoAccounts);
        // Then it is still public
        Assert.Equal(GateRules.NewPublicTrust, Assert.Single(result).RuleId);
    }

    [Fact]
    public void Evaluate_UnknownOperator_IndeterminateNotSilent()
    {
        // Given Principal * under an operator the engine does not know
        var result = ResourcePolicyRules.Evaluate(Change(null, Policy("""{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringEqualz":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}""")), NoAccounts);
        // Then the public finding is indeterminate, never silently dropped
        var finding = Assert.Single(result);
        Assert.True(finding.Indeterminate);
        Assert.Equal(FindingSeverity.High, finding.Severity);
    }

    [Fact]
    public void Evaluate_PublicBeforeAndAfter_NotReportedAgain()
    {
        // Given a public statement on both sides / Then the change adds nothing
        var statement = """{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}""";
        Assert.Empty(ResourcePolicyRules.Evaluate(Change(Policy(statement), Policy(statement)), NoAccounts));
    }

    [Fact]
    public void Evaluate_NewForeignAccount_CrossAccountUnlessKnown()
    {
        // Given a policy that newly names account 444455556666
        var change = Change(null, Policy("""{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/partner"},"Action":"s3:GetObject","Resource":"*"}"""));
        // Then it is cross-account without an inventory, and not when the organisation has that account
        Assert.Equal(GateRules.NewCrossAccountTrust, Assert.Single(ResourcePolicyRules.Evaluate(change, NoAccounts)).RuleId);
        Assert.Empty(ResourcePolicyRules.Evaluate(change, new HashSet<string> { "444455556666" }));
    }

    [Fact]
    public void Evaluate_ServicePrincipal_NoFinding()
    {
        // Given a service principal / Then it is neither public nor another account
        var change = Change(null, Policy("""{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject","Resource":"*"}"""));
        Assert.Empty(ResourcePolicyRules.Evaluate(change, NoAccounts));
    }

    [Fact]
    public void Evaluate_UnknownContent_Indeterminate()
    {
        // Given a policy known only after apply / Then the change is indeterminate
        var unknown = new GatePolicy("aws_ecr_repository_policy.builds policy", null, new SourceLocation(File: "plan.json", JsonPath: "$.resource_changes[0].change.after.policy"));
        var finding = Assert.Single(ResourcePolicyRules.Evaluate(Change(null, unknown), NoAccounts));
        Assert.Equal(GateRules.IndeterminateChange, finding.RuleId);
        Assert.True(finding.Indeterminate);
    }
}
