namespace Ciem.Bench.Tests;

/// <summary>Runs the Azure and GCP usage log benchmarks on small demo logs, untimed, so they cannot rot.</summary>
public sealed class UsageLogBenchTests
{
    private static double Value(IReadOnlyList<Figure> figures, string name) => figures.Single(f => f.Name == name).Value;

    [Fact]
    public void RunAzure_AboutFiveThousandRecords_EveryRecordReadAndStored()
    {
        // Given / When the Azure benchmark on the demo's logs scaled to about 5,000 records
        var figures = UsageLogBench.RunAzure(5_000);

        // Then the demo's scale is set from the count (the sign-ins on top), and every record read becomes a use, a failure or an in-progress `Started`
        Assert.Equal(5_000 / 9_893.0, Value(figures, "azure.scale"), 6);
        Assert.InRange(Value(figures, "azure.records"), 2_500 + 6_781, 10_000 + 6_781);
        Assert.InRange(Value(figures, "azure.events"), 1, Value(figures, "azure.records"));
        Assert.True(Value(figures, "azure.files") > 0);
        Assert.True(Value(figures, "azure.rate") > 0);
    }

    [Fact]
    public void RunGcp_AboutFiveThousandEntries_OneEventPerEntry()
    {
        // Given / When the GCP benchmark on the demo's audit logs scaled to about 5,000 entries
        var figures = UsageLogBench.RunGcp(5_000);

        // Then each entry's permission check is one event (a use or a refusal)
        Assert.InRange(Value(figures, "gcp.records"), 2_500, 10_000);
        Assert.Equal(Value(figures, "gcp.records"), Value(figures, "gcp.events"));
        Assert.True(Value(figures, "gcp.peak") > 0);
    }
}
