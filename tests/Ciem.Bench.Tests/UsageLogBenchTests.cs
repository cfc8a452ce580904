namespace Ciem.Bench.Tests;

/// <summary>Runs the Azure and GCP usage log benchmarks on small inputs, untimed, so they cannot rot.</summary>
public sealed class UsageLogBenchTests
{
    private static double Value(IReadOnlyList<Figure> figures, string name) => figures.Single(f => f.Name == name).Value;

    [Fact]
    public void RunAzure_TwentyFiveThousandRecords_EveryRecordReadAndStored()
    {
        // Given / When the Azure benchmark on 25,000 records (3 blobs, the second gzip)
        var figures = UsageLogBench.RunAzure(25_000);

        // Then every record is read; 1 in 11 is a `Start` record (in progress), the rest uses or failures
        Assert.Equal(3, Value(figures, "azure.files"));
        Assert.Equal(25_000, Value(figures, "azure.records"));
        Assert.Equal(25_000 - Math.Ceiling(25_000 / 11.0), Value(figures, "azure.events"));
        Assert.True(Value(figures, "azure.rows") > 0);
        Assert.True(Value(figures, "azure.rate") > 0);
    }

    [Fact]
    public void RunGcp_TwentyFiveThousandEntries_OneEventPerEntry()
    {
        // Given / When the GCP benchmark on 25,000 entries
        var figures = UsageLogBench.RunGcp(25_000);

        // Then each entry's one permission check is one event
        Assert.Equal(25_000, Value(figures, "gcp.records"));
        Assert.Equal(25_000, Value(figures, "gcp.events"));
        Assert.True(Value(figures, "gcp.peak") > 0);
    }

    [Fact]
    public void GenerateGcp_SinkLayout_ActivityAndDataAccessObjects()
    {
        // Given a temporary folder / When 30,000 entries are generated
        var root = Directory.CreateTempSubdirectory("ciem-bench-gcp-").FullName;
        try
        {
            var files = UsageLogBench.GenerateGcp(root, 30_000);

            // Then the objects follow the sink's layout, a data_access one among them, every other one gzip
            Assert.Equal(3, files.Count);
            Assert.Contains(Path.Combine("cloudaudit.googleapis.com", "data_access", "2026", "11", "01", "00:00:00_00:59:59_S0.json"), files[0], StringComparison.Ordinal);
            Assert.EndsWith(".json.gz", files[1], StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
