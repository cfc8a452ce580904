using Ciem.App.Metrics;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gate;
using Ciem.Core.Metrics;
using Ciem.Import.Config;
using Spectre.Console;

namespace Ciem.Cli.Commands;

/// <summary>The alert rules file read, evaluated and rendered for `ciem alerts evaluate` and `ciem sweep --alerts`.</summary>
public static class AlertRules
{
    /// <summary>Reads and validates the rules file (<see cref="AlertRulesFile"/>); null after printing its located errors.</summary>
    public static AlertConfig? Read(CliHost host, string path)
    {
        ArgumentNullException.ThrowIfNull(host);
        var result = AlertRulesFile.Read(path, out var error);
        if (result is null)
        {
            host.Error.WriteLine(error);
            return null;
        }
        StoreAccess.WriteDiagnostics(host, result.Diagnostics);
        return result.HasErrors ? null : result.Config;
    }

    /// <summary>Evaluates the rules (after `ciem sweep` too); null after a message when an IaC folder cannot be read.</summary>
    public static AlertRunResult? Evaluate(CliHost host, AlertConfig config, string rulesPath, string? stateDirectory, string? db)
    {
        ArgumentNullException.ThrowIfNull(host);
        var evaluation = AlertRulesFile.Evaluate(StoreAccess.Open(host, db), config, rulesPath, stateDirectory, host.Clock.GetUtcNow(),
            host.Environment, host.Clock);
        if (evaluation.Unreadable is { } unreadable)
        {
            if (unreadable.Result is { } result) { StoreAccess.WriteDiagnostics(host, result.Diagnostics); }
            host.Error.WriteLine($"error: {unreadable.Error}");
        }
        return evaluation.Run;
    }

    public static void Render(CliHost host, AlertRunResult result)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(result);
        if (result.Measured is null)
        {
            host.Console.WriteLine("no measurement yet: run `ciem sweep` or `ciem metrics backfill --from DATE`");
            return;
        }
        host.Console.MarkupLineInterpolated($"alerts on the measurement of {TrendTable.Day(result.Measured.Value)}: {result.Firing.Length} firing ({result.Opened.Length} new, {result.StillOpen} already open), {result.Resolved.Length} resolved");
        var opened = result.Opened.Select(o => (o.Rule, o.Key)).ToHashSet();
        foreach (var f in result.Firing)
        {
            var mark = opened.Contains((f.Rule, f.Key)) ? "new" : "open";
            host.Console.MarkupLineInterpolated($"  [bold]{FindingSeverities.Name(f.Severity)}[/] {mark} {f.Rule}: {f.Message}");
        }
        foreach (var r in result.Resolved) { host.Console.MarkupLineInterpolated($"  [green]resolved[/] {r.Rule}: {r.Key}"); }
        foreach (var d in result.Deliveries.Where(d => !d.Delivered))
        {
            host.Error.WriteLine($"warning {DiagnosticCodes.AlertDeliveryFailed}: alert {d.AlertId} not sent on `{d.Channel}`: {d.Detail} (kept for the next run)");
        }
    }
}
