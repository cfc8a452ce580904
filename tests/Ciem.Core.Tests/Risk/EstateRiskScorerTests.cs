using Ciem.Core.Paths;
using Ciem.Core.Paths.Clouds;
using Ciem.Core.Risk;
using Ciem.Core.Tests.Paths;
using Ciem.Core.Tests.Paths.Clouds;
using static Ciem.Core.Tests.Paths.Clouds.CloudScenario;

namespace Ciem.Core.Tests.Risk;

/// <summary>Azure and GCP principals scored with the published points from their standing on the multi-cloud graph.</summary>
public sealed class EstateRiskScorerTests
{
    private static readonly string Alice = Id(101);
    private static readonly string Bob = Id(102);
    private static readonly string Carol = Id(103);
    private static readonly string Dave = Id(104);

    private static string OthersOnly(string self) =>
        "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR "
        + $"(@Request[Microsoft.Authorization/roleAssignments:PrincipalId] ForAnyOfAllValues:GuidNotEquals {{{self}}}))";

    /// <summary>Every principal of the provider scored, by id; <paramref name="inactive"/> have no activity in a 30-day window.</summary>
    private static Dictionary<string, RiskRow> Score(CloudScenario scenario, string provider, params string[] inactive)
    {
        var paths = scenario.Paths();
        var trusted = EstateRiskScorer.TrustedFromOtherClouds(paths.Graph);
        return paths.AllStandings(provider, includeNone: true).Select(s => EstateRiskScorer.Cloud(new CloudRiskSubject(s, s.Node.Name,
                "human", "scope",
                new CloudActivity(inactive.Contains(s.Node.Id, StringComparer.OrdinalIgnoreCase), null, 30)), trusted))
            .ToDictionary(r => r.Id, StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public void Cloud_AzureCategories_PointsPerFactorAndNearMissTwinUnflagged()
    {
        // Given Alice Owner (inactive), Bob User Access Administrator, Carol RBAC Administrator for others only, Dave eligible
        // RBAC Administrator for others only, and a Reader twin of Bob
        var rows = Score(new CloudScenario().Assign(Alice, Owner, Sub).Assign(Bob, UserAccessAdministrator, Sub)
            .Assign(Carol, RbacAdministrator, Sub, condition: OthersOnly(Carol))
            .Eligible(Dave, RbacAdministrator, Sub, OthersOnly(Dave)).Assign(Id(105), Reader, Sub), "azure", Alice);

        // Then Alice: administrator 40 + inactive 10 + unused administrator 15
        Assert.Equal((AdminCategory.Administrator, 65), (rows[Alice].Category, rows[Alice].Score));
        Assert.Equal(["administrator", "inactive", "unused-administrator"], rows[Alice].Factors.Select(f => f.Id));
        Assert.Null(rows[Alice].PathToAdministrator);
        // And Bob: a certain one-hop path (30) and grants to others (20), with the path's technique
        Assert.Equal((AdminCategory.CanBecomeAdministrator, 50), (rows[Bob].Category, rows[Bob].Score));
        Assert.Equal(["azure-role-assignment-write"], rows[Bob].PathToAdministrator!.Steps.Select(s => s.Technique));
        Assert.Equal(1, rows[Bob].PathToAdministrator!.Hops);
        // And Carol grants to others only (20); Dave the same once he activates his eligible role
        Assert.Equal((AdminCategory.PrivilegeAdministrator, 20, false), (rows[Carol].Category, rows[Carol].Score, rows[Carol].GrantsNeedActivation));
        Assert.Equal((AdminCategory.PrivilegeAdministrator, 20, true), (rows[Dave].Category, rows[Dave].Score, rows[Dave].GrantsNeedActivation));
        Assert.EndsWith("once a PIM-eligible role is activated", rows[Dave].Factors.Single().Detail, StringComparison.Ordinal);
        Assert.True(rows[Dave].IsPrivilegeAdministrator);
        // And the Reader twin carries nothing
        Assert.Equal((AdminCategory.None, 0), (rows[Id(105)].Category, rows[Id(105)].Score));
    }

    [Fact]
    public void Cloud_GcpOwnerPathAndFederation_ScoredAndViewerTwinUnflagged()
    {
        // Given the owner account of proj-a, Dev who can mint its tokens, a viewer twin, and a pool that lets AWS role `ci` act
        // as a member bound to the viewer role
        const string deployer = "deployer@proj-a.iam.gserviceaccount.com";
        const string pool = "principalSet://iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/aws-pool/attribute.aws_role/";
        var rows = Score(new CloudScenario().ServiceAccount(deployer, "111222333")
            .Bind(Project, "roles/owner", "serviceAccount:" + deployer)
            .Bind(SaResource(deployer), "roles/iam.serviceAccountTokenCreator", "user:dev@example.com")
            .Bind(Project, "roles/viewer", "user:viewer@example.com")
            .Bind(Project, "roles/viewer", pool + "arn:aws:sts::111111111111:assumed-role/ci")
            .Aws(a => a.Role("ci", PathScenario.TrustAws("arn:aws:iam::111111111111:root"),
                PathScenario.Policy(PathScenario.Allow("s3:ListBucket")))), "gcp");

        // Then the owner account is an administrator (40), Dev has a certain two-step path (30), the viewer nothing, and
        // the pool member is trusted by the AWS role (10)
        Assert.Equal((AdminCategory.Administrator, 40), (rows["serviceAccount:" + deployer].Category, rows["serviceAccount:" + deployer].Score));
        var dev = rows["user:dev@example.com"];
        Assert.Equal(("path-to-administrator", 30), (dev.Factors.Single().Id, dev.Score));
        Assert.Equal(["gcp-get-access-token", "gcp-administrator"], dev.PathToAdministrator!.Steps.Select(s => s.Technique));
        Assert.Equal(0, rows["user:viewer@example.com"].Score);
        var member = rows[pool + "arn:aws:sts::111111111111:assumed-role/ci"];
        Assert.Equal(("trusted-by-other-cloud", 10), (member.Factors.Single().Id, member.Score));
        Assert.Contains("aws `", member.Factors[0].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Rank_HighestScoreFirst_ThenProviderThenId()
    {
        // Given rows of three providers with ties
        RiskRow Row(string provider, string id, int score) => new(provider, id, id, "human", "s", AdminCategory.None, score, [], null);

        // When ranked
        var ranked = EstateRiskScorer.Rank([Row("gcp", "a", 10), Row("aws", "z", 10), Row("azure", "b", 40), Row("aws", "y", 10)]);

        // Then by score, then aws, azure, gcp, then id
        Assert.Equal(["b", "y", "z", "a"], ranked.Select(r => r.Id));
    }
}
