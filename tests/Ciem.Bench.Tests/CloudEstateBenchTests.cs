using Ciem.Core.Azure.Evaluation;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Model;

namespace Ciem.Bench.Tests;

/// <summary>Runs the Azure and GCP estate benchmarks on small estates, untimed, so they cannot rot.</summary>
public sealed class CloudEstateBenchTests
{
    private static double Value(IReadOnlyList<Figure> figures, string name) => figures.Single(f => f.Name == name).Value;

    [Fact]
    public void RunAzure_TwoHundredPrincipals_TenAssignmentsEachAndStableDecisions()
    {
        // Given a small synthetic tenant
        var (estate, requests) = CloudEstateBench.AzureEstateOf(200);

        // When a sample of requests is evaluated twice
        var authorizer = new AzureAuthorizer(estate);
        var first = requests.Take(2000).Select(r => authorizer.Evaluate(r).Decision).ToArray();
        var second = requests.Take(2000).Select(r => authorizer.Evaluate(r).Decision).ToArray();

        // Then the estate has its documented shape, decisions are stable and some requests are allowed
        Assert.Equal(2000, estate.RoleAssignments.Length);
        Assert.Equal(first, second);
        Assert.Contains(Decision.Allow, first);
        Assert.Contains(Decision.ImplicitDeny, first);
    }

    [Fact]
    public void RunGcp_TwoHundredMembers_FiguresReported()
    {
        // Given / When the GCP estate benchmark on 200 members (20 projects, 60 buckets)
        var figures = CloudEstateBench.RunGcp(200);

        // Then it reports rates, allowed requests and grants
        Assert.Equal(200, Value(figures, "gcp-eval.principals"));
        Assert.True(Value(figures, "gcp-eval.rate") > 0);
        Assert.True(Value(figures, "gcp-eval.allowed") > 0);
        Assert.True(Value(figures, "gcp-eval.grants") > 0);
        var (policies, _, members) = CloudEstateBench.GcpEstateOf(200);
        Assert.Equal(20, policies.Inventory.Resources.Count(r => r.Kind == Core.Gcp.Inventory.GcpResourceKind.Project));
        Assert.Equal(200, members.Count);
        Assert.NotEmpty(GcpEffectiveAccess.Compute(policies, members[1]).Grants);
    }
}
