using Ciem.Core.Model;
using Ciem.Core.Paths;
using static Ciem.Core.Tests.Paths.PathScenario;

namespace Ciem.Core.Tests.Paths;

public sealed class AttackPathsTests
{
    private const string AssumeAll = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}""";

    [Fact]
    public void Standings_AdministratorAccess_IsAdministrator()
    {
        // Given a user with Allow * on *
        var paths = new PathScenario().User("boss", AdminPolicy).Paths();

        // Then the engine's probes make it an administrator, with no path needed
        var s = paths.Standing("boss");
        Assert.Equal(AdminCategory.Administrator, s.Category);
        Assert.Equal(Decision.Allow, s.AdministratorDecision);
        Assert.Null(s.PathToAdministrator);
    }

    [Fact]
    public void Standings_AdminGrantUnderConditionThatCannotHold_IsNotAdministrator()
    {
        // Given Allow * on * only from a source IP the request never carries (the old flag counted it)
        var condition = """{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}""";
        var paths = new PathScenario().User("ip-admin", Policy(Allow("*", "*", condition))).Paths();

        // Then it is not an administrator: the probes are denied
        Assert.Equal(AdminCategory.None, paths.Standing("ip-admin").Category);
    }

    [Fact]
    public void Standings_AssumeRoleIntoAdmin_CanBecomeAdministratorWithPath()
    {
        // Given a developer allowed sts:AssumeRole on a role that trusts the account and holds admin
        var paths = new PathScenario()
            .User("dev", AssumeAll)
            .Role("admin", TrustAws($"arn:aws:iam::{A}:root"), AdminPolicy)
            .Paths();

        // Then the developer can become administrator in one hop, explained by the trust and the identity policy
        var s = paths.Standing("dev");
        Assert.Equal(AdminCategory.CanBecomeAdministrator, s.Category);
        var path = s.PathToAdministrator!;
        Assert.Equal(["sts-assume-role", "account-administrator"], path.Techniques());
        Assert.Equal(EdgeCertainty.Certain, path.Certainty);
        var assume = path.Steps[0];
        Assert.Equal(RoleArn("admin"), assume.To);
        Assert.Contains(assume.Checks[0].Statements, st => st.Policy == $"{RoleArn("admin")}#trust");
        Assert.Contains(assume.Checks[0].Statements, st => st.Policy == $"{UserArn("dev")}#inline");
    }

    [Fact]
    public void Standings_RoleWithoutTrustInCaller_NoPath()
    {
        // Given the same developer, but the admin role trusts only EC2 (missing trust)
        var paths = new PathScenario()
            .User("dev", AssumeAll)
            .Role("admin", TrustService("ec2.amazonaws.com"), AdminPolicy)
            .Paths();

        // Then there is no path
        Assert.Equal(AdminCategory.None, paths.Standing("dev").Category);
    }

    [Fact]
    public void Standings_TrustNamingCallerInSameAccount_NeedsNoIdentityPermission()
    {
        // Given a role whose trust names the user directly (same account: the trust grants on its own)
        var paths = new PathScenario()
            .User("named")
            .Role("admin", TrustAws(UserArn("named")), AdminPolicy)
            .Paths();

        // Then the user reaches administrator through the trust alone
        Assert.Equal(AdminCategory.CanBecomeAdministrator, paths.Standing("named").Category);
    }

    [Fact]
    public void Standings_CrossAccountTrust_NeedsBothSides()
    {
        // Given account B's admin role trusting account A; one user of A may assume roles, another may not
        var paths = new PathScenario()
            .User("hopper", AssumeAll)
            .User("stuck", Policy(Allow("s3:GetObject")))
            .Role("b-admin", TrustAws(A), AdminPolicy, account: B)
            .Paths();

        // Then only the user allowed by its own policy crosses, ending as administrator of B
        var hopper = paths.Standing("hopper");
        Assert.Equal(AdminCategory.CanBecomeAdministrator, hopper.Category);
        Assert.Equal($"administrator of account {B}", hopper.PathToAdministrator!.Goal);
        Assert.Equal(AdminCategory.None, paths.Standing("stuck").Category);
    }

    [Fact]
    public void Standings_ScpDeniesAssumeRole_NoPath()
    {
        // Given the cross-account hop, with an SCP on A denying sts:AssumeRole
        var paths = new PathScenario()
            .User("hopper", AssumeAll)
            .Role("b-admin", TrustAws(A), AdminPolicy, account: B)
            .Scp(Policy(Deny("sts:AssumeRole")))
            .Paths();

        // Then the SCP blocks the edge
        Assert.Equal(AdminCategory.None, paths.Standing("hopper").Category);
    }

    [Fact]
    public void Standings_PassRoleToLambda_Escalates()
    {
        // Given a user that can create and invoke functions and pass any role, and an admin role Lambda may assume
        var paths = new PathScenario()
            .User("builder", Policy(Allow("iam:PassRole,lambda:CreateFunction,lambda:InvokeFunction")))
            .Role("fn-admin", TrustService("lambda.amazonaws.com"), AdminPolicy)
            .Paths();

        // Then the builder becomes the role through a new function
        var path = paths.Standing("builder").PathToAdministrator!;
        Assert.Equal("passrole-lambda", path.Steps[0].Technique.Id);
        Assert.Equal(RoleArn("fn-admin"), path.Steps[0].To);
        Assert.Equal(EdgeCertainty.Certain, path.Certainty);
        Assert.Contains(path.Steps[0].Checks, c => c.Action == "iam:PassRole");
        Assert.Contains(path.Steps[0].Checks, c => c.Action == "lambda:CreateFunction");
    }

    [Fact]
    public void Standings_PassRoleLimitedToAnotherService_NoPath()
    {
        // Given the same user, but iam:PassRole only when passed to ECS tasks (condition near-miss)
        var passToEcs = """{"StringEquals":{"iam:PassedToService":"ecs-tasks.amazonaws.com"}}""";
        var paths = new PathScenario()
            .User("builder", Policy(Allow("iam:PassRole", "*", passToEcs), Allow("lambda:CreateFunction,lambda:InvokeFunction")))
            .Role("fn-admin", TrustService("lambda.amazonaws.com"), AdminPolicy)
            .Paths();

        // Then the condition denies the pass to Lambda
        Assert.Equal(AdminCategory.None, paths.Standing("builder").Category);
    }

    [Fact]
    public void Standings_PassRoleOnOtherRoleOnly_NoPath()
    {
        // Given iam:PassRole restricted to a harmless role (resource restriction near-miss)
        var paths = new PathScenario()
            .User("builder", Policy(Allow("iam:PassRole", RoleArn("harmless")), Allow("lambda:CreateFunction,lambda:InvokeFunction")))
            .Role("harmless", TrustService("lambda.amazonaws.com"), Policy(Allow("logs:PutLogEvents")))
            .Role("fn-admin", TrustService("lambda.amazonaws.com"), AdminPolicy)
            .Paths();

        // Then the builder reaches the harmless role only
        var s = paths.Standing("builder");
        Assert.Equal(AdminCategory.None, s.Category);
        var graph = paths.Graph;
        var builder = graph.Estate.Identities.ToList().FindIndex(i => i.Identity.Name == "builder");
        Assert.Contains(graph.Outgoing(builder), e => graph.Nodes[e.To].Id == RoleArn("harmless"));
    }

    [Fact]
    public void Standings_BoundaryWithoutPassRole_NoPath()
    {
        // Given the Lambda builder with a permissions boundary that omits iam:PassRole
        var paths = new PathScenario()
            .ManagedPolicy("boundary", Policy(Allow("lambda:*")))
            .User("builder", Policy(Allow("iam:PassRole,lambda:CreateFunction,lambda:InvokeFunction")), boundary: $"arn:aws:iam::{A}:policy/boundary")
            .Role("fn-admin", TrustService("lambda.amazonaws.com"), AdminPolicy)
            .Paths();

        // Then the boundary blocks the pass
        Assert.Equal(AdminCategory.None, paths.Standing("builder").Category);
    }

    [Fact]
    public void Standings_PassRoleToEc2_NeedsInstanceProfile()
    {
        // Given RunInstances and PassRole, an admin role trusting EC2 without an instance profile, and one with
        var withProfile = new PathScenario()
            .User("launcher", Policy(Allow("iam:PassRole,ec2:RunInstances")))
            .Role("ec2-admin", TrustService("ec2.amazonaws.com"), AdminPolicy, profile: true)
            .Paths();
        var withoutProfile = new PathScenario()
            .User("launcher", Policy(Allow("iam:PassRole,ec2:RunInstances")))
            .Role("ec2-admin", TrustService("ec2.amazonaws.com"), AdminPolicy)
            .Paths();

        // Then only the role with a profile is reachable (the launcher cannot create a profile)
        Assert.Equal("passrole-ec2", withProfile.Standing("launcher").PathToAdministrator!.Steps[0].Technique.Id);
        Assert.Equal(AdminCategory.None, withoutProfile.Standing("launcher").Category);
    }

    [Fact]
    public void Standings_UpdateFunctionCode_PossibleIfFunctionExists()
    {
        // Given lambda:UpdateFunctionCode on every function and an admin role that Lambda may assume
        var paths = new PathScenario()
            .User("coder", Policy(Allow("lambda:UpdateFunctionCode")))
            .Role("fn-admin", TrustService("lambda.amazonaws.com"), AdminPolicy)
            .Paths();

        // Then the path is possible if a function runs as that role (the export has no function inventory)
        var path = paths.Standing("coder").PathToAdministrator!;
        Assert.Equal("lambda-update-code", path.Steps[0].Technique.Id);
        Assert.Equal(EdgeCertainty.NeedsResource, path.Certainty);
    }

    [Fact]
    public void Standings_CreateAccessKeyOnAdminUser_Escalates_OwnKeyOnly_DoesNot()
    {
        // Given one user allowed to create keys for any user, one only for itself, and an admin user
        var paths = new PathScenario()
            .User("keymaker", Policy(Allow("iam:CreateAccessKey")))
            .User("selfish", Policy(Allow("iam:CreateAccessKey", "arn:aws:iam::*:user/${aws:username}")))
            .User("root-like", AdminPolicy)
            .Paths();

        // Then only the first reaches the administrator
        var path = paths.Standing("keymaker").PathToAdministrator!;
        Assert.Equal("iam-create-access-key", path.Steps[0].Technique.Id);
        Assert.Equal(UserArn("root-like"), path.Steps[0].To);
        Assert.Equal(AdminCategory.None, paths.Standing("selfish").Category);
    }

    [Fact]
    public void Standings_PutOwnUserPolicy_CanBecomeAdministrator()
    {
        // Given a user that may write its own inline policy through a resource-scoped grant (missed by the old flag)
        var paths = new PathScenario()
            .User("self-writer", Policy(Allow("iam:PutUserPolicy", UserArn("self-writer"))))
            .Paths();

        // Then it can become administrator by writing its own policy
        var s = paths.Standing("self-writer");
        Assert.Equal(AdminCategory.CanBecomeAdministrator, s.Category);
        Assert.Equal(["iam-write-policy"], s.PathToAdministrator!.Techniques());
    }

    [Fact]
    public void Standings_PutPolicyOnOthersOnly_IsPrivilegeAdministrator()
    {
        // Given a user that may write policies of roles only, with no way to become any role
        var paths = new PathScenario()
            .User("delegator", Policy(Allow("iam:PutRolePolicy")))
            .Role("app", TrustService("ecs-tasks.amazonaws.com"), Policy(Allow("s3:GetObject")))
            .Paths();

        // Then it is a privilege administrator (can hand admin to others), not an administrator
        var s = paths.Standing("delegator");
        Assert.Equal(AdminCategory.PrivilegeAdministrator, s.Category);
        Assert.Equal(1, s.GrantsAdministratorTo);
    }

    [Fact]
    public void Standings_PutRolePolicyAndAssume_CanBecomeAdministrator()
    {
        // Given a user that may write role policies and assume a role that trusts it
        var paths = new PathScenario()
            .User("writer", Policy(Allow("iam:PutRolePolicy"), Allow("sts:AssumeRole")))
            .Role("app", TrustAws($"arn:aws:iam::{A}:root"), Policy(Allow("s3:GetObject")))
            .Paths();

        // Then it writes the role's policy, then assumes it
        var path = paths.Standing("writer").PathToAdministrator!;
        Assert.Equal(["iam-write-policy", "sts-assume-role"], path.Techniques());
    }

    [Fact]
    public void Standings_PutRolePolicyOnBoundedRole_NoPathUnlessBoundaryRemovable()
    {
        // Given a writer and a role it can assume, whose boundary allows only S3
        var scenario = () => new PathScenario()
            .ManagedPolicy("s3-only", Policy(Allow("s3:*")))
            .Role("app", TrustAws($"arn:aws:iam::{A}:root"), Policy(Allow("s3:GetObject")), boundary: $"arn:aws:iam::{A}:policy/s3-only");
        var blocked = scenario().User("writer", Policy(Allow("iam:PutRolePolicy"), Allow("sts:AssumeRole"))).Paths();
        var remover = scenario().User("writer", Policy(Allow("iam:PutRolePolicy,iam:DeleteRolePermissionsBoundary"), Allow("sts:AssumeRole"))).Paths();

        // Then the boundary stops the first; the second may delete the boundary too
        Assert.Equal(AdminCategory.None, blocked.Standing("writer").Category);
        Assert.Equal(AdminCategory.CanBecomeAdministrator, remover.Standing("writer").Category);
    }

    [Fact]
    public void Standings_CreatePolicyVersionOnAwsManagedOnly_IsNotCounted()
    {
        // Given a user allowed iam:CreatePolicyVersion only on AWS-managed policy ARNs (which cannot be written), beside a
        // customer-managed policy it holds
        var arn = $"arn:aws:iam::{A}:policy/mine";
        var paths = new PathScenario()
            .ManagedPolicy("mine", Policy(Allow("s3:GetObject")))
            .User("versioner", Policy(Allow("iam:CreatePolicyVersion", "arn:aws:iam::aws:policy/*")), managed: [arn])
            .Paths();

        // Then nothing is counted
        Assert.Equal(AdminCategory.None, paths.Standing("versioner").Category);
    }

    [Fact]
    public void Standings_CreatePolicyVersionOnOwnCustomerPolicy_CanBecomeAdministrator()
    {
        // Given a user whose attached customer-managed policy allows writing new versions of itself
        var arn = $"arn:aws:iam::{A}:policy/self-edit";
        var paths = new PathScenario()
            .ManagedPolicy("self-edit", Policy(Allow("iam:CreatePolicyVersion", arn)))
            .User("versioner", managed: [arn])
            .Paths();

        // Then it can become administrator
        Assert.Equal(["iam-create-policy-version"], paths.Standing("versioner").PathToAdministrator!.Techniques());
    }

    [Fact]
    public void Standings_AddSelfToAdminGroup_CanBecomeAdministrator()
    {
        // Given an administrators' group with a member, and a user allowed to add users to it
        var paths = new PathScenario()
            .Group("admins", AdminPolicy)
            .User("member", groups: ["admins"])
            .User("joiner", Policy(Allow("iam:AddUserToGroup", $"arn:aws:iam::{A}:group/admins")))
            .Paths();

        // Then the joiner adds itself
        Assert.Equal(["iam-add-user-to-group"], paths.Standing("joiner").PathToAdministrator!.Techniques());
        Assert.Equal(AdminCategory.Administrator, paths.Standing("member").Category);
    }

    [Fact]
    public void Standings_LongChainAndCycle_ShortestPathFound()
    {
        // Given r1 → r2 → r3 → r4 → r5 (admin), with r3 also trusting r2's successor back (a cycle r2 ⇄ r3)
        var scenario = new PathScenario().User("start", AssumeAll);
        string Next(string from) => TrustAws(from);
        scenario.Role("r1", Next(UserArn("start")), AssumeAll)
            .Role("r2", Trust($$"""{"AWS":["{{RoleArn("r1")}}","{{RoleArn("r3")}}"]}"""), AssumeAll)
            .Role("r3", Next(RoleArn("r2")), AssumeAll)
            .Role("r4", Next(RoleArn("r3")), AssumeAll)
            .Role("r5", Next(RoleArn("r4")), AdminPolicy);
        var paths = scenario.Paths();

        // Then start reaches r5 in five hops, each role once
        var path = paths.Standing("start").PathToAdministrator!;
        Assert.Equal(6, path.Steps.Length);
        Assert.Equal([RoleArn("r1"), RoleArn("r2"), RoleArn("r3"), RoleArn("r4"), RoleArn("r5")], path.Steps.Take(5).Select(s => s.To));
        // And with at most 4 hops there is no path; with 5 there is exactly one
        var start = paths.Graph.Estate.Identities.ToList().FindIndex(i => i.Identity.Name == "start");
        Assert.Empty(paths.AllPaths(start, paths.AdministratorGoal, "admin", 4, 10).Paths);
        Assert.Single(paths.AllPaths(start, paths.AdministratorGoal, "admin", 5, 10).Paths);
    }

    [Fact]
    public void Standings_UnknownPolicyContent_EdgeKeptAsIndeterminate()
    {
        // Given a user whose only policy is missing from the export, and a role trusting the account with admin
        var paths = new PathScenario()
            .User("mystery", managed: [$"arn:aws:iam::{A}:policy/missing"])
            .Role("admin", TrustAws($"arn:aws:iam::{A}:root"), AdminPolicy)
            .Paths();

        // Then the user may be an administrator itself or assume the role: indeterminate, never dropped
        var s = paths.Standing("mystery");
        Assert.NotEqual(AdminCategory.None, s.Category);
        Assert.NotEqual(AdminCategory.Administrator, s.Category);
        Assert.Equal(EdgeCertainty.Indeterminate, s.PathToAdministrator!.Certainty);
    }
}
