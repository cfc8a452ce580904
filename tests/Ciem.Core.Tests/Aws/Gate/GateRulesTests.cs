using System.Collections.Immutable;
using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Gate;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gate;

namespace Ciem.Core.Tests.Aws.Gate;

public sealed class GateRulesTests
{
    private static readonly PermissionDeltaCalculator Calculator = new(AwsActionCatalog.Default);

    private static GatePolicy Policy(string name, string statements, PolicyKind kind = PolicyKind.Identity)
    {
        var parsed = PolicyParser.Parse($$"""{"Version":"2012-10-17","Statement":[{{statements}}]}""", name, kind);
        Assert.NotNull(parsed.Document);
        return new GatePolicy(name, parsed.Document, new SourceLocation(File: "plan.json", JsonPath: "$.x"));
    }

    private static string Allow(string actions, string resource = "\"*\"") => $$"""{"Effect":"Allow","Action":{{actions}},"Resource":{{resource}}}""";

    private static string Trust(string principal) => $$"""{"Effect":"Allow","Principal":{{principal}},"Action":"sts:AssumeRole"}""";

    private static PrincipalChange Change(GatePolicy[] before, GatePolicy[] after, GatePolicy? trustBefore = null, GatePolicy? trustAfter = null, string? account = "111111111111") =>
        new(GatePrincipalKind.Role, "app", account, [.. before], [.. after], trustBefore, trustAfter, null, null, new SourceLocation(File: "plan.json"));

    private static ImmutableArray<GateFinding> Evaluate(PrincipalChange change, GateUsage? usage = null) => AwsGateRules.Evaluate(Calculator.Compute(change), usage);

    private static readonly GatePolicy ReadOnly = Policy("read", Allow("\"ec2:Describe*\""));

    [Fact]
    public void Compute_AddedStatement_ReportsAddedAndRemovedActions()
    {
        // Given a role whose s3:GetObject is replaced by ec2:Describe*
        var change = Change([Policy("p", Allow("\"s3:GetObject\""))], [ReadOnly]);
        // When the delta is computed
        var delta = Calculator.Compute(change);
        // Then the added and removed sets are the exact differences
        Assert.Contains(delta.Added, a => a.FullName == "ec2:DescribeInstances");
        Assert.Equal(["s3:GetObject"], delta.Removed.Select(a => a.FullName));
    }

