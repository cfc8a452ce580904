using System.Collections.Immutable;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Ciem.App.Metrics;
using Ciem.Core.Aws.Gate;
using Ciem.Core.Diagnostics;
using Ciem.Core.Metrics;
using Ciem.Import;
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

    /// <summary>Reads and validates the rules file; null after printing its located errors.</summary>
    public static AlertConfig? ReadRules(CliHost host, string path)
    {
        ArgumentNullException.ThrowIfNull(host);
        string text;
        try { text = InputFiles.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            host.Error.WriteLine($"error {DiagnosticCodes.AlertBadRules}: cannot read the rules file `{path}`: {e.Message}");
            return null;
        }
        var result = AlertRulesReader.Read(text, path);
        StoreAccess.WriteDiagnostics(host, result.Diagnostics);
        return result.HasErrors ? null : result.Config;
    }

    public static int RunEvaluate(CliHost host, string rulesPath, string? failOnText, string? stateDirectory, string? db, string format)
    {
        ArgumentNullException.ThrowIfNull(host);
        var config = ReadRules(host, rulesPath);
        if (config is null) { return ExitCodes.InvalidInput; }
        var result = Evaluate(host, config, rulesPath, stateDirectory, db);
        if (result is null) { return ExitCodes.InvalidInput; }
        var threshold = config.FailOn;
        if (failOnText is not null && FindingSeverities.TryParse(failOnText, out var f)) { threshold = f; }
        if (format == "json") { host.Out.WriteLine(JsonSerializer.Serialize(Json(result, threshold), CliJson.Options)); }
        else { Render(host, result); }
        return result.FiresAtOrAbove(threshold) ? ExitCodes.Findings : ExitCodes.Ok;
    }

    /// <summary>Evaluates the rules (after `ciem sweep` too); null after a message when an IaC folder cannot be read.</summary>
    public static AlertRunResult? Evaluate(CliHost host, AlertConfig config, string rulesPath, string? stateDirectory, string? db)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(config);
        var names = ImmutableDictionary.CreateBuilder<string, ImmutableHashSet<string>>(StringComparer.Ordinal);
        foreach (var repo in config.Rules.Select(r => r.IacRepository).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            var iac = HclInput.Read(host, new DirectoryInfo(repo), null);
            if (iac is null) { return null; }
            names[repo] = [.. iac.Changes.Select(c => c.Name)];
        }
        var state = stateDirectory ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(rulesPath)) ?? ".", ".ciem-alerts");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        return AlertRun.EvaluateAsync(StoreAccess.Open(host, db), config, new IacDeclarations(names.ToImmutable()), host.Clock.GetUtcNow(), state, http,
            host.Environment, host.Clock).GetAwaiter().GetResult();
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

    private static object Json(AlertRunResult result, FindingSeverity threshold) => new
    {
        measured = result.Measured is { } d ? TrendTable.Day(d) : null,
        failOn = FindingSeverities.Name(threshold),
        fires = result.FiresAtOrAbove(threshold),
        firing = result.Firing.Select(f => new { rule = f.Rule, key = f.Key, severity = FindingSeverities.Name(f.Severity), message = f.Message, isNew = result.Opened.Any(o => o.Rule == f.Rule && o.Key == f.Key) }),
        resolved = result.Resolved.Select(r => new { id = r.Id, rule = r.Rule, key = r.Key }),
        deliveries = result.Deliveries.Select(d => new { alert = d.AlertId, channel = d.Channel, delivered = d.Delivered, detail = d.Detail }),
    };

    public static int RunList(CliHost host, bool openOnly, string? db, string format)
    {
        ArgumentNullException.ThrowIfNull(host);
        var alerts = StoreAccess.Exists(host, db) ? StoreAccess.Open(host, db).LoadAlerts() : [];
        if (openOnly) { alerts = [.. alerts.Where(a => a.IsOpen)]; }
        if (format == "json")
        {
            host.Out.WriteLine(JsonSerializer.Serialize(new
            {
                alerts = alerts.Select(a => new
                {
                    id = a.Id, rule = a.Rule, key = a.Key, severity = FindingSeverities.Name(a.Severity), message = a.Message, channels = a.Channels,
                    firedAt = a.FiredAt, lastSeenAt = a.LastSeenAt, resolvedAt = a.ResolvedAt,
                    history = a.History.Select(h => new { at = h.At, kind = h.Kind, channel = h.Channel, detail = h.Detail }),
                }),
            }, CliJson.Options));
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
