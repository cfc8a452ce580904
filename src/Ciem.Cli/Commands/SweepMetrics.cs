using Ciem.App.Metrics;
using Ciem.Core.Sweep;
using Spectre.Console;

namespace Ciem.Cli.Commands;

/// <summary>What `ciem sweep` does after sweeping: records the day's measurement and, with `--alerts FILE`, evaluates the alert rules.</summary>
public static class SweepMetrics
{
    /// <returns>false after a message when the alert rules file is invalid (the measurement is recorded anyway).</returns>
    public static bool AfterSweep(CliHost host, string? db, EstateSweepResult result, string? alertsFile, bool quiet)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(result);
        var measurement = MetricsRecorder.Record(StoreAccess.Open(host, db), result, "sweep", host.Clock.GetUtcNow());
        if (!quiet)
        {
            host.Console.MarkupLineInterpolated($"measurement of {TrendTable.Day(measurement.Day)} recorded: gap {measurement.Totals.Gap} ({measurement.Totals.Unused} unused, {measurement.Totals.Unknown} unknown); `ciem trend` shows the series");
        }
        if (alertsFile is null) { return true; }
        var config = AlertsCommand.ReadRules(host, alertsFile);
        if (config is null) { return false; }
        var run = AlertsCommand.Evaluate(host, config, alertsFile, null, db);
        if (run is null) { return false; }
        if (!quiet) { AlertsCommand.Render(host, run); }
        return true;
    }
}