    [Theory]
    [InlineData("sagemaker:CreateProcessingJob")]
    [InlineData("ec2:RequestSpotInstances")]
    [InlineData("ecs:StartTask")]
    [InlineData("ecs:CreateService")]
    [InlineData("apprunner:CreateService")]
    public void NewEscalation_PassRoleWithCatalogueComputeAction_Reported(string compute)
    {
        // Given a role that gains iam:PassRole and a compute action of the attack-path catalogue
        var findings = Evaluate(Change([ReadOnly], [ReadOnly, Policy("run", Allow($"[\"iam:PassRole\",\"{compute}\"]"))]));

        // Then the gate reports the PassRole path through that service
        var f = Assert.Single(findings, f => f.RuleId == GateRules.NewEscalation);
        Assert.Contains($"iam:PassRole with {compute}", f.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NewEscalation_CreatePolicyVersionOnAwsManagedPoliciesOnly_NotReported()
    {
        // Given a role that gains iam:CreatePolicyVersion only on AWS-managed policy ARNs, which AWS never lets anyone write
        var findings = Evaluate(Change([ReadOnly], [ReadOnly, Policy("v", Allow("\"iam:CreatePolicyVersion\"", "\"arn:aws:iam::aws:policy/*\""))]));

        // Then no escalation path is reported; the same grant on customer policies is
        Assert.DoesNotContain(findings, f => f.RuleId == GateRules.NewEscalation);
        var customer = Evaluate(Change([ReadOnly], [ReadOnly, Policy("v", Allow("\"iam:CreatePolicyVersion\"", "\"arn:aws:iam::111111111111:policy/*\""))]));
        Assert.Contains(customer, f => f.RuleId == GateRules.NewEscalation);
    }

    [Fact]
    public void NewAdmin_StarStar_Reported()
    {
        // Given a role that gains `*` on `*`
        var findings = Evaluate(Change([ReadOnly], [ReadOnly, Policy("admin", Allow("\"*\""))]));
        // Then it becomes a full administrator
        var f = Assert.Single(findings, f => f.RuleId == GateRules.NewAdmin);
        Assert.Equal(FindingSeverity.Critical, f.Severity);
        Assert.Contains("full administrator", f.Message, StringComparison.Ordinal);
        Assert.Equal("plan.json", f.Location?.File);
    }

    [Fact]
    public void NewAdmin_AlreadyAdmin_NotReported()
    {
        // Given a role that was already administrative
        var admin = Policy("admin", Allow("\"iam:PutRolePolicy\""));
        // When another read-only policy is added
        var findings = Evaluate(Change([admin], [admin, ReadOnly]));
        // Then nothing new is administrative
        Assert.DoesNotContain(findings, f => f.RuleId == GateRules.NewAdmin);
    }

    [Theory]
    [InlineData("[\"iam:PassRole\",\"lambda:CreateFunction\"]", "iam:PassRole with lambda:CreateFunction")]
    [InlineData("\"sts:AssumeRole\"", "sts:AssumeRole on `*`")]
    [InlineData("\"iam:CreateAccessKey\"", "iam:CreateAccessKey for other users")]
    [InlineData("\"iam:PutUserPolicy\"", "iam:PutUserPolicy")]
    public void NewEscalation_EscalatingAction_Reported(string actions, string path)
    {
        // Given a role that gains an escalation-capable permission
        var findings = Evaluate(Change([ReadOnly], [Policy("esc", Allow(actions))]));
        // Then the path is named in the evidence
        var f = Assert.Single(findings, f => f.RuleId == GateRules.NewEscalation);
        Assert.Contains(f.Evidence, e => e.StartsWith(path + " via esc", StringComparison.Ordinal));
    }

    [Fact]
    public void NewEscalation_SelfAccessKeyAndScopedAssumeRole_NotReported()
    {
        // Given access keys for oneself only and AssumeRole on one role
        var findings = Evaluate(Change([], [Policy("ok", Allow("\"iam:CreateAccessKey\"", "\"arn:aws:iam::111111111111:user/${aws:username}\"") + "," + Allow("\"sts:AssumeRole\"", "\"arn:aws:iam::111111111111:role/deploy\""))]));
        // Then no escalation path is new
        Assert.DoesNotContain(findings, f => f.RuleId == GateRules.NewEscalation);
    }

    [Fact]
    public void NewEscalation_PathAlreadyPresent_NotReported()
    {
        var esc = Policy("esc", Allow("\"sts:AssumeRole\""));
        Assert.DoesNotContain(Evaluate(Change([esc], [esc, ReadOnly])), f => f.RuleId == GateRules.NewEscalation);
    }

    [Theory]
    [InlineData("\"s3:*\"")]
    [InlineData("\"kms:*\"")]
    [InlineData("\"iam:Get*\"")]
    public void SensitiveWildcard_NewWildcard_ReportedWithStatementLocation(string action)
    {
        var findings = Evaluate(Change([], [Policy("wild", Allow(action))]));
        var f = Assert.Single(findings, f => f.RuleId == GateRules.SensitiveWildcard);
        Assert.Equal("$.x.Statement[0]", f.Location?.JsonPath);
    }

    [Fact]
    public void SensitiveWildcard_OtherServiceOrUnchanged_NotReported()
    {
        // Given a wildcard on a non-sensitive service, and an s3:* that existed before
        var s3 = Policy("s3", Allow("\"s3:*\""));
        var findings = Evaluate(Change([s3], [s3, Policy("ec2", Allow("\"ec2:*\""))]));
        Assert.DoesNotContain(findings, f => f.RuleId == GateRules.SensitiveWildcard);
    }

    [Fact]
    public void NewPublicTrust_PrincipalStar_Critical()
    {
        var findings = Evaluate(Change([], [], Policy("t", Trust("{\"Service\":\"ec2.amazonaws.com\"}"), PolicyKind.Trust), Policy("t", Trust("\"*\""), PolicyKind.Trust)));
        var f = Assert.Single(findings, f => f.RuleId == GateRules.NewPublicTrust);
        Assert.Equal(FindingSeverity.Critical, f.Severity);
    }

    [Fact]
    public void NewCrossAccountTrust_OtherAccount_ReportedAndOwnAccountNot()
    {
        // Given a trust policy naming the role's own account and another account
        var trust = Policy("t", Trust("{\"AWS\":[\"arn:aws:iam::111111111111:root\",\"arn:aws:iam::999999999999:role/ci\"]}"), PolicyKind.Trust);
        var findings = Evaluate(Change([], [], null, trust));
        // Then only the other account is reported, and nothing is public
        var f = Assert.Single(findings, f => f.RuleId == GateRules.NewCrossAccountTrust);
        Assert.Contains("`999999999999`", f.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(findings, f => f.RuleId == GateRules.NewPublicTrust);
    }

    [Fact]
    public void NewCrossAccountTrust_Unchanged_NotReported()
    {
        var trust = Policy("t", Trust("{\"AWS\":\"999999999999\"}"), PolicyKind.Trust);
        Assert.Empty(Evaluate(Change([], [], trust, trust)));
    }

    [Fact]
    public void RemovedUsedPermission_UsedActionRemoved_ReportedAndUnusedGrantLow()
    {
        // Given a role that used s3:GetObject and loses it, gaining ec2:Describe*
        var usage = new GateUsage(ImmutableDictionary<string, ImmutableHashSet<string>>.Empty.Add("app", ["s3:GetObject"]));
        var findings = Evaluate(Change([Policy("p", Allow("\"s3:GetObject\""))], [ReadOnly]), usage);
        // Then the removal is a breakage risk and the additions are beyond usage
        Assert.Equal<string>(["s3:GetObject"], Assert.Single(findings, f => f.RuleId == GateRules.RemovedUsedPermission).Evidence);
        Assert.Equal(FindingSeverity.Low, Assert.Single(findings, f => f.RuleId == GateRules.UnusedGrant).Severity);
    }

    [Fact]
    public void RemovedUsedPermission_NoUsageOrUnusedRemoved_NotReported()
    {
        var change = Change([Policy("p", Allow("\"s3:GetObject\""))], [ReadOnly]);
        var usage = new GateUsage(ImmutableDictionary<string, ImmutableHashSet<string>>.Empty.Add("app", ["ec2:DescribeInstances"]));
        Assert.DoesNotContain(Evaluate(change), f => f.RuleId == GateRules.RemovedUsedPermission);
        Assert.DoesNotContain(Evaluate(change, usage), f => f.RuleId == GateRules.RemovedUsedPermission);
    }

    [Fact]
    public void IndeterminateChange_UnknownPolicy_ReportedNotSkipped()
    {
        // Given a policy whose content is known only after apply
        var unknown = new GatePolicy("later", null, new SourceLocation(File: "plan.json", JsonPath: "$.resource_changes[1].change.after.policy"));
        var findings = Evaluate(Change([], [unknown]));
        // Then an indeterminate finding points at it
        var f = Assert.Single(findings, f => f.RuleId == GateRules.IndeterminateChange);
        Assert.True(f.Indeterminate);
        Assert.Equal("$.resource_changes[1].change.after.policy", f.Location?.JsonPath);
    }

    [Fact]
    public void IndeterminateChange_KnownPolicies_NotReported() =>
        Assert.DoesNotContain(Evaluate(Change([], [ReadOnly])), f => f.RuleId == GateRules.IndeterminateChange);

    [Fact]
    public void InvalidPolicy_DuplicateEffect_ReportedAndIndeterminate()
    {
        // Given a role whose new policy says `"Effect":"Allow"` and then `"Effect":"Deny"` in one statement
        var dup = Policy("dup", """{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Effect":"Deny"}""");

        // When the change is checked
        var findings = Evaluate(Change([ReadOnly], [ReadOnly, dup]));

        // Then the gate reports the statement AWS would reject, located, instead of silently reading it as a Deny
        var f = Assert.Single(findings, f => f.RuleId == GateRules.InvalidPolicy);
        Assert.Equal(FindingSeverity.High, f.Severity);
        Assert.True(f.Indeterminate);
        Assert.Contains("statement 0 of policy `dup`", f.Message, StringComparison.Ordinal);
        Assert.Equal("plan.json", f.Location?.File);
        Assert.Contains(findings, f => f.RuleId == GateRules.IndeterminateChange);
    }

    [Fact]
    public void InvalidPolicy_NoDuplicate_NotReported()
    {
        // Given the near-miss twin: the same statement written once as a Deny
        var single = Policy("single", """{"Effect":"Deny","Action":"iam:PassRole","Resource":"*"}""");

        // When the change is checked
        var findings = Evaluate(Change([ReadOnly], [ReadOnly, single]));

        // Then nothing is invalid
        Assert.DoesNotContain(findings, f => f.RuleId == GateRules.InvalidPolicy);
    }
}
