using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Ciem.App.Metrics;
using Ciem.App.Reports;
using Ciem.Core.Diagnostics;
using Ciem.Core.Metrics;
using Spectre.Console;

namespace Ciem.Cli.Commands;

/// <summary>
/// `ciem metrics backfill --from DATE`: measures past days from the snapshots and usage already in the store, so the
/// trend starts on the first day of history; `ciem metrics baseline DATE`: the day the reduction is counted against.
/// Every `ciem sweep` records the day's measurement itself.
/// </summary>
public static class MetricsCommand
{
    public static Command Create(CliHost host)
    {
        var command = new Command("metrics", "the gap metric kept in the store: backfill past days, choose the baseline");
        command.Subcommands.Add(Backfill(host));
        command.Subcommands.Add(Baseline(host));
        return command;
    }

    private static Command Backfill(CliHost host)
    {
        var from = new Option<string>("--from") { Description = "the first day to measure (yyyy-MM-dd)", Required = true };
        var to = new Option<string?>("--to") { Description = "the last day to measure (default: today)" };
        var every = new Option<int>("--every") { Description = "days between two measurements", DefaultValueFactory = _ => 7 };
        var window = new Option<int>("--window") { Description = "the usage window in days, as for `ciem sweep`", DefaultValueFactory = _ => 90 };
        var db = CommonOptions.Database();
        var format = CommonOptions.Format();
        var command = new Command("backfill", "measure past days from the snapshots and usage already in the store (replaces those days' measurements)")
        {
            from, to, every, window, db, format,
        };
        command.SetAction(p => RunBackfill(host, p.GetValue(from)!, p.GetValue(to), p.GetValue(every), p.GetValue(window), p.GetValue(db), p.GetValue(format)!));
        return command;
    }

    private static Command Baseline(CliHost host)
    {
        var day = new Argument<string>("day") { Description = "a day already measured (yyyy-MM-dd)" };
        var db = CommonOptions.Database();
        var format = CommonOptions.Format();
        var command = new Command("baseline", "count the reduction against this day's measurement instead of the first one") { day, db, format };
        command.SetAction(p => RunBaseline(host, p.GetValue(day)!, p.GetValue(db), p.GetValue(format)!));
        return command;
    }

    public static int RunBackfill(CliHost host, string fromText, string? toText, int every, int windowDays, string? db, string format)
    {
        ArgumentNullException.ThrowIfNull(host);
        var today = DateOnly.FromDateTime(host.Clock.GetUtcNow().UtcDateTime);
        if (CommonOptions.ParseDay(host, "--from", fromText) is not { } from) { return ExitCodes.InvalidInput; }
        DateOnly to = today;
        if (toText is not null)
        {
            if (CommonOptions.ParseDay(host, "--to", toText) is not { } t) { return ExitCodes.InvalidInput; }
            to = t;
        }
        if (MetricsBackfill.Problem(from, to, today, fromText, toText, every, windowDays) is { } problem) { return Bad(host, problem); }
        if (!StoreAccess.Exists(host, db))
        {
            host.Error.WriteLine($"error: no store at `{StoreAccess.PathFor(host, db)}`: import snapshots and logs first");
            return ExitCodes.Failure;
        }
        var backfill = MetricsBackfill.Run(StoreAccess.Open(host, db), from, to, every, windowDays, host.Clock.GetUtcNow());
        var (measured, skipped) = backfill;
        if (format == "json")
        {
            CliJson.Write(host, "metrics-backfill", TrendJson.Backfill(backfill));
        }
        else
        {
            foreach (var m in measured)
            {
                host.Console.MarkupLineInterpolated($"{TrendTable.Day(m.Day)}  {m.Identities.Length} identities, {m.Totals.Granted} granted, gap {m.Totals.Gap} ({m.Totals.Unused} unused, {m.Totals.Unknown} unknown)");
            }
            host.Console.MarkupLineInterpolated($"{measured.Length} day(s) measured from the store's history");
        }
        if (!skipped.IsEmpty)
        {
            host.Error.WriteLine($"warning {DiagnosticCodes.MetricsBackfillSkipped}: no snapshot taken by {string.Join(", ", skipped.Select(d => $"`{TrendTable.Day(d)}`"))}: not measured");
        }
        return measured.IsEmpty ? ExitCodes.Failure : ExitCodes.Ok;
    }

    public static int RunBaseline(CliHost host, string dayText, string? db, string format)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (CommonOptions.ParseDay(host, "day", dayText) is not { } day) { return ExitCodes.InvalidInput; }
        if (!StoreAccess.Open(host, db).SetBaseline(day))
        {
            host.Error.WriteLine($"error {DiagnosticCodes.MetricsNoMeasurement}: no measurement on `{dayText}`: run `ciem sweep --as-of {dayText}` or `ciem metrics backfill --from {dayText}` first");
            return ExitCodes.InvalidInput;
        }
        if (format == "json") { CliJson.Write(host, "metrics-baseline", new { baseline = TrendTable.Day(day) }); }
        else { host.Console.MarkupLineInterpolated($"baseline: the measurement of [bold]{TrendTable.Day(day)}[/]"); }
        return ExitCodes.Ok;
    }

    private static int Bad(CliHost host, string message)
    {
        host.Error.WriteLine($"error {DiagnosticCodes.MetricsBadOption}: {message}");
        return ExitCodes.InvalidInput;
    }
}
