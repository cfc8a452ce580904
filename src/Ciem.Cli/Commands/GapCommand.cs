using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Ciem.App.Questions;
using Ciem.App.Reports;
using Ciem.Cli.Reports;
using Ciem.Core.Model;
using Ciem.Core.Paths;
using Ciem.Core.Sweep;
using Spectre.Console;

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
            ? RunCloud(h, p.GetValue(provider)!, p.GetValue(identity), CommonOptions.Limit(p.GetValue(top), p.GetValue(all)), p.GetValue(usage.Window), p.GetValue(usage.AsOf), p.GetValue(db), f)
            : Run(h, p.GetValue(identity), CommonOptions.Limit(p.GetValue(top), p.GetValue(all)), usage.ToSweepOptions(p), p.GetValue(usage.AsOf), p.GetValue(db), f);
        command.SetAction(p => p.GetValue(format) == "csv" ? CsvOutput.ViaJson(host, h => Gap(h, p, "json"), "identities") : Gap(host, p, p.GetValue(format)!));
        return command;
    }

    public static int Run(CliHost host, string? query, int top, Core.Sweep.SweepOptions options, DateTimeOffset? asOf, string? db, string format)
    {
        var when = asOf ?? host.Clock.GetUtcNow();
        var result = GapQuestion.Aws(host.Session(db), query, when, options);
        if (!QuestionOutput.TryAnswer(host, result, out var answer, out var exit)) { return exit; }
        var (gaps, used) = (answer.Gaps, answer.Used);
        if (format == "json")
        {
            CliJson.Write(host, "gap", GapJson.Aws(answer, query is not null));
            return ExitCodes.Ok;
        }
        if (query is not null)
        {
            var g = gaps[0];
            host.Console.MarkupLineInterpolated($"[bold]{g.Identity.Id}[/] — {options.WindowDays} days to {when:yyyy-MM-dd}");
            host.Console.WriteLine($"granted {g.Granted:N0}, used {g.Used:N0}, unused {g.Unused:N0}, unknown (not recorded by CloudTrail) {g.Unknown:N0}; last activity in the logs {(g.LastActivity is { } l ? l.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "none in the window")}, last used per IAM {(g.Identity.LastUsed is { } iam ? iam.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "never/unknown")}");
            if (g.IsAdministrator)
            {
                host.Console.MarkupLine(g.AdminActionUsed ? "administrator, and used permissions-management actions"
                    : "[red]administrator, but performed no permissions-management action in the window[/]");
            }
            else if (g.Category == AdminCategory.CanBecomeAdministrator)
            {
                host.Console.MarkupLine("[yellow]can become administrator through a path[/] (`ciem paths` shows it)");
            }
            else if (g.PrivilegeAdministrator)
            {
                host.Console.MarkupLine("privilege administrator: can make other principals administrators (`ciem paths` shows how)");
            }
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
                AdminText.Cell(g.Category, g.AdminActionUsed));
        }
        host.Console.Write(grid);
        CommonOptions.WriteCut(host, rows.Count, gaps.Length, "identities, most unused permissions first");
        var summary = answer.Summary();
        host.Console.WriteLine($"{summary.Identities:N0} identities: granted {summary.GrantedTotal:N0}, used {summary.UsedTotal:N0}; {summary.Inactive:N0} inactive; {summary.Administrators:N0} admins of which {summary.UnusedAdministrators:N0} never used admin rights");
        return ExitCodes.Ok;
    }

    /// <summary>`ciem gap --provider azure|gcp`: per principal, granted versus used (<see cref="GapQuestion.Cloud"/>).</summary>
    public static int RunCloud(CliHost host, string provider, string? query, int top, int windowDays, DateTimeOffset? asOf, string? db, string format)
    {
        ArgumentNullException.ThrowIfNull(host);
        var when = asOf ?? host.Clock.GetUtcNow();
        var result = GapQuestion.Cloud(host.Session(db), Provider.Parse(provider), query, when, windowDays);
        if (!QuestionOutput.TryAnswer(host, result, out var answer, out var exit)) { return exit; }
        var gaps = answer.Gaps;
        if (format == "json")
        {
            CliJson.Write(host, "cloud-gap", GapJson.Cloud(answer, query is not null));
            return ExitCodes.Ok;
        }
        var rows = gaps.OrderByDescending(g => g.Unused).ThenBy(g => g.Identity.Id, StringComparer.Ordinal).Take(query is null ? top : int.MaxValue).ToList();
        var grid = new Table().AddColumns("identity", "kind", "granted", "used", "unused", "unknown", "used, not granted", "calls", "last activity", "admin");
        foreach (var g in rows)
        {
            grid.AddRow(Markup.Escape(g.Identity.Name), IdentityKindNames.Of(g.Identity.Kind), N(g.Granted), N(g.Used), N(g.Unused), N(g.Unknown), N(g.UsedNotGranted), N(g.Calls),
                g.LastActivity?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "[yellow]inactive[/]",
                AdminText.Cell(g.Category, g.AdminActionUsed));
        }
        host.Console.Write(grid);
        if (query is not null)
        {
            var used = new Table().AddColumns("used permission", "calls", "last used");
            foreach (var a in rows.SelectMany(g => g.UsedActions)) { used.AddRow(Markup.Escape(a.Permission), N(a.Count), a.LastUsed.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)); }
            host.Console.Write(used);
        }
        else { CommonOptions.WriteCut(host, rows.Count, gaps.Count, $"{provider} principals, most unused permissions first"); }
        host.Console.WriteLine($"{gaps.Count:N0} {provider} principals, {windowDays} days to {when:yyyy-MM-dd}: granted {gaps.Sum(g => g.Granted):N0}, used {gaps.Sum(g => g.Used):N0}, unused {gaps.Sum(g => g.Unused):N0}, unknown (not recorded by the logs) {gaps.Sum(g => g.Unknown):N0}; {gaps.Count(g => g.LastActivity is null):N0} inactive");
        return ExitCodes.Ok;
    }

    private static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);
}
