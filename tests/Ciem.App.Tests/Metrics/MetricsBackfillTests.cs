using Ciem.App.Imports;
using Ciem.App.Metrics;
using Ciem.App.Tests.Notify;
using Ciem.Tests;

namespace Ciem.App.Tests.Metrics;

/// <summary>`ciem metrics backfill` as an App call: which days are measured, and days before any snapshot skipped.</summary>
public sealed class MetricsBackfillTests
{
    private static readonly DateTimeOffset Imported = new(2026, 11, 10, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Days_EveryWeekToADayOffTheStep_TheLastDayAdded()
    {
        // Given 1 to 20 November every 7 days, and 1 to 15 November (on the step)
        var off = MetricsBackfill.Days(new(2026, 11, 1), new(2026, 11, 20), 7);
        var on = MetricsBackfill.Days(new(2026, 11, 1), new(2026, 11, 15), 7);

        // Then the last day is measured once either way
        DateOnly[] offStep = [new(2026, 11, 1), new(2026, 11, 8), new(2026, 11, 15), new(2026, 11, 20)];
        DateOnly[] onStep = [new(2026, 11, 1), new(2026, 11, 8), new(2026, 11, 15)];
        Assert.Equal(offStep, off.ToArray());
        Assert.Equal(onStep, on.ToArray());
        Assert.Equal(new DateOnly(2026, 11, 1), Assert.Single(MetricsBackfill.Days(new(2026, 11, 1), new(2026, 11, 1), 7)));
        Assert.Empty(MetricsBackfill.Days(new(2026, 11, 2), new(2026, 11, 1), 1));
    }

    [Fact]
    public void Run_SnapshotOnTheTenth_DaysBeforeSkippedDaysAfterRecorded()
    {
        // Given a store whose only AWS snapshot was taken on 10 November
        using var temp = new TempFolder();
        using var session = new CiemSession(temp.Sub("ciem.db"));
        var aws = Directory.GetFiles(TestPaths.Repo("samples", "aws"), "*.json").Select(p => (p, AwsImport.Detect(p)))
            .Where(f => f.Item2 != AwsInputKind.Unknown).ToList();
        Assert.NotNull(AwsImport.Import(session, aws, Imported, Imported).Summary);

        // When 3 to 17 November is backfilled every 7 days
        var result = MetricsBackfill.Run(session.Store, new(2026, 11, 3), new(2026, 11, 17), 7, 90, Imported.AddDays(8));

        // Then the 3rd (before the snapshot) is skipped; the 10th and 17th are measured and kept in the store
        Assert.Equal(new DateOnly(2026, 11, 3), Assert.Single(result.Skipped));
        DateOnly[] measured = [new(2026, 11, 10), new(2026, 11, 17)];
        Assert.Equal(measured, result.Measured.Select(m => m.Day).ToArray());
        Assert.All(result.Measured, m => Assert.True(m.Identities.Length > 0));
        Assert.Equal(measured, session.Store.LoadMeasurements().Select(m => m.Day).ToArray());
    }
}
