using System.Text.Json;
using Ciem.Storage;
using Ciem.Tests;

namespace Ciem.Cli.Tests.Metrics;

public sealed class MetricsBackfillTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void Backfill_TwoSnapshots_EachDayMeasuresTheSnapshotOfItsTimeAndRerunReplaces()
    {
        // Given the sample account taken on 10 November, and taken again on 20 November with one role renamed
        var original = File.ReadAllText(TestPaths.Repo("samples", "aws", "authorization-details.json"));
        var first = Path.Combine(_cli.Home, "first.json");
        var second = Path.Combine(_cli.Home, "second.json");
        File.WriteAllText(first, original);
        File.WriteAllText(second, original.Replace("OrganizationAccountAccessRole", "OrganizationAccountAccessRoleV2", StringComparison.Ordinal));
        Assert.Equal(0, _cli.Run("import", "aws", first, "--taken-at", "2026-11-10T08:00:00Z", "--db", _cli.Db).Code);
        Assert.Equal(0, _cli.Run("import", "aws", second, "--taken-at", "2026-11-20T08:00:00Z", "--db", _cli.Db).Code);

        // When past days are measured every five days from before the first snapshot, twice
        var (code, _, err) = _cli.Run("metrics", "backfill", "--from", "2026-11-05", "--to", "2026-11-25", "--every", "5", "--window", "30", "--db", _cli.Db);
        var again = _cli.Run("metrics", "backfill", "--from", "2026-11-05", "--to", "2026-11-25", "--every", "5", "--window", "30", "--db", _cli.Db, "--format", "json");

        // Then the day before any snapshot is skipped, each other day holds the snapshot of its time, and the rerun replaced them
        Assert.Equal(0, code);
        Assert.Contains("CIEM6803", err, StringComparison.Ordinal);
        Assert.Contains("`2026-11-05`", err, StringComparison.Ordinal);
        Assert.Equal(0, again.Code);
        Assert.Equal(4, JsonDocument.Parse(again.Out).RootElement.GetProperty("measured").GetArrayLength());
        using var store = SqliteStore.Open(_cli.Db);
        var measurements = store.LoadMeasurements();
        Assert.Equal(["2026-11-10", "2026-11-15", "2026-11-20", "2026-11-25"], measurements.Select(m => m.Day.ToString("yyyy-MM-dd", null)).ToArray());
        Assert.All(measurements, m => Assert.Equal("backfill", m.Source));
        bool Has(int i, string suffix) => measurements[i].Identities.Any(x => x.Identity.EndsWith(suffix, StringComparison.Ordinal));
        Assert.True(Has(1, "/OrganizationAccountAccessRole") && !Has(1, "RoleV2"));
        Assert.True(Has(2, "/OrganizationAccountAccessRoleV2") && !Has(2, "/OrganizationAccountAccessRole"));
        Assert.Equal(measurements[0].Identities.Length, measurements[3].Identities.Length);
        Assert.All(measurements, m => Assert.Equal(m.Identities.Length, m.Identities.Select(i => i.Identity).Distinct().Count()));

        // And the trend has one point per day, as JSON and CSV
        var trend = _cli.Run("trend", "--db", _cli.Db, "--format", "json");
        Assert.Equal(4, JsonDocument.Parse(trend.Out).RootElement.GetProperty("series")[0].GetProperty("points").GetArrayLength());
        var csv = _cli.Run("trend", "--db", _cli.Db, "--format", "csv", "--by", "provider").Out.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, csv.Length);
        Assert.StartsWith("slice,day,identities", csv[0], StringComparison.Ordinal);
        Assert.StartsWith("aws,2026-11-10,", csv[1], StringComparison.Ordinal);
    }
}
