using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.LeastPrivilege;
using Spectre.Console;
using Ciem.Core.Model;

namespace Ciem.Cli.Commands;

/// <summary>`ciem gap [IDENTITY]`: granted versus used over the window, per identity or for one in detail.</summary>
public static class GapCommand
{
    public static Command Create(CliHost host)
    {
        var identity = new Argument<string?>("identity") { Description = "one identity for details; all identities when omitted", Arity = ArgumentArity.ZeroOrOne };
        var top = CommonOptions.Top(50, "identities by unused permissions (all identities mode)");
        var all = CommonOptions.All();
        var usage = new UsageOptions(host);
        var db = CommonOptions.Database();
        var format = CommonOptions.FormatWithCsv();
        var provider = Providers.Option("aws");
        var command = new Command("gap", "granted versus used permissions over the window: unused actions and services, inactive identities, unused admins") { identity, top, all, db, format, provider };
        usage.AddTo(command);
        int Gap(CliHost h, System.CommandLine.ParseResult p, string f) => p.GetValue(provider) is Provider.AzureName or Provider.GcpName
            ? CloudGapCommand.Run(h, p.GetValue(provider)!, p.GetValue(identity), CommonOptions.Limit(p.GetValue(top), p.GetValue(all)), p.GetValue(usage.Window), p.GetValue(usage.AsOf), p.GetValue(db), f)
            : Run(h, p.GetValue(identity), CommonOptions.Limit(p.GetValue(top), p.GetValue(all)), usage.ToSweepOptions(p), p.GetValue(usage.AsOf), p.GetValue(db), f);
        command.SetAction(p => p.GetValue(format) == "csv" ? CsvOutput.ViaJson(host, h => Gap(h, p, "json"), "identities") : Gap(host, p, p.GetValue(format)!));
        return command;
    }

    public static int Run(CliHost host, string? query, int top, Core.Sweep.SweepOptions options, DateTimeOffset? asOf, string? db, string format)
    {
        var estate = StoreAccess.LoadEstate(host, db);
        if (estate is null) { return ExitCodes.Failure; }
        var when = asOf ?? host.Clock.GetUtcNow();
        var usage = Ciem.App.Usage.UsageAccess.Load(StoreAccess.Open(host, db), when, options);
        var calculator = new AwsEffectivePermissionCalculator(AwsActionCatalog.Default);
        var targets = estate.Identities;
        if (query is not null)
        {
            var who = IdentitiesCommand.Resolve(host, estate, query);
            if (who is null) { return ExitCodes.InvalidInput; }
            targets = [who];
        }
        var gaps = new IdentityGap[targets.Length];
        var used = new IReadOnlyList<ObservedAction>[targets.Length];
        Parallel.For(0, targets.Length, i =>
        {
            used[i] = usage.Window.TryGetValue(targets[i].Identity.Id, out var w) ? w : [];
            var account = targets[i].Identity.Scope;
            gaps[i] = GapAnalyzer.Analyze(calculator.Compute(targets[i]), used[i], a => usage.RecordedIn(account, a));
        });
        if (format == "json")
        {
            host.Out.WriteLine(JsonSerializer.Serialize(new
            {
                asOf = when,
                windowDays = options.WindowDays,
                identities = gaps.Select((g, i) => new
                {
                    identity = g.Identity.Id,
                    kind = IdentityKindNames.Of(g.Identity.Kind),
                    granted = g.Granted,
                    used = g.Used,
                    unused = g.Unused,
                    unknown = g.Unknown,
                    lastActivity = g.LastActivity,
                    lastUsedIam = g.Identity.LastUsed,
                    admin = g.IsAdministrator,
                    adminActionUsed = g.AdminActionUsed,
                    unusedServices = g.UnusedServices,
                    usedActions = query is null ? null : used[i].GroupBy(u => u.Action, StringComparer.OrdinalIgnoreCase).Select(x => new { action = x.Key, count = x.Sum(o => o.Count), lastUsed = x.Max(o => o.LastSeen) }),
                }),
            }, CliJson.Options));
            return ExitCodes.Ok;
        }
        if (query is not null)
        {
            var g = gaps[0];
            host.Console.MarkupLineInterpolated($"[bold]{g.Identity.Id}[/] — {options.WindowDays} days to {when:yyyy-MM-dd}");
            host.Console.WriteLine($"granted {g.Granted:N0}, used {g.Used:N0}, unused {g.Unused:N0}, unknown (not recorded by CloudTrail) {g.Unknown:N0}; last activity in the logs {(g.LastActivity is { } l ? l.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "none in the window")}, last used per IAM {(g.Identity.LastUsed is { } iam ? iam.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "never/unknown")}");
            if (g.IsAdministrator) { host.Console.MarkupLine(g.AdminActionUsed ? "administrative, and used permissions-management actions" : "[red]administrative, but performed no permissions-management action in the window[/]"); }
            var table = new Table().AddColumns("used action", "calls", "last used", "resources");
            foreach (var a in used[0].GroupBy(u => u.Action, StringComparer.OrdinalIgnoreCase).OrderByDescending(x => x.Sum(o => o.Count)))
            {
                table.AddRow(Markup.Escape(a.Key), a.Sum(o => o.Count).ToString("N0", CultureInfo.InvariantCulture), a.Max(o => o.LastSeen).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    Markup.Escape(string.Join(", ", a.Select(o => o.Resource).Distinct().Take(3)) + (a.Select(o => o.Resource).Distinct().Count() > 3 ? ", …" : "")));
            }
            host.Console.Write(table);
            if (!g.UnusedServices.IsEmpty) { host.Console.WriteLine($"services granted but never used: {string.Join(", ", g.UnusedServices)}"); }
            return ExitCodes.Ok;
        }
        var rows = gaps.OrderByDescending(g => g.Unused).ThenBy(g => g.Identity.Id, StringComparer.Ordinal).Take(top).ToList();
        var grid = new Table().AddColumns("identity", "kind", "account", "granted", "used", "unused", "unknown", "last activity (logs)", "last used (IAM)", "admin");
        foreach (var g in rows)
        {
            grid.AddRow(Markup.Escape(g.Identity.Name), IdentityKindNames.Of(g.Identity.Kind), Markup.Escape(g.Identity.Scope), g.Granted.ToString("N0", CultureInfo.InvariantCulture),
                g.Used.ToString("N0", CultureInfo.InvariantCulture), g.Unused.ToString("N0", CultureInfo.InvariantCulture), g.Unknown.ToString("N0", CultureInfo.InvariantCulture),
                g.LastActivity?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "[yellow]inactive[/]",
                g.Identity.LastUsed?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "never/unknown",
                g.IsAdministrator ? (g.AdminActionUsed ? "yes" : "[red]unused[/]") : "");
        }
        host.Console.Write(grid);
        CommonOptions.WriteCut(host, rows.Count, gaps.Length, "identities, most unused permissions first");
        var summary = GapAnalyzer.Summarize(gaps, UsageWindow.Of(when, options.WindowDays).StartInstant, when);
        host.Console.WriteLine($"{summary.Identities:N0} identities: granted {summary.GrantedTotal:N0}, used {summary.UsedTotal:N0}; {summary.Inactive:N0} inactive; {summary.Administrators:N0} admins of which {summary.UnusedAdministrators:N0} never used admin rights");
        return ExitCodes.Ok;
    }
}
