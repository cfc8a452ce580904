using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.LeastPrivilege;
using Ciem.Core.Model;
using Ciem.Core.Paths;
using Ciem.Core.Sweep;
using Ciem.Core.Tests.Paths;
using static Ciem.Core.Tests.Paths.PathScenario;

namespace Ciem.Core.Tests.Sweep;

/// <summary>
/// Issue #17, "an honest admin flag": the sweep's administrator flag, its slices and the gap are the categories the engine
/// decides on the attack graph — not the old reading of the grants (full `*`, or an IAM self-modification action on
/// `Resource: *`, conditions ignored), which both overclaimed and missed. Each case is one the old flag got wrong.
/// </summary>
public sealed class SweepAdminCategoryTests
{
    private static readonly DateTimeOffset AsOf = new(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);

    private static AwsEstate Estate() => new PathScenario()
        // Full control, no condition: administrator.
        .User("root-like", AdminPolicy)
        // `*` only in a region that does not exist: the condition never holds.
        .User("expired-star", Policy(Allow("*", condition: """{"StringEquals":{"aws:RequestedRegion":"xx-nowhere-1"}}""")))
        // Can attach policies to any role, but no role trusts it: it can make others administrators, not itself.
        .User("role-admin", Policy(Allow("iam:AttachRolePolicy,iam:PutRolePolicy")))
        .Role("workload", TrustService("ec2.amazonaws.com"), Policy(Allow("s3:GetObject")))
        // Can write a new version of the one policy attached to it (a resource-scoped grant): can become administrator.
        .ManagedPolicy("self-service", Policy(Allow("iam:CreatePolicyVersion", $"arn:aws:iam::{A}:policy/self-service")))
        .User("self-writer", managed: [$"arn:aws:iam::{A}:policy/self-service"])
        // Passes an administrator role to a Lambda it creates and invokes: can become administrator.
        .Role("lambda-admin", TrustService("lambda.amazonaws.com"), AdminPolicy)
        .User("deployer", Policy(Allow("iam:PassRole", RoleArn("lambda-admin")), Allow("lambda:CreateFunction,lambda:InvokeFunction")))
        // Near miss: the same, but may pass only a role that is no administrator.
        .User("deployer-twin", Policy(Allow("iam:PassRole", RoleArn("workload")), Allow("lambda:CreateFunction,lambda:InvokeFunction")))
        .Estate();

    private static SweepResult Sweep(AwsEstate estate, SweepOptions? options = null) => SweepRunner.Run(estate,
        new Dictionary<string, IReadOnlyList<ObservedAction>>(), new Dictionary<string, IReadOnlyList<ObservedAction>>(),
        new UsageCoverage(null, null, 90, 0, 0, 0, 0), _ => true, AsOf, options);

    private static IdentityGap Gap(SweepResult r, string user) => r.Gaps.Single(g => g.Identity.Id == UserArn(user));

    [Fact]
    public void Sweep_AdministratorFlag_IsTheEngineDecidedCategory()
    {
        // Given the estate / When swept
        var estate = Estate();
        var result = Sweep(estate);

        // Then each identity has the category the attack graph decides
        Assert.Equal(AdminCategory.Administrator, Gap(result, "root-like").Category);
        Assert.Equal(AdminCategory.None, Gap(result, "expired-star").Category);
        Assert.Equal(AdminCategory.PrivilegeAdministrator, Gap(result, "role-admin").Category);
        Assert.Equal(AdminCategory.CanBecomeAdministrator, Gap(result, "self-writer").Category);
        Assert.Equal(AdminCategory.CanBecomeAdministrator, Gap(result, "deployer").Category);
        Assert.Equal(AdminCategory.None, Gap(result, "deployer-twin").Category);
        Assert.Equal(AdminCategory.Administrator, result.Gaps.Single(g => g.Identity.Id == RoleArn("lambda-admin")).Category);

        // And only the administrators are flagged administrator, in the gaps, the summary and the slices
        Assert.Equal([RoleArn("lambda-admin"), UserArn("root-like")],
            result.Gaps.Where(g => g.IsAdministrator).Select(g => g.Identity.Id).Order(StringComparer.Ordinal));
        Assert.Equal(2, result.Summary.Administrators);
        var all = result.Slices.Single(s => s.Name == "all");
        Assert.Equal((2, 2, 3), (all.Administrators, all.CanBecomeAdministrators, all.PrivilegeAdministrators));
        Assert.True(Gap(result, "role-admin").PrivilegeAdministrator);
        Assert.False(Gap(result, "deployer").PrivilegeAdministrator);
    }

