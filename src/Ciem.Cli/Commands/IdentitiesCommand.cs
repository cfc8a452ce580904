using System.CommandLine;
using System.Globalization;
using Ciem.App.Identities;
using Ciem.App.Reports;
using Ciem.Core.Model;
using Ciem.Core.Paths;
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
        var env = new Option<string?>("--env")
        {
            Description = "only identities in this environment (account, OU, subscription, resource group or project tags, "
                + "else their names): prod, preprod, dev, other",
        };
        env.AcceptOnlyFromAmong("prod", "preprod", "dev", "other");
        var noOwner = new Option<bool>("--no-owner")
        {
            Description = "only service identities with no known owner (directory owners, tags, attached resource, description, "
                + "name, OIDC repository): reviewed first",
        };
        var provider = Providers.Option("every provider the store holds");
        var db = CommonOptions.Database();
        var risk = new Option<bool>("--risk")
        {
            Description = "rank AWS identities by risk, every factor and its points shown (json, csv or text)",
        };
        var top = CommonOptions.Top(20, "identities by risk (with --risk)");
        var all = CommonOptions.All();
        var format = CommonOptions.FormatWithCsv();
        var command = new Command("identities",
            "list identities with kind, account, granted permissions, administrator category, last use, and the owners and "
                + "credentials of service identities")
        {
            kind, account, admins, env, noOwner, risk, top, all, provider, db, format,
        };
        IdentityFilter Filter(ParseResult p) =>
            new(p.GetValue(kind), p.GetValue(account), p.GetValue(admins), p.GetValue(env), p.GetValue(noOwner));
        command.SetAction(p => p.GetValue(risk)
            ? IdentitiesRisk.Run(host, p.GetValue(account), p.GetValue(db), p.GetValue(format)!, CommonOptions.Limit(p.GetValue(top),
                p.GetValue(all)), p.GetValue(provider))
            : p.GetValue(format) == "csv" ? CsvOutput.ViaJson(host, h => Run(h, Filter(p), p.GetValue(db), "json", p.GetValue(provider)))
            : Run(host, Filter(p), p.GetValue(db), p.GetValue(format)!, p.GetValue(provider)));
        return command;
    }

    public static int Run(CliHost host, IdentityFilter filter, string? db, string format, string? provider = null)
    {
        var now = host.Clock.GetUtcNow();
        var listed = IdentityListing.List(host.Session(db), provider, filter, now);
        if (!QuestionOutput.TryAnswer(host, listed, out var list, out var exit)) { return exit; }
        var json = new List<object>();
        foreach (var section in list.Sections)
        {
            if (!QuestionOutput.TryAnswer(host, section, out var identities, out exit)) { return exit; }
            if (format == "json") { json.AddRange(IdentitiesJson.Rows(identities, now)); }
            else if (identities.Provider == Provider.AwsName) { AwsTable(host, identities, now); }
            else { CloudTable(host, identities, filter, now); }
        }
        if (format == "json") { CliJson.Write(host, "identities", json); }
        return ExitCodes.Ok;
    }

    private static void CloudTable(CliHost host, ProviderIdentities identities, IdentityFilter filter, DateTimeOffset now)
    {
        var rows = identities.Cloud;
        var owners = identities.Owners;
        var byAccess = new Dictionary<EffectiveAccess, CloudIdentityRow>(ReferenceEqualityComparer.Instance);
        foreach (var row in rows) { byAccess[row.Access] = row; }
        (string, Func<EffectiveAccess, string>) category = ("administrator", a => CategoryCell(byAccess[a]));
        if (identities.Provider == Provider.AzureName)
        {
            (string, Func<EffectiveAccess, string>) eligible = ("eligible (PIM)", a => string.Join(", ",
                byAccess[a].Eligible.Select(e => $"{e.RoleName} at {e.Scope}")));
            AccessViews.IdentitiesTable(host, Provider.AzureName, [.. rows.Select(r => r.Access)],
                owners.IsEmpty ? [category, eligible] : [category, eligible, .. AccessViews.OwnerColumns(owners, now)]);
        }
        else
        {
            AccessViews.IdentitiesTable(host, Provider.GcpName, [.. rows.Select(r => r.Access)],
                owners.IsEmpty && !filter.NoOwner ? [category] : [category, .. AccessViews.OwnerColumns(owners, now)]);
        }
        host.Console.WriteLine($"{rows.Count(r => r.Category == AdminCategory.Administrator)} administrators, "
            + $"{rows.Count(r => r.Category == AdminCategory.CanBecomeAdministrator)} can become administrators, "
            + $"{rows.Count(r => r.Category == AdminCategory.PrivilegeAdministrator)} can make others administrators "
            + $"(see `ciem paths --admins --provider {identities.Provider}`)");
        if (identities.Note is { } note) { host.Console.WriteLine(note); }
    }

    /// <summary>The category column of Azure and GCP (plain text: the table escapes it).</summary>
    private static string CategoryCell(CloudIdentityRow r) => r.Category switch
    {
        AdminCategory.Administrator => "administrator",
        AdminCategory.CanBecomeAdministrator when r.Standing?.Shortest is { } p =>
            $"via {p.Hops} hop(s)" + (p.Certainty == EdgeCertainty.Certain ? "" : " ?"),
        AdminCategory.PrivilegeAdministrator => "grants others",
        _ => "",
    };

    private static void AwsTable(CliHost host, ProviderIdentities identities, DateTimeOffset now)
    {
        var rows = identities.Aws;
        var table = new Table().AddColumns("identity", "kind", "account", "granted", "admin", "last used (IAM)", "owner", "key age",
            "cred. last used");
        table.Columns[3].RightAligned();
        table.Columns[7].RightAligned();
        foreach (var (p, standing, _) in rows)
        {
            var id = p.Context.Identity;
            table.AddRow(
                Markup.Escape(id.Name),
                IdentityKindNames.Of(id.Kind),
                Markup.Escape(id.Scope),
                p.GrantedCount.ToString("N0", CultureInfo.InvariantCulture) + (p.Indeterminate.IsEmpty ? ""
                    : $" (+{p.Indeterminate.Count} ?)"),
                AdminCell(p.IsFullAdministrator, standing),
                id.LastUsed?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "never/unknown",
                Markup.Escape(id.Owner ?? ""),
                id.Credentials?.OldestActiveKeyCreated is { } key ? $"{(int)(now - key).TotalDays}d" : "",
                id.Credentials is { } creds ? creds.LastUsed?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "never" : "");
        }
        host.Console.Write(table);
        host.Console.WriteLine($"{rows.Length} identities, "
            + $"{rows.Count(r => r.Standing.Category == AdminCategory.Administrator)} administrators, "
            + $"{rows.Count(r => r.Standing.Category == AdminCategory.CanBecomeAdministrator)} can become administrators, "
            + $"{rows.Count(r => r.Standing.Category == AdminCategory.PrivilegeAdministrator)} can make others administrators "
            + "(see `ciem paths IDENTITY`), "
            + $"{rows.Count(r => r.Permissions.Context.Identity.Kind is IdentityKind.ServiceIdentity or IdentityKind.ServiceLinkedRole)} "
            + "service identities");
    }

    /// <summary>The admin column: administrator (full when every action on every resource), a path's length, or grants to others.</summary>
    private static string AdminCell(bool full, AdminStanding s) => s.Category switch
    {
        AdminCategory.Administrator => full ? "[red]full[/]" : "[red]yes[/]",
        AdminCategory.CanBecomeAdministrator => $"[red]via {AttackPaths.CountedHops(s.PathToAdministrator!)} hop(s)[/]"
            + (s.PathToAdministrator!.Certainty == EdgeCertainty.Certain ? "" : " [yellow]?[/]"),
        AdminCategory.PrivilegeAdministrator => "[yellow]grants others[/]",
        _ => "",
    };
}
