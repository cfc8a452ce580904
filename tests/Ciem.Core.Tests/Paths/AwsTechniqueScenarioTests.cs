using Ciem.Core.Paths;
using static Ciem.Core.Tests.Paths.PathScenario;

namespace Ciem.Core.Tests.Paths;

/// <summary>
/// One scenario per modelled AWS technique not covered by <see cref="AttackPathsTests"/> (code run by a resource that
/// already exists, a permissions-boundary removal), each with a near-miss twin that cannot.
/// </summary>
public sealed class AwsTechniqueScenarioTests
{
    [Theory]
    [InlineData("ec2-user-data", "ec2:ModifyInstanceAttribute,ec2:StartInstances", "ec2.amazonaws.com")]
    [InlineData("codebuild-existing-project", "codebuild:StartBuild", "codebuild.amazonaws.com")]
    [InlineData("ecs-execute-command", "ecs:ExecuteCommand", "ecs-tasks.amazonaws.com")]
    public void Standings_ExistingResourceTechnique_PossibleIfTheResourceExists(string technique, string actions, string service)
    {
        // Given the technique's actions on every resource and an admin role the service may assume (with an instance profile)
        var paths = new PathScenario()
            .User("operator", Policy(Allow(actions)))
            .Role("svc-admin", TrustService(service), AdminPolicy, profile: true)
            .Paths();

        // Then the path is possible if such a resource runs as the role (the export has no inventory of them)
        var path = paths.Standing("operator").PathToAdministrator!;
        Assert.Equal(technique, path.Steps[0].Technique.Id);
        Assert.Equal(RoleArn("svc-admin"), path.Steps[0].To);
        Assert.Equal(EdgeCertainty.NeedsResource, path.Certainty);
    }

    [Theory]
    [InlineData("ec2:ModifyInstanceAttribute,ec2:StartInstances", "lambda.amazonaws.com")]
    [InlineData("ec2:ModifyInstanceAttribute", "ec2.amazonaws.com")]
    [InlineData("codebuild:StartBuild", "glue.amazonaws.com")]
    [InlineData("ecs:ExecuteCommand", "ec2.amazonaws.com")]
    public void Standings_ExistingResourceTechnique_NearMissTwins_NoPath(string actions, string service)
    {
        // Given the actions (or only some of them) and an admin role trusting a service the technique does not run as
        var paths = new PathScenario()
            .User("operator", Policy(Allow(actions)))
            .Role("svc-admin", TrustService(service), AdminPolicy, profile: true)
            .Paths();

        // Then there is no path
        Assert.Equal(AdminCategory.None, paths.Standing("operator").Category);
    }

    [Fact]
    public void Standings_BoundaryHoldingAnAdministratorBack_RemovedByItself()
    {
        // Given two users with `*` inline, each held back by a boundary; one boundary also allows deleting it
        var paths = new PathScenario()
            .ManagedPolicy("s3-and-unbound", Policy(Allow("s3:*,iam:DeleteUserPermissionsBoundary")))
            .ManagedPolicy("s3-only", Policy(Allow("s3:*")))
            .User("unbounded", AdminPolicy, boundary: $"arn:aws:iam::{A}:policy/s3-and-unbound")
            .User("held", AdminPolicy, boundary: $"arn:aws:iam::{A}:policy/s3-only")
            .Paths();

        // Then the first removes its boundary and becomes administrator; the second stays held back
        var s = paths.Standing("unbounded");
        Assert.Equal(AdminCategory.CanBecomeAdministrator, s.Category);
        Assert.Equal(["iam-remove-boundary"], s.PathToAdministrator!.Techniques());
        Assert.Equal(AdminCategory.None, paths.Standing("held").Category);
    }
}
