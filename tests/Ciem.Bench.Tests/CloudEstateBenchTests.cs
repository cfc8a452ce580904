
namespace Ciem.Bench.Tests;

/// <summary>Runs the Azure and GCP estate benchmarks on small estates, untimed, so they cannot rot.</summary>
public sealed class CloudEstateBenchTests
{
    private static double Value(IReadOnlyList<Figure> figures, string name) => figures.Single(f => f.Name == name).Value;

    [Fact]
    public void RunAzure_TwoHundredPrincipals_FiguresReported()
    {
        // Given / When the Azure estate benchmark on 200 principals and 5,000 requests
        var figures = CloudEstateBench.RunAzure(200, requests: 5_000);

        // Then it reports the estate's ten assignments per principal, a rate and allowed requests
        Assert.Equal(200, Value(figures, "azure-eval.principals"));
        Assert.Equal(2_000, Value(figures, "azure-eval.bindings"));
        Assert.True(Value(figures, "azure-eval.rate") > 0);
        Assert.Equal(321, Value(figures, "azure-eval.allowed"));
        Assert.Equal(0, Value(figures, "azure-eval.indeterminate"));
        Assert.True(Value(figures, "azure-eval.grants") > 0);
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
        Assert.Equal(252, Value(figures, "gcp-eval.bindings"));
    }
}
