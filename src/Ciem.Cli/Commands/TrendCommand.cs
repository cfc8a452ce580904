using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Ciem.App.Metrics;
using Ciem.App.Reports;
using Ciem.Core.Diagnostics;
using Ciem.Core.Metrics;
using Spectre.Console;

namespace Ciem.Cli.Commands;

/// <summary>`ciem trend`: the gap metric over time, overall or per slice, with per-period changes and a sparkline.</summary>
public static class TrendCommand
{
    public static Command Create(CliHost host)
    {
        var by = new Option<string>("--by") { Description = "split by provider, account, kind or env", DefaultValueFactory = _ => "all" };
        by.AcceptOnlyFromAmong("all", "provider", "account", "kind", "env");
        var since = new Option<string?>("--since") { Description = "only measurements on or after this day (yyyy-MM-dd)" };
        var identity = new Option<string?>("--identity") { Description = "only this identity (its id or name)" };
        var db = CommonOptions.Database();
        var format = new Option<string>("--format", "-f") { Description = "output format: `text`, `json` or `csv`", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json", "csv");
        var command = new Command("trend", "the gap between granted and used permissions over time, with changes per period and the reduction against the baseline")
        {
            by, since, identity, db, format,
        };
        command.SetAction(p => Run(host, p.GetValue(by)!, p.GetValue(since), p.GetValue(identity), p.GetValue(db), p.GetValue(format)!));
        return command;
    }

    public static int Run(CliHost host, string by, string? sinceText, string? identity, string? db, string format)
    {
        ArgumentNullException.ThrowIfNull(host);
        DateOnly? since = null;
        if (sinceText is not null)
        {
            if (CommonOptions.ParseDay(host, "--since", sinceText) is not { } s) { return ExitCodes.InvalidInput; }
            since = s;
        }
        var dimension = MetricTrend.ParseDimension(by) ?? TrendDimension.Total;
        var measurements = StoreAccess.Exists(host, db) ? StoreAccess.Open(host, db).LoadMeasurements() : [];
        if (measurements.IsEmpty)
        {
            host.Error.WriteLine($"error {DiagnosticCodes.MetricsNoMeasurement}: no measurement in the store: run `ciem sweep`, or `ciem metrics backfill --from DATE` over the history already imported");
            return ExitCodes.Failure;
        }
        var series = MetricTrend.Series(measurements, dimension, identity, since);
        if (identity is not null && series.IsEmpty)
        {
            host.Error.WriteLine($"error {DiagnosticCodes.MetricsBadOption}: --identity `{identity}` is in no measurement{(since is null ? "" : $" since {sinceText}")}");
            return ExitCodes.InvalidInput;
        }
        var baseline = MetricTrend.Baseline(measurements)!;
        switch (format)
        {
            case "json":
                CliJson.Write(host, "trend", TrendJson.Of(dimension, identity, baseline, measurements.Length, series));
                break;
            case "csv":
                host.Out.Write(TrendTable.Csv(series));
                break;
            default:
                Render(host, series, baseline);
                break;
        }
        return ExitCodes.Ok;
    }

    private static void Render(CliHost host, IReadOnlyList<TrendSeries> series, Measurement baseline)
    {
        host.Console.MarkupLineInterpolated($"baseline: {TrendTable.Day(baseline.Day)}{(baseline.IsBaseline ? " (chosen)" : " (the first measurement)")}");
        foreach (var s in series)
        {
            var latest = s.Latest!;
            host.Console.WriteLine();
            host.Console.MarkupLineInterpolated($"[bold]{s.Key}[/]  gap {MetricTrend.Sparkline([.. s.Points.Select(p => p.Totals.Gap)])}  unused admins {MetricTrend.Sparkline([.. s.Points.Select(p => (long)p.Totals.UnusedAdministrators)])}");
            var table = new Table().AddColumns("day", "identities", "admins", "unused admins", "granted", "used", "unused", "unknown", "gap", "Δ gap", "vs baseline");
            foreach (var p in s.Points)
            {
                var t = p.Totals;
                table.AddRow(TrendTable.Day(p.Day), N(t.Identities), N(t.Administrators), N(t.UnusedAdministrators), N(t.Granted), N(t.Used), N(t.Unused), N(t.Unknown),
                    N(t.Gap), Change(p), p.GrantedReductionPercent is { } r ? $"{r.ToString("0.0", CultureInfo.InvariantCulture)} % less granted" : "");
            }
            host.Console.Write(table);
            host.Console.MarkupLineInterpolated($"pending {latest.Totals.Pending}, applied {latest.Totals.Applied}, regrown {latest.Totals.Regrown} delivered reduction(s) at {TrendTable.Day(latest.Day)}");
        }
    }

    private static string Change(TrendPoint p) => p.GapChange switch
    {
        null => "",
        var c => $"{(c > 0 ? "[red]+" : c < 0 ? "[green]" : "[grey]")}{c.Value.ToString(CultureInfo.InvariantCulture)}{(p.GapChangePercent is { } pc ? $" ({pc.ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture)} %)" : "")}[/]",
    };

    private static string N(long v) => v.ToString(CultureInfo.InvariantCulture);
}
