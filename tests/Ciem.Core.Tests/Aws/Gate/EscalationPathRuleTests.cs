using System.Collections.Immutable;
using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.Gate;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gate;
using Ciem.Core.Tests.Paths;
using static Ciem.Core.Tests.Paths.PathScenario;

namespace Ciem.Core.Tests.Aws.Gate;

public sealed class EscalationPathRuleTests
{
    private const string Deployer = "deploy";

    // What the change gives the deploy role: pass any role to a new Lambda function and invoke it.
    private static readonly string PassToLambda = Policy(Allow("iam:PassRole,lambda:CreateFunction,lambda:InvokeFunction"));

    /// <summary>A developer, a deploy role with the given trust and no rights yet, and an admin role Lambda may assume.</summary>
    private static AwsEstate Estate(string deployTrust) => new PathScenario()
        .User("dev", Policy(Allow("sts:AssumeRole", RoleArn(Deployer))))
        .Role(Deployer, deployTrust)
        .Role("fn-admin", TrustService("lambda.amazonaws.com"), AdminPolicy)
        .Estate();

    /// <summary>The change a Terraform plan states: the deploy role gains an inline policy.</summary>
    private static PermissionDelta Change(AwsEstate estate, string inline, string? trustAfter = null)
    {
        var document = PolicyParser.Parse(inline, "deploy-inline", PolicyKind.Identity).Document!;
        GatePolicy? trust = trustAfter is null ? null : new GatePolicy("trust", PolicyParser.Parse(trustAfter, "trust", PolicyKind.Trust).Document, new SourceLocation(File: "plan.json"));
        var change = new PrincipalChange(GatePrincipalKind.Role, Deployer, A, [],
            [new GatePolicy("deploy-inline", document, new SourceLocation(File: "plan.json", JsonPath: "$.resource_changes[0]"))],
            null, trust, null, null, new SourceLocation(File: "plan.json"));
        return new PermissionDeltaCalculator(AwsActionCatalog.Default, estate).Compute(change);
    }

    [Fact]
    public void Evaluate_ChangeOpensTwoStepPath_ReportedWithThePath()
    {
        // Given a developer who may assume the deploy role, which trusts the developer
        var estate = Estate(TrustAws(UserArn("dev")));

        // When the change lets the deploy role pass any role to a new Lambda function
        var findings = EscalationPathRule.Evaluate(estate, [Change(estate, PassToLambda)]);

        // Then the developer's new path dev → deploy → fn-admin is reported once, under the deploy role's change
        var f = Assert.Single(findings);
        Assert.Equal(EscalationPathRule.RuleId, f.RuleId);
        Assert.Equal(FindingSeverity.High, f.Severity);
        Assert.Equal($"{A}/role/{Deployer}", f.Principal);
        Assert.Contains($"gives `{UserArn("dev")}` a 2-step path to administrator", f.Message, StringComparison.Ordinal);
        Assert.Contains($"{UserArn("dev")} → {RoleArn(Deployer)} → {RoleArn("fn-admin")}", f.Message, StringComparison.Ordinal);
        Assert.StartsWith($"1. `{UserArn("dev")}` → `{RoleArn(Deployer)}`", f.Evidence[0], StringComparison.Ordinal);
        Assert.Contains(f.Evidence, e => e.StartsWith($"2. `{RoleArn(Deployer)}` → `{RoleArn("fn-admin")}`", StringComparison.Ordinal) && e.Contains("deploy-inline", StringComparison.Ordinal));
        Assert.False(f.Indeterminate);
    }

    [Fact]
    public void Evaluate_DeployRoleNotTrustingTheDeveloper_NoFinding()
    {
        // Given the same estate, but the deploy role trusts a principal of another account instead (missing trust)
        var estate = Estate(TrustAws(RoleArn("ci", B)));

        // When the same change is made
        var findings = EscalationPathRule.Evaluate(estate, [Change(estate, PassToLambda)]);

        // Then no multi-step path appears (the deploy role's own single step is the new-escalation rule's)
        Assert.Empty(findings);
    }

    [Fact]
    public void Evaluate_PassRoleOnlyToEcs_NoFinding()
    {
        // Given the trusting deploy role
        var estate = Estate(TrustAws(UserArn("dev")));

        // When the change lets it pass roles only to ECS tasks (a condition near-miss: the admin role trusts Lambda)
        var toEcs = Policy(
            Allow("iam:PassRole", "*", """{"StringEquals":{"iam:PassedToService":"ecs-tasks.amazonaws.com"}}"""),
            Allow("lambda:CreateFunction,lambda:InvokeFunction"));
        var findings = EscalationPathRule.Evaluate(estate, [Change(estate, toEcs)]);

        // Then there is no path
        Assert.Empty(findings);
    }

    [Fact]
    public void Evaluate_TrustChangeOpensPath_Reported()
    {
        // Given a deploy role that already can pass roles to Lambda but trusts nobody in the account
        var estate = new PathScenario()
            .User("dev", Policy(Allow("sts:AssumeRole", RoleArn(Deployer))))
            .Role(Deployer, TrustAws(RoleArn("ci", B)), PassToLambda)
            .Role("fn-admin", TrustService("lambda.amazonaws.com"), AdminPolicy)
            .Estate();

        // When the change rewrites its trust policy to trust the developer
        var findings = EscalationPathRule.Evaluate(estate, [Change(estate, PassToLambda, TrustAws(UserArn("dev")))]);

        // Then the developer's new path is reported
        var f = Assert.Single(findings);
        Assert.Contains($"`{UserArn("dev")}`", f.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_PathExistedBefore_NotReportedAgain()
    {
        // Given a deploy role that already passes roles to Lambda and trusts the developer (the path exists)
        var estate = new PathScenario()
            .User("dev", Policy(Allow("sts:AssumeRole", RoleArn(Deployer))))
            .Role(Deployer, TrustAws(UserArn("dev")), PassToLambda)
            .Role("fn-admin", TrustService("lambda.amazonaws.com"), AdminPolicy)
            .Estate();

        // When the change restates the same policy
        var findings = EscalationPathRule.Evaluate(estate, [Change(estate, PassToLambda)]);

        // Then nothing new is reported
        Assert.Empty(findings);
    }

    [Fact]
    public void Evaluate_GroupChangeOnly_NoFindingAndNoGraph()
    {
        // Given a change to a group (not applied to the graph)
        var estate = Estate(TrustAws(UserArn("dev")));
        var change = new PrincipalChange(GatePrincipalKind.Group, "devs", A, [], [], null, null, null, null, new SourceLocation(File: "plan.json"));
        var delta = new PermissionDeltaCalculator(AwsActionCatalog.Default, estate).Compute(change);

        // When evaluated
        var findings = EscalationPathRule.Evaluate(estate, ImmutableArray.Create(delta));

        // Then no finding
        Assert.Empty(findings);
    }
}
