using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.LeastPrivilege;
using Ciem.Core.Model;
using Ciem.Core.Paths;
using static Ciem.Core.Tests.Paths.PathScenario;

namespace Ciem.Core.Tests.Paths;

public sealed class FirstHopRemovalsTests
{
    private static PolicyProposal Proposal(AwsIdentityContext who, params string[] removed) =>
        new(who.Identity, [], [], [], [.. removed], [], 10, 1, 0.9, new ProposalVerification(1, 1, 0, []), []);

    private static (AttackPaths Paths, AwsIdentityContext Who, Func<string, bool> Granted) Analyse(PathScenario scenario, string name)
    {
        var estate = scenario.Estate();
        var paths = new AttackPaths(AttackGraphBuilder.Build(estate));
        var who = estate.Identities.Single(i => i.Identity.Name == name);
        var effective = new AwsEffectivePermissionCalculator(AwsActionCatalog.Default).Compute(who);
        return (paths, who, a => AwsActionCatalog.Default.TryGetAction(a, out var action) && effective.Allowed.Contains(action));
    }

    [Fact]
    public void Find_ProposalRemovesAssumeRoleThatStartsPath_DescribesThePath()
    {
        // Given a developer who reaches an administrator role with sts:AssumeRole, and a proposal removing it
        var (paths, who, granted) = Analyse(new PathScenario()
            .User("dev", Policy(Allow("sts:AssumeRole"), Allow("s3:GetObject")))
            .Role("admin", TrustAws($"arn:aws:iam::{A}:root"), AdminPolicy), "dev");

        // When the removed paths are found
        var removed = FirstHopRemovals.Find(paths, Proposal(who, "sts:AssumeRole"), granted);

        // Then the path through the role is named, with the removed action
        var only = Assert.Single(removed);
        Assert.Equal("sts:AssumeRole", Assert.Single(only.Actions));
        Assert.Equal($"removes path `{UserArn("dev")}` → `{RoleArn("admin")}` → administrator (first hop: `sts:AssumeRole`)", only.Describe());
    }

    [Fact]
    public void Find_ProposalKeepsTheFirstHopAction_NothingRemoved()
    {
        // Given the same developer, and a proposal that removes only the unused S3 action (near-miss twin)
        var (paths, who, granted) = Analyse(new PathScenario()
            .User("dev", Policy(Allow("sts:AssumeRole"), Allow("s3:GetObject")))
            .Role("admin", TrustAws($"arn:aws:iam::{A}:root"), AdminPolicy), "dev");

        // Then no path is said to be removed
        Assert.Empty(FirstHopRemovals.Find(paths, Proposal(who, "s3:GetObject"), granted));
    }

    [Fact]
    public void Find_PassRolePathWithAnotherComputeAlternativeKept_OnlyRemovingPassRoleCuts()
    {
        // Given a developer who can pass an administrator role to Lambda (create and invoke, or an event source mapping)
        var scenario = new PathScenario()
            .User("dev", Policy(Allow("iam:PassRole,lambda:CreateFunction,lambda:InvokeFunction,lambda:CreateEventSourceMapping")))
            .Role("fn-admin", TrustService("lambda.amazonaws.com"), AdminPolicy);
        var (paths, who, granted) = Analyse(scenario, "dev");

        // When a proposal removes lambda:InvokeFunction only, the event source mapping still triggers the function
        Assert.Empty(FirstHopRemovals.Find(paths, Proposal(who, "lambda:InvokeFunction"), granted));

        // And when it removes iam:PassRole, the path is cut
        var cut = FirstHopRemovals.Find(paths, Proposal(who, "iam:PassRole"), granted);
        Assert.NotEmpty(cut);
        Assert.All(cut, c => Assert.Equal("iam:PassRole", Assert.Single(c.Actions)));
        Assert.Contains(cut, c => c.Path.Steps[0].Technique.Id == "passrole-lambda");
    }

    [Fact]
    public void Find_TrustAloneLetsTheIdentityIn_NotCutByItsPolicies()
    {
        // Given a role whose trust names `*` in the account: the developer's own sts:AssumeRole grant is not needed
        var (paths, who, granted) = Analyse(new PathScenario()
            .User("dev", Policy(Allow("sts:AssumeRole"), Allow("s3:GetObject")))
            .Role("open", Trust("\"*\"", $$$"""{"StringEquals":{"aws:PrincipalAccount":"{{{A}}}"}}"""), AdminPolicy), "dev");

        // Then removing sts:AssumeRole from the developer does not claim to cut the path
        Assert.Equal(AdminCategory.CanBecomeAdministrator, paths.Standing("dev").Category);
        Assert.Empty(FirstHopRemovals.Find(paths, Proposal(who, "sts:AssumeRole"), granted));
    }

    [Fact]
    public void Find_IdentityIsAdministrator_NothingClaimed()
    {
        // Given an administrator
        var (paths, who, granted) = Analyse(new PathScenario().User("boss", AdminPolicy), "boss");

        // Then its proposal says nothing about paths
        Assert.Empty(FirstHopRemovals.Find(paths, Proposal(who, "sts:AssumeRole", "iam:PassRole"), granted));
    }
}
