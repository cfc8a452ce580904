namespace Ciem.Cli.Tests.Metrics;

public sealed class EvidenceAndTrendCommandTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData("--framework", "sox", "--from", "2026-11-01", "--to", "2026-11-30", "--framework `sox` is unknown")]
    [InlineData("--framework", "all", "--from", "2026-11-30", "--to", "2026-11-01", "the dates are inverted")]
    [InlineData("--framework", "dora", "--from", "2026-13-01", "--to", "2026-11-30", "--from `2026-13-01` is not a day")]
    public void Evidence_BadOption_LocatedErrorAndNothingWritten(string o1, string v1, string o2, string v2, string o3, string v3, string message)
    {
        // Given a folder that does not exist yet
        var output = Path.Combine(_cli.Home, "bundle");

        // When the bundle is asked for with a bad option
        var (code, _, err) = _cli.Run("evidence", o1, v1, o2, v2, o3, v3, "--out", output, "--db", _cli.Db);

        // Then it exits 3 with the error and writes nothing
        Assert.Equal(3, code);
        Assert.Contains(message, err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Trend_EmptyStore_SaysHowToMeasure()
    {
        // Given a store without measurement
        _cli.ImportSamples();

        // When the trend is asked for
        var (code, _, err) = _cli.Run("trend", "--db", _cli.Db);

        // Then it fails with the way to get one
        Assert.Equal(1, code);
        Assert.Contains("CIEM6802", err, StringComparison.Ordinal);
        Assert.Contains("ciem metrics backfill", err, StringComparison.Ordinal);
    }

    [Fact]
    public void MetricsBackfill_InvertedDates_RefusedBeforeAnything()
    {
        var (code, _, err) = _cli.Run("metrics", "backfill", "--from", "2026-11-20", "--to", "2026-11-01", "--db", _cli.Db);
        Assert.Equal(3, code);
        Assert.Contains("the dates are inverted", err, StringComparison.Ordinal);
    }

    [Fact]
    public void SweepAndAlerts_MalformedRulesFile_LocatedErrorAndNoMeasurement()
    {
        // Given a store with the sample account and a rules file whose second rule has an unknown type on line 3
        _cli.ImportSamples();
        var rules = Path.Combine(_cli.Home, "alerts.yml");
        File.WriteAllText(rules, "rules:\n  - { id: a, type: new-admin, severity: high }\n  - { id: b, type: new-admn, severity: high }\n");

        // When a sweep and an evaluation are run with it
        var sweep = _cli.Run("sweep", "--db", _cli.Db, "--alerts", rules);
        var evaluate = _cli.Run("alerts", "evaluate", "--rules", rules, "--db", _cli.Db);

        // Then both exit 3 naming the file, the line and the type, and no measurement was recorded
        Assert.Equal(3, sweep.Code);
        Assert.Contains("CIEM6810", sweep.Err, StringComparison.Ordinal);
        Assert.Contains("alerts.yml", sweep.Err, StringComparison.Ordinal);
        Assert.Contains("unknown type `new-admn`", sweep.Err, StringComparison.Ordinal);
        Assert.Contains(":3", sweep.Err, StringComparison.Ordinal);
        Assert.Equal(3, evaluate.Code);
        Assert.Equal(1, _cli.Run("trend", "--db", _cli.Db).Code);
    }
}