    [Fact]
    public void Sweep_TheOldGrantReading_DisagreedOnEveryCaseButTheFullGrant()
    {
        // Given the grant-based flag of the effective permissions (what the sweep used to show)
        var estate = Estate();
        var calculator = new AwsEffectivePermissionCalculator(AwsActionCatalog.Default, AsOf);
        bool Old(string user) => calculator.Compute(estate.Identities.Single(i => i.Identity.Id == UserArn(user))).IsAdministrator;

        // Then it overclaimed an impossible condition and a principal that can only make others administrators, and missed
        // the resource-scoped self-rewrite and the PassRole path — which the sweep now decides on the graph
        Assert.Equal((true, true, true, false, false), (Old("root-like"), Old("expired-star"), Old("role-admin"), Old("self-writer"),
            Old("deployer")));
        var result = Sweep(estate);
        Assert.Equal((true, false, false, false, false), (Gap(result, "root-like").IsAdministrator, Gap(result, "expired-star").IsAdministrator,
            Gap(result, "role-admin").IsAdministrator, Gap(result, "self-writer").IsAdministrator, Gap(result, "deployer").IsAdministrator));
    }

    [Fact]
    public void Sweep_StandingsGivenByTheHost_AreUsedAsGiven()
    {
        // Given standings the host built (one graph shared by the sweep, its risk view and its proposals)
        var estate = Estate();
        var standings = AdminStandings.Aws(new AttackPaths(AttackGraphBuilder.Build(estate)));

        // When swept with them / Then the categories are the same as the sweep's own graph gives
        var given = Sweep(estate, new SweepOptions { Administrators = standings });
        var own = Sweep(estate);
        Assert.Equal(own.Gaps.Select(g => (g.Identity.Id, g.Category)), given.Gaps.Select(g => (g.Identity.Id, g.Category)));
        Assert.Equal(AdminFlag.None, standings.Of(Provider.AwsName, "arn:aws:iam::111111111111:user/not-in-the-estate"));
        Assert.Equal(AdminCategory.Administrator, standings.Of(Provider.AwsName, UserArn("root-like")).Category);
    }

    [Fact]
    public void Sweep_UnusedAdministrator_OnlyForAnAdministratorThatUsedNoPermissionsManagementAction()
    {
        // Given the root-like user used iam:AttachRolePolicy (permissions management), the deployer (who can become administrator) used nothing
        var estate = Estate();
        var window = new Dictionary<string, IReadOnlyList<ObservedAction>>
        {
            [UserArn("root-like")] = [new("iam:AttachRolePolicy", "*", 2, AsOf.AddDays(-5), AsOf.AddDays(-1))],
        };
        var result = SweepRunner.Run(estate, window, new Dictionary<string, IReadOnlyList<ObservedAction>>(),
            new UsageCoverage(null, null, 90, 10, 1, 0, 0), _ => true, AsOf);

        // Then root-like used its administrative rights; the lambda role did not; the deployer is no administrator to be unused
        Assert.True(Gap(result, "root-like").AdminActionUsed);
        Assert.Equal(1, result.Summary.UnusedAdministrators);
        Assert.False(Gap(result, "deployer").AdminActionUsed);
        Assert.Equal(1, result.Slices.Single(s => s.Name == "all").UnusedAdministrators);
    }
}
