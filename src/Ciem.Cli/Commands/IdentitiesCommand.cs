using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Model;
using Spectre.Console;

namespace Ciem.Cli.Commands;

/// <summary>`ciem identities`: every identity with its kind, account, granted-permission count, admin flag and last use.</summary>
public static class IdentitiesCommand
{
    public static Command Create(CliHost host)
    {
        var kind = new Option<string?>("--kind") { Description = "only this kind: human, service, role, service-linked, sso" };
        kind.AcceptOnlyFromAmong("human", "service", "role", "service-linked", "sso");
        var account = new Option<string?>("--account") { Description = "only identities of this account" };
        var admins = new Option<bool>("--admins") { Description = "only administrative identities" };
        var env = new Option<string?>("--env") { Description = "only identities in this environment (account, OU, subscription, resource group or project tags, else their names): prod, preprod, dev, other" };
        env.AcceptOnlyFromAmong("prod", "preprod", "dev", "other");
        var noOwner = new Option<bool>("--no-owner") { Description = "only service identities with no known owner (directory owners, tags, attached resource, description, name, OIDC repository): reviewed first" };
        var provider = Providers.Option("every provider the store holds");
        var db = CommonOptions.Database();
        var risk = new Option<bool>("--risk") { Description = "rank AWS identities by risk, every factor and its points shown (json, csv or text)" };
        var top = CommonOptions.Top(20, "identities by risk (with --risk)");
        var all = CommonOptions.All();
        var format = CommonOptions.FormatWithCsv();
        var command = new Command("identities", "list identities with kind, account, granted permissions, administrator category, last use, and the owners and credentials of service identities") { kind, account, admins, env, noOwner, risk, top, all, provider, db, format };
        command.SetAction(p => p.GetValue(risk)
            ? IdentitiesRisk.Run(host, p.GetValue(account), p.GetValue(db), p.GetValue(format)!, CommonOptions.Limit(p.GetValue(top), p.GetValue(all)))
            : p.GetValue(format) == "csv" ? CsvOutput.ViaJson(host, h => Run(h, p.GetValue(kind), p.GetValue(account), p.GetValue(admins), p.GetValue(db), "json", p.GetValue(provider), p.GetValue(env), p.GetValue(noOwner)))
            : Run(host, p.GetValue(kind), p.GetValue(account), p.GetValue(admins), p.GetValue(db), p.GetValue(format)!, p.GetValue(provider), p.GetValue(env), p.GetValue(noOwner)));
        return command;
    }


    public static int Run(CliHost host, string? kind, string? account, bool adminsOnly, string? db, string format, string? provider = null, string? env = null, bool noOwner = false)
    {
        if (noOwner && kind is not null and not "service")
        {
            host.Error.WriteLine($"error: `--no-owner` lists service identities; it cannot be combined with `--kind {kind}`");
            return ExitCodes.InvalidInput;
        }
        var providers = provider is null ? Providers.WithData(host, db) : [provider];
        if (providers is [Provider.AwsName]) { return RunAws(host, kind, account, adminsOnly, db, format, null, env, noOwner); }
        var json = new List<object>();
        foreach (var p in providers)
        {
            var code = p switch
            {
                Provider.AzureName => AzureCommands.Identities(host, db, kind, adminsOnly, format, json, env, noOwner),
                Provider.GcpName => GcpCommands.Identities(host, db, kind, adminsOnly, format, json, env, noOwner),
                _ => RunAws(host, kind, account, adminsOnly, db, format, json, env, noOwner),
            };
            if (code != ExitCodes.Ok) { return code; }
        }
        if (format == "json") { CliJson.Write(host, "identities", json); }
        return ExitCodes.Ok;
    }

