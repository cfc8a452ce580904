using Ciem.App.Metrics;
using Ciem.Core.Metrics;
using Ciem.Core.Sweep;
using Spectre.Console;

namespace Ciem.Cli.Commands;

/// <summary>What `ciem sweep` does after sweeping: records the day's measurement and, with `--alerts FILE`, evaluates the alert rules.</summary>
public static class SweepMetrics
{
    /// <param name="rules">the alert rules read (and validated) before the sweep from <paramref name="alertsFile"/>, or null.</param>
    /// <returns>false after a message when an IaC folder a rule names cannot be read (the measurement is recorded).</returns>
    public static bool AfterSweep(CliHost host, string? db, EstateSweepResult result, string? alertsFile, AlertConfig? rules, bool quiet)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(result);
        var measurement = MetricsRecorder.Record(StoreAccess.Open(host, db), result, "sweep", host.Clock.GetUtcNow());
        if (!quiet)
        {
            host.Console.MarkupLineInterpolated($"measurement of {TrendTable.Day(measurement.Day)} recorded: gap {measurement.Totals.Gap} ({measurement.Totals.Unused} unused, {measurement.Totals.Unknown} unknown); `ciem trend` shows the series");
        }
        if (alertsFile is null || rules is null) { return true; }
        var run = AlertsCommand.Evaluate(host, rules, alertsFile, null, db);
        if (run is null) { return false; }
        if (!quiet) { AlertsCommand.Render(host, run); }
        return true;
    }
}
