using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Effective;
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
        var cloud = provider ?? Providers.OfIdentity(query);
        if (service is not null) { CanCommand.WarnUnknownService(host, cloud, service); }
        switch (cloud)
        {
            case Provider.AzureName: return AzureCommands.Effective(host, query, perAction, service, db, format);
            case Provider.GcpName: return GcpCommands.Effective(host, query, perAction, service, db, format);
            default: break;
        }
        var estate = StoreAccess.LoadEstate(host, db);
        if (estate is null) { return ExitCodes.Failure; }
        var who = IdentitiesCommand.Resolve(host, estate, query);
        if (who is null) { return ExitCodes.InvalidInput; }
        var p = new AwsEffectivePermissionCalculator(AwsActionCatalog.Default, host.Clock.GetUtcNow()).Compute(who);
        var paths = PathsCommand.Analyse(estate, null);
        var standing = paths.Standings[paths.Graph.IndexOf(who)];
        var access = AwsEffectivePermissionCalculator.ToEffectiveAccess(p);
        var grants = access.Grants.Where(g => service is null || g.Permission.StartsWith(service + ":", StringComparison.OrdinalIgnoreCase)).ToList();
        if (format == "json")
        {
            CliJson.Write(host, "effective", new
            {
                identity = who.Identity.Id,
                kind = IdentityKindNames.Of(who.Identity.Kind),
                account = who.Identity.Scope,
                granted = p.GrantedCount,
                grantedUnconditionally = p.AllowedUnconditionally.Count,
                admin = standing.Category == Core.Paths.AdminCategory.Administrator,
                adminCategory = Reports.AttackPathRendering.CategoryName(standing.Category),
                pathToAdministrator = standing.PathToAdministrator is { } path ? Reports.AttackPathRendering.Json(path) : null,
                grantsAdministratorTo = standing.GrantsAdministratorTo,
                fullAdmin = p.IsFullAdministrator,
                indeterminate = access.Indeterminate,
                permissions = grants.Select(g => new { action = g.Permission, accessLevel = g.AccessLevel, resources = g.Scope, condition = g.Condition, grantedBy = g.Sources, limitedBy = g.LimitedBy }),
            });
            return ExitCodes.Ok;
        }
        host.Console.MarkupLineInterpolated($"[bold]{who.Identity.Id}[/] ({IdentityKindNames.Of(who.Identity.Kind)}, account {who.Identity.Scope})");
        host.Console.MarkupLineInterpolated($"granted: [bold]{p.GrantedCount:N0}[/] actions ({p.AllowedUnconditionally.Count:N0} on every resource without condition)");
        host.Console.MarkupLineInterpolated($"administrator: [bold]{Reports.AttackPathRendering.CategoryName(standing.Category)}[/]{(standing.GrantsAdministratorTo > 0 ? $", can make {standing.GrantsAdministratorTo} other principal(s) administrators" : "")}");
        if (standing.PathToAdministrator is { } shortest) { Reports.AttackPathRendering.Write(host.Console, shortest, "path to administrator"); }
        if (!p.Indeterminate.IsEmpty) { host.Console.MarkupLineInterpolated($"[yellow]indeterminate: {p.Indeterminate.Count:N0} actions depend on policy content that could not be evaluated[/]"); }
        if (!who.Boundaries.IsEmpty) { host.Console.WriteLine($"permissions boundary: {string.Join(", ", who.Boundaries.Select(b => b.Name))}"); }
        if (!who.Scps.IsEmpty && !who.IsManagementAccount) { host.Console.WriteLine($"SCP levels: {string.Join(" → ", who.Scps.Select(l => $"{l.Target} [{string.Join(", ", l.Policies.Select(x => x.Name))}]"))}"); }
        if (perAction)
        {
            var table = new Table().AddColumns("action", "access", "resources", "condition / limits", "granted by");
            foreach (var g in grants)
            {
                var cond = string.Join("; ", new[] { g.Condition }.Concat(g.LimitedBy).Where(x => x is not null));
                table.AddRow(g.Permission, g.AccessLevel, Markup.Escape(Truncate(g.Scope, 60)), Markup.Escape(Truncate(cond, 60)), Markup.Escape(string.Join("; ", g.Sources)));
            }
            host.Console.Write(table);
            return ExitCodes.Ok;
        }
        var summary = new Table().AddColumns("service", "allowed", "of", "list", "read", "write", "perm. mgmt", "tagging", "conditional", "resources");
        foreach (var svc in grants.GroupBy(g => g.Permission[..g.Permission.IndexOf(':', StringComparison.Ordinal)], StringComparer.OrdinalIgnoreCase).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var distinct = svc.GroupBy(g => g.Permission, StringComparer.Ordinal).ToList();
            AwsActionCatalog.Default.TryGetService(svc.Key, out var info);
            int Level(string level) => distinct.Count(d => d.First().AccessLevel == level);
            var resources = svc.Select(g => g.Scope).Distinct(StringComparer.Ordinal).ToList();
            summary.AddRow(
                Markup.Escape(svc.Key),
                distinct.Count.ToString(CultureInfo.InvariantCulture),
                (info?.Actions.Length ?? 0).ToString(CultureInfo.InvariantCulture),
                Level("List").ToString(CultureInfo.InvariantCulture),
                Level("Read").ToString(CultureInfo.InvariantCulture),
                Level("Write").ToString(CultureInfo.InvariantCulture),
                Level("Permissions management").ToString(CultureInfo.InvariantCulture),
                Level("Tagging").ToString(CultureInfo.InvariantCulture),
                distinct.Count(d => d.All(g => g.IsConditional)).ToString(CultureInfo.InvariantCulture),
                Markup.Escape(Truncate(string.Join(", ", resources), 50)));
        }
        host.Console.Write(summary);
        return ExitCodes.Ok;
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";
}