    /// <summary>The AWS identities: written as they always were, or added to <paramref name="json"/> when several providers are listed.</summary>
    private static int RunAws(CliHost host, string? kind, string? account, bool adminsOnly, string? db, string format, List<object>? json, string? env, bool noOwner = false)
    {
        var now = host.Clock.GetUtcNow();
        var estate = StoreAccess.LoadEstate(host, db);
        if (estate is null) { return ExitCodes.Failure; }
        var all = StoreAccess.ComputeAll(estate);
        var standings = PathsCommand.Analyse(estate, all).Standings.ToDictionary(s => s.Identity.Identity.Id, StringComparer.Ordinal);
        Core.Paths.AdminStanding StandingOf(Core.Aws.Effective.AwsEffectivePermissions p) => standings[p.Context.Identity.Id];
        var rows = all
            .Where(p => kind is null || IdentityKindNames.Of(p.Context.Identity.Kind) == kind)
            .Where(p => account is null || p.Context.Identity.Scope == account)
            .Where(p => !adminsOnly || StandingOf(p).Category != Core.Paths.AdminCategory.None)
            .Where(p => env is null || estate.EnvironmentOf(p.Context.Identity.Scope) == env)
            .Where(p => !noOwner || (p.Context.Identity.Kind is IdentityKind.ServiceIdentity or IdentityKind.Role && p.Context.Identity.Owner is null))
            .OrderBy(p => p.Context.Identity.Scope, StringComparer.Ordinal)
            .ThenBy(p => p.Context.Identity.Kind)
            .ThenBy(p => p.Context.Identity.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (format == "json")
        {
            var objects = rows.Select(p => (object)new
            {
                id = p.Context.Identity.Id,
                name = p.Context.Identity.Name,
                kind = IdentityKindNames.Of(p.Context.Identity.Kind),
                account = p.Context.Identity.Scope,
                granted = p.GrantedCount,
                grantedUnconditionally = p.AllowedUnconditionally.Count,
                indeterminate = p.Indeterminate.Count,
                admin = StandingOf(p).Category == Core.Paths.AdminCategory.Administrator,
                adminCategory = Reports.AttackPathRendering.CategoryName(StandingOf(p).Category),
                pathToAdministrator = StandingOf(p).PathToAdministrator is { } path ? Reports.AttackPathRendering.Json(path) : null,
                grantsAdministratorTo = StandingOf(p).GrantsAdministratorTo,
                fullAdmin = p.IsFullAdministrator,
                lastUsed = p.Context.Identity.LastUsed,
                environment = estate.EnvironmentOf(p.Context.Identity.Scope),
                owner = p.Context.Identity.Owner,
                credentials = p.Context.Identity.Credentials is { } c ? new
                {
                    consolePassword = c.ConsolePassword,
                    mfa = c.MfaActive,
                    activeKeys = c.ActiveKeys,
                    oldestActiveKeyCreated = c.OldestActiveKeyCreated,
                    oldestActiveKeyAgeDays = c.OldestActiveKeyCreated is { } k ? (int?)(now - k).TotalDays : null,
                    lastUsed = c.LastUsed,
                    lastUsedService = c.LastUsedService,
                } : null,
            });
            if (json is null) { CliJson.Write(host, "identities", objects); }
            else { json.AddRange(objects); }
            return ExitCodes.Ok;
        }
        var table = new Table().AddColumns("identity", "kind", "account", "granted", "admin", "last used (IAM)", "owner", "key age", "cred. last used");
        table.Columns[3].RightAligned();
        table.Columns[7].RightAligned();
        foreach (var p in rows)
        {
            var id = p.Context.Identity;
            table.AddRow(
                Markup.Escape(id.Name),
                IdentityKindNames.Of(id.Kind),
                Markup.Escape(id.Scope),
                p.GrantedCount.ToString("N0", CultureInfo.InvariantCulture) + (p.Indeterminate.IsEmpty ? "" : $" (+{p.Indeterminate.Count} ?)"),
                AdminCell(p.IsFullAdministrator, StandingOf(p)),
                id.LastUsed?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "never/unknown",
                Markup.Escape(id.Owner ?? ""),
                id.Credentials?.OldestActiveKeyCreated is { } key ? $"{(int)(now - key).TotalDays}d" : "",
                id.Credentials is { } creds ? creds.LastUsed?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "never" : "");
        }
        host.Console.Write(table);
        host.Console.WriteLine($"{rows.Count} identities, {rows.Count(r => StandingOf(r).Category == Core.Paths.AdminCategory.Administrator)} administrators, "
            + $"{rows.Count(r => StandingOf(r).Category == Core.Paths.AdminCategory.CanBecomeAdministrator)} can become administrators, "
            + $"{rows.Count(r => StandingOf(r).Category == Core.Paths.AdminCategory.PrivilegeAdministrator)} can make others administrators (see `ciem paths IDENTITY`), "
            + $"{rows.Count(r => r.Context.Identity.Kind is IdentityKind.ServiceIdentity or IdentityKind.ServiceLinkedRole)} service identities");
        return ExitCodes.Ok;
    }

    /// <summary>The admin column: administrator (full when every action on every resource), a path's length, or grants to others.</summary>
    private static string AdminCell(bool full, Core.Paths.AdminStanding s) => s.Category switch
    {
        Core.Paths.AdminCategory.Administrator => full ? "[red]full[/]" : "[red]yes[/]",
        Core.Paths.AdminCategory.CanBecomeAdministrator => $"[red]via {Core.Paths.AttackPaths.CountedHops(s.PathToAdministrator!)} hop(s)[/]"
            + (s.PathToAdministrator!.Certainty == Core.Paths.EdgeCertainty.Certain ? "" : " [yellow]?[/]"),
        Core.Paths.AdminCategory.PrivilegeAdministrator => "[yellow]grants others[/]",
        _ => "",
    };

    /// <summary>Resolves one identity from a query, or explains why not.</summary>
    public static AwsIdentityContext? Resolve(CliHost host, AwsEstate estate, string query)
    {
        var found = estate.Find(query);
        if (found.Length == 1) { return found[0]; }
        if (found.IsEmpty)
        {
            host.Error.WriteLine($"error: no identity `{query}`: give an ARN, a name, or ACCOUNT/NAME (see `ciem identities`)");
        }
        else
        {
            host.Error.WriteLine($"error: `{query}` is ambiguous: {string.Join(", ", found.Select(f => f.Identity.Id))}");
        }
        return null;
    }
}
