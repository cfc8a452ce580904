using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Ciem.App.Metrics;
using Ciem.App.Reports;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gate;
using Ciem.Core.Metrics;
using Ciem.Import.Config;
using Spectre.Console;

namespace Ciem.Cli.Commands;

/// <summary>
/// `ciem alerts evaluate --rules FILE`: the alert rules on the stored measurements; new alerts are recorded and sent
/// once to their channels, open ones that still fire are not sent again, cleared ones resolve; exit 2 when an alert at
/// or above `--fail-on` (or the file's `fail-on`) fires. `ciem alerts list`: every alert with its history.
/// </summary>
public static class AlertsCommand
{
    public static Command Create(CliHost host)
    {
        var command = new Command("alerts", "alerts on the gap metric: evaluate the rules (for cron or CI), list alerts and their history");
        command.Subcommands.Add(Evaluate(host));
        command.Subcommands.Add(List(host));
        return command;
    }

    private static Command Evaluate(CliHost host)
    {
        var rules = new Option<string>("--rules") { Description = "the alert rules file (YAML, see docs/metrics.md)", Required = true };
        var failOn = new Option<string?>("--fail-on") { Description = "exit 2 when an alert at or above this severity fires: low, medium, high, critical (default: the file's `fail-on`, else high)" };
        failOn.AcceptOnlyFromAmong("low", "medium", "high", "critical");
        var state = new Option<string?>("--state") { Description = "where the senders keep their ledger and failed notices (default: `.ciem-alerts` beside the rules file)" };
        var db = CommonOptions.Database();
        var format = CommonOptions.Format();
        var command = new Command("evaluate", "evaluate the alert rules on the latest measurement and send new alerts") { rules, failOn, state, db, format };
        command.SetAction(p => RunEvaluate(host, p.GetValue(rules)!, p.GetValue(failOn), p.GetValue(state), p.GetValue(db), p.GetValue(format)!));
        return command;
    }

    private static Command List(CliHost host)
    {
        var open = new Option<bool>("--open") { Description = "only alerts not resolved" };
        var db = CommonOptions.Database();
        var format = CommonOptions.Format();
        var command = new Command("list", "every alert recorded, with when it fired, was sent and resolved") { open, db, format };
        command.SetAction(p => RunList(host, p.GetValue(open), p.GetValue(db), p.GetValue(format)!));
        return command;
    }

    public static int RunEvaluate(CliHost host, string rulesPath, string? failOnText, string? stateDirectory, string? db, string format)
    {
        ArgumentNullException.ThrowIfNull(host);
        var config = AlertRules.Read(host, rulesPath);
        if (config is null) { return ExitCodes.InvalidInput; }
        var result = AlertRules.Evaluate(host, config, rulesPath, stateDirectory, db);
        if (result is null) { return ExitCodes.InvalidInput; }
        var threshold = config.FailOn;
        if (failOnText is not null && FindingSeverities.TryParse(failOnText, out var f)) { threshold = f; }
        if (format == "json") { CliJson.Write(host, "alerts-evaluate", AlertsJson.Evaluation(result, threshold)); }
        else { AlertRules.Render(host, result); }
        return result.FiresAtOrAbove(threshold) ? ExitCodes.Findings : ExitCodes.Ok;
    }

    public static int RunList(CliHost host, bool openOnly, string? db, string format)
    {
        ArgumentNullException.ThrowIfNull(host);
        var alerts = StoreAccess.Exists(host, db) ? StoreAccess.Open(host, db).LoadAlerts() : [];
        if (openOnly) { alerts = [.. alerts.Where(a => a.IsOpen)]; }
        if (format == "json")
        {
            CliJson.Write(host, "alerts-list", AlertsJson.List(alerts));
            return ExitCodes.Ok;
        }
        if (alerts.IsEmpty)
        {
            host.Console.WriteLine("no alert recorded");
            return ExitCodes.Ok;
        }
        var table = new Table().AddColumns("id", "severity", "rule", "about", "fired", "resolved", "sent");
        foreach (var a in alerts)
        {
            table.AddRow(a.Id.ToString(CultureInfo.InvariantCulture), FindingSeverities.Name(a.Severity), Markup.Escape(a.Rule), Markup.Escape(a.Message),
                a.FiredAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), a.ResolvedAt?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "open",
                Markup.Escape(string.Join(", ", a.History.Where(h => h.Kind is "sent" or "send-failed").Select(h => $"{h.Channel} {h.Kind}"))));
        }
        host.Console.Write(table);
        return ExitCodes.Ok;
    }
}
