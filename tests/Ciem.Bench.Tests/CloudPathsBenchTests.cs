using Ciem.Core.Model;

namespace Ciem.Bench.Tests;

/// <summary>Runs the Azure and GCP attack-path benchmarks on small synthetic estates, untimed, so they cannot rot.</summary>
public sealed class CloudPathsBenchTests
{
    private static double Value(IReadOnlyList<Figure> figures, string name) => figures.Single(f => f.Name == name).Value;

    [Theory]
    [InlineData(Provider.AzureName)]
    [InlineData(Provider.GcpName)]
    public void RunCloud_TwoHundredPrincipals_GraphStandingsAndScopesReported(string provider)
    {
        // Given / When the attack-path benchmark on a 200-principal synthetic estate, twice
        var first = PathsBench.RunCloud(provider, 200);
        var second = PathsBench.RunCloud(provider, 200);

        // Then the graph has nodes and edges, administrators or principals that can become one (Azure: through the roles that
        // write role assignments; the synthetic roles hold no Owner)
        // are found per scope, and the checksums are stable
        Assert.True(Value(first, $"{provider}-paths.nodes") >= 200);
        Assert.True(Value(first, $"{provider}-paths.edges") > 0);
        Assert.True(Value(first, $"{provider}-paths.admins") + Value(first, $"{provider}-paths.canbecome") > 0);
        if (provider == Provider.AzureName) { Assert.True(Value(first, $"{provider}-paths.canbecome") > 0); }
        Assert.True(Value(first, $"{provider}-paths.scoperows") >= Value(first, $"{provider}-paths.canbecome"));
        foreach (var checksum in new[] { "nodes", "edges", "grants", "admins", "canbecome", "privilege", "scoperows" })
        {
            Assert.Equal(Value(first, $"{provider}-paths.{checksum}"), Value(second, $"{provider}-paths.{checksum}"));
        }
    }
}
