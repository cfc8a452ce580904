using System.CommandLine;
using System.Globalization;
using Ciem.App.Questions;
using Ciem.App.Reports;
using Ciem.Core.Model;
using Spectre.Console;

namespace Ciem.Cli.Commands;

/// <summary>`ciem effective IDENTITY`: what one identity can do, per service or per action, with provenance and limits.</summary>
public static class EffectiveCommand
{
    public static Command Create(CliHost host)
    {
        var identity = new Argument<string>("identity") { Description = "an ARN, a name, or ACCOUNT/NAME; an Azure object id; a GCP member (`user:…`, `serviceAccount:…`) or email" };
        var actions = new Option<bool>("--actions") { Description = "list every allowed action instead of a per-service summary" };
        var service = new Option<string?>("--service") { Description = "only this service prefix, e.g. s3, Microsoft.Storage, storage" };
        var provider = Providers.Option("from the identity's form");
        var db = CommonOptions.Database();
        var format = CommonOptions.Format();
        var command = new Command("effective", "show the effective permissions of an identity, with the statements that grant and limit them") { identity, actions, service, provider, db, format };
        command.SetAction(p => Run(host, p.GetValue(identity)!, p.GetValue(actions), p.GetValue(service), p.GetValue(db), p.GetValue(format)!, p.GetValue(provider)));
        return command;
    }

    public static int Run(CliHost host, string query, bool perAction, string? service, string? db, string format, string? provider = null)
    {
        var result = EffectiveQuestion.Explain(host.Session(db), query, service, host.Clock.GetUtcNow(), provider);
        if (!QuestionOutput.TryAnswer(host, result, out var answer, out var exit)) { return exit; }
        if (format == "json")
        {
            var (name, body) = EffectiveJson.Of(answer);
            CliJson.Write(host, name, body);
        }
        else if (answer.Aws is { } aws) { WriteAws(host, answer, aws, perAction); }
        else
        {
            var separator = answer.Identity.Provider == Provider.AzureName ? '/' : '.';
            AccessViews.Effective(host, answer.Access, answer.Grants, perAction,
                p => p.IndexOf(separator, StringComparison.Ordinal) is var at and > 0 ? p[..at] : p);
            foreach (var e in answer.Eligible)
            {
                host.Console.WriteLine($"eligible (PIM, not active): role `{e.RoleName}` at `{e.Scope}`{(e.ViaGroup is null ? "" : $" via group `{e.ViaGroup}`")}"
                    + $"{(e.EndDateTime is { } end ? $" until {end.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}" : "")}: would grant {e.OperationCount:N0} operations{(e.IsAdministrator ? ", administrative" : "")}");
            }
        }
        return ExitCodes.Ok;
    }

    private static void WriteAws(CliHost host, EffectiveExplanation answer, AwsEffectiveDetail aws, bool perAction)
    {
        var (who, p, standing) = (aws.Who, aws.Permissions, aws.Standing);
        host.Console.MarkupLineInterpolated($"[bold]{who.Identity.Id}[/] ({IdentityKindNames.Of(who.Identity.Kind)}, account {who.Identity.Scope})");
        host.Console.MarkupLineInterpolated($"granted: [bold]{p.GrantedCount:N0}[/] actions ({p.AllowedUnconditionally.Count:N0} on every resource without condition)");
        var grants = standing.GrantsAdministratorTo > 0
            ? $", can make {standing.GrantsAdministratorTo} other principal(s) administrators" : "";
        host.Console.MarkupLineInterpolated($"administrator: [bold]{PathJson.CategoryName(standing.Category)}[/]{grants}");
        if (standing.PathToAdministrator is { } shortest) { Reports.AttackPathRendering.Write(host.Console, shortest, "path to administrator"); }
        if (!p.Indeterminate.IsEmpty) { host.Console.MarkupLineInterpolated($"[yellow]indeterminate: {p.Indeterminate.Count:N0} actions depend on policy content that could not be evaluated[/]"); }
        if (!who.Boundaries.IsEmpty) { host.Console.WriteLine($"permissions boundary: {string.Join(", ", who.Boundaries.Select(b => b.Name))}"); }
        if (!who.Scps.IsEmpty && !who.IsManagementAccount) { host.Console.WriteLine($"SCP levels: {string.Join(" → ", who.Scps.Select(l => $"{l.Target} [{string.Join(", ", l.Policies.Select(x => x.Name))}]"))}"); }
        if (perAction)
        {
            var table = new Table().AddColumns("action", "access", "resources", "condition / limits", "granted by");
            foreach (var g in answer.Grants)
            {
                var cond = string.Join("; ", new[] { g.Condition }.Concat(g.LimitedBy).Where(x => x is not null));
                table.AddRow(g.Permission, g.AccessLevel, Markup.Escape(Providers.Truncate(g.Scope, 60)), Markup.Escape(Providers.Truncate(cond, 60)), Markup.Escape(string.Join("; ", g.Sources)));
            }
            host.Console.Write(table);
            return;
        }
        var summary = new Table().AddColumns("service", "allowed", "of", "list", "read", "write", "perm. mgmt", "tagging", "conditional", "resources");
        static string N(int n) => n.ToString(CultureInfo.InvariantCulture);
        foreach (var s in aws.Services)
        {
            summary.AddRow(Markup.Escape(s.Service), N(s.Allowed), N(s.Of), N(s.List), N(s.Read), N(s.Write), N(s.PermissionsManagement),
                N(s.Tagging), N(s.Conditional), Markup.Escape(Providers.Truncate(string.Join(", ", s.Resources), 50)));
        }
        host.Console.Write(summary);
    }
}
