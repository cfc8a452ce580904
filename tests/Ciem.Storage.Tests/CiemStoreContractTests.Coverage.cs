using System.Collections.Immutable;
using Ciem.Tests;

namespace Ciem.Storage.Tests;

public abstract partial class CiemStoreContractTests
{
    private static UsageIngestRequest CoverageRun(string sha, ImmutableArray<LogCoverage> coverage) => new("gcp", new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero),
        [new UsageRow("user:carol@acme.example", "", "compute.instances.start", "projects/acme-prod", new DateOnly(2026, 11, 27), 1,
            new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero))],
        [], [], [new IngestedFile("/logs/" + sha + ".json", sha, 10, DateTimeOffset.UnixEpoch, 1)], new IngestCounts(1, 0, 1, 1, 0, 0, 0, 0, 0), coverage);

    [StoreFact]
    public void IngestUsage_CoverageOverTwoRuns_SummedPerLogServiceAndDayWithinTheRange()
    {
        // Given two runs: Data Access entries of Cloud Storage on two days, then more on the second day and Compute's
        // Admin Activity; and a run without coverage (the request's default)
        using (var store = OpenStore())
        {
            store.IngestUsage(CoverageRun("a1", [new("data_access", "storage.googleapis.com", new DateOnly(2026, 11, 26), 4), new("data_access", "storage.googleapis.com", new DateOnly(2026, 11, 27), 2)]));
            store.IngestUsage(CoverageRun("b2", [new("data_access", "storage.googleapis.com", new DateOnly(2026, 11, 27), 3), new("activity", "compute.googleapis.com", new DateOnly(2026, 11, 27), 1)]));
            store.IngestUsage(CoverageRun("c3", default));
        }

        // When the coverage of the 27th alone is loaded from a reopened store
        using var reopened = OpenStore();
        var day = reopened.LoadLogCoverage("gcp", new DateOnly(2026, 11, 27), new DateOnly(2026, 11, 28));

        // Then the entries of both runs are summed per log, service and day; other days and providers are left out
        Assert.Equal(
            [new LogCoverage("activity", "compute.googleapis.com", new DateOnly(2026, 11, 27), 1), new LogCoverage("data_access", "storage.googleapis.com", new DateOnly(2026, 11, 27), 5)],
            day.ToArray());
        Assert.Empty(reopened.LoadLogCoverage("azure", new DateOnly(2026, 1, 1), new DateOnly(2027, 1, 1)));
        Assert.Equal(3, reopened.LoadLogCoverage("gcp", new DateOnly(2026, 11, 1), new DateOnly(2026, 12, 1)).Length);
    }
}
