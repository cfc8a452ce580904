using Ciem.Core.Azure.Evaluation;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Gcp.Inventory;
using Ciem.Core.Model;
using Ciem.Demo;

namespace Ciem.Bench.Tests;

/// <summary>The scaled synthetic estates of Ciem.Demo that `azure-eval` and `gcp-eval` measure: shape, counts, determinism.</summary>
public sealed class ScaledEstatesTests
{
    [Fact]
    public void Azure_TwoHundredPrincipals_HasTheDocumentedShape()
    {
        // Given / When a tenant of 200 users and 2,000 requests
        var (estate, requests, users) = ScaledEstates.Azure(200, 2_000);

        // Then it has ten assignments per user, a quarter to the 11 groups, and the fixed roles, denies and hierarchy
        Assert.Equal(200, users.Length);
        Assert.Equal(2_000, estate.RoleAssignments.Length);
        Assert.Equal(500, estate.RoleAssignments.Count(a => a.PrincipalType == "Group"));
        Assert.Equal(11, estate.RoleAssignments.Where(a => a.PrincipalType == "Group").Select(a => a.PrincipalId).Distinct().Count());
        Assert.Equal(200, estate.RoleDefinitions.Length);
        Assert.Equal(200, estate.DenyAssignments.Length);
        Assert.Equal(40, estate.RoleAssignments.Count(a =>
            a.Scope.StartsWith("/providers/Microsoft.Management/", StringComparison.Ordinal)));
        Assert.Equal(2_000, requests.Length);
        Assert.All(estate.RoleAssignments.Where(a => a.PrincipalType == "User"), a => Assert.Contains(a.PrincipalId, users));
    }

    [Fact]
    public void Azure_SameSizeTwice_SameEstateRequestsAndDecisions()
    {
        // Given two tenants of the same size and seed, and a twin with another seed
        var first = ScaledEstates.Azure(200, 2_000);
        var second = ScaledEstates.Azure(200, 2_000);
        var otherSeed = ScaledEstates.Azure(200, 2_000, seed: 43);

        // When the requests are evaluated
        var decisions = Decide(first);

        // Then the same size gives the same assignments, requests and decisions, and another seed other assignments
        Assert.Equal(Texts(first.Estate.RoleAssignments), Texts(second.Estate.RoleAssignments));
        Assert.Equal(Texts(first.Requests), Texts(second.Requests));
        Assert.Equal(decisions, Decide(second));
        Assert.NotEqual(Texts(first.Estate.RoleAssignments), Texts(otherSeed.Estate.RoleAssignments));
        Assert.Equal("Allow 122, ExplicitDeny 22, ImplicitDeny 1856, Indeterminate 0", Summary(decisions));
    }

    [Fact]
    public void Gcp_TwoHundredMembers_HasTheDocumentedShape()
    {
        // Given / When an organisation of 200 members and 2,000 requests
        var (policies, requests, members) = ScaledEstates.Gcp(200, 2_000);
        var inventory = policies.Inventory;

        // Then: 20 projects of 3 buckets under 20 folders, 11 groups, 20 service accounts, and
        // 2 + 20 + 20 × 10 + 30 bindings
        Assert.Equal(200, members.Length);
        Assert.Equal(20, members.Count(m => m.StartsWith("serviceAccount:", StringComparison.Ordinal)));
        Assert.Equal(20, inventory.Resources.Count(r => r.Kind == GcpResourceKind.Project));
        Assert.Equal(20, inventory.Resources.Count(r => r.Kind == GcpResourceKind.Folder));
        Assert.Equal(60, inventory.Resources.Count(r => r.AssetType == "storage.googleapis.com/Bucket"));
        Assert.Equal(11, inventory.Groups.Length);
        Assert.Equal(252, inventory.Policies.Sum(p => p.Bindings.Length));
        Assert.Equal(2_000, requests.Length);
        Assert.All(members.Where(m => m.StartsWith("user:", StringComparison.Ordinal)), m => Assert.EndsWith("@acme.example", m));
    }

    [Fact]
    public void Gcp_SameSizeTwice_SameEstateRequestsAndDecisions()
    {
        // Given two organisations of the same size and seed, and a twin with another seed
        var first = ScaledEstates.Gcp(200, 2_000);
        var second = ScaledEstates.Gcp(200, 2_000);
        var otherSeed = ScaledEstates.Gcp(200, 2_000, seed: 43);

        // When the requests are evaluated and one member's effective access computed
        var decisions = first.Requests.Select(r => GcpAuthorizer.Evaluate(r, first.Policies).Decision).ToArray();
        var grants = GcpEffectiveAccess.Compute(first.Policies, first.Members[1]).Grants.Length;

        // Then the same size gives the same bindings, requests and decisions, and another seed other bindings
        Assert.Equal(Bindings(first), Bindings(second));
        Assert.Equal(Texts(first.Requests), Texts(second.Requests));
        Assert.Equal(decisions, second.Requests.Select(r => GcpAuthorizer.Evaluate(r, second.Policies).Decision));
        Assert.NotEqual(Bindings(first), Bindings(otherSeed));
        Assert.Equal("Allow 80, ExplicitDeny 0, ImplicitDeny 1920, Indeterminate 0; grants 214", Summary(decisions) + $"; grants {grants}");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Azure_NoPrincipals_Refused(int principals)
    {
        // Given / When / Then a size below one is a caller's mistake
        Assert.Throws<ArgumentOutOfRangeException>(() => ScaledEstates.Azure(principals, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScaledEstates.Gcp(principals, 10));
    }

    private static Decision[] Decide(ScaledAzureEstate tenant)
    {
        var authorizer = new AzureAuthorizer(tenant.Estate);
        return [.. tenant.Requests.Select(r => authorizer.Evaluate(r).Decision)];
    }

    private static string Summary(IReadOnlyCollection<Decision> decisions) =>
        string.Join(", ", new[] { Decision.Allow, Decision.ExplicitDeny, Decision.ImplicitDeny, Decision.Indeterminate }
            .Select(d => $"{d} {decisions.Count(x => x == d)}"));

    private static List<string> Texts<T>(IEnumerable<T> items) => [.. items.Select(i => i!.ToString()!)];

    private static List<string> Bindings(ScaledGcpEstate estate) =>
    [
        .. estate.Policies.Inventory.Policies
            .SelectMany(p => p.Bindings.Select(b => $"{p.Resource} {b.Role} {string.Join(',', b.Members)}")),
    ];
}
