using System.Globalization;
using Ciem.Core.Directories;
using Ciem.Core.Model;
using Spectre.Console;

namespace Ciem.Cli.Commands;

/// <summary>
/// Rendering of the provider-neutral <see cref="EffectiveAccess"/> that Azure and GCP share: identity rows, the
/// per-service summary and the per-permission table (AWS keeps its own, richer views).
/// </summary>
public static class AccessViews
{
    /// <summary>The owner and credential cells of a service identity row (`none` when no owner is known: reviewed first).</summary>
    public static (string Title, Func<EffectiveAccess, string> Cell)[] OwnerColumns(IReadOnlyDictionary<string, ServiceIdentityOwnership> owners, DateTimeOffset asOf) =>
    [
        ("owner", a => a.Identity.Kind != IdentityKind.ServiceIdentity ? "" : owners.TryGetValue(a.Identity.Id, out var o) && o.Owner is { } owner ? $"{owner.Text} ({owner.Source})" : "none"),
        ("credentials", a => owners.TryGetValue(a.Identity.Id, out var o) && o.Credentials is { } c ? c.Describe(asOf) : ""),
    ];

    public static void IdentitiesTable(CliHost host, string provider, IReadOnlyList<EffectiveAccess> rows, params (string Title, Func<EffectiveAccess, string> Cell)[] extras)
    {
        var table = new Table().Title(provider).AddColumns("identity", "kind", provider == Provider.AzureName ? "object id" : "scope", "granted", "admin");
        foreach (var (title, _) in extras) { table.AddColumn(title); }
        table.Columns[3].RightAligned();
        foreach (var a in rows)
        {
            var cells = new List<string>
            {
                Markup.Escape(a.Identity.Name),
                IdentityKindNames.Of(a.Identity.Kind),
                Markup.Escape(provider == Provider.AzureName ? a.Identity.Id : a.Identity.Scope),
                a.GrantedCount.ToString("N0", CultureInfo.InvariantCulture) + (a.Indeterminate.IsEmpty ? "" : $" (+{a.Indeterminate.Length} ?)"),
                a.IsAdministrator ? "[red]yes[/]" : "",
            };
            cells.AddRange(extras.Select(e => Markup.Escape(e.Cell(a))));
            table.AddRow([.. cells]);
        }
        host.Console.Write(table);
        host.Console.WriteLine($"{rows.Count} {provider} identities, {rows.Count(r => r.IsAdministrator)} administrative, {rows.Count(r => r.Identity.Kind == IdentityKind.ServiceIdentity)} service identities");
    }

    /// <summary>The text of `ciem effective`: a header, then one row per service (or per permission with <paramref name="perAction"/>).</summary>
    public static void Effective(CliHost host, EffectiveAccess a, IReadOnlyList<PermissionGrant> grants, bool perAction, Func<string, string> serviceOf)
    {
        host.Console.MarkupLineInterpolated($"[bold]{a.Identity.Name}[/] ({a.Identity.Provider} {IdentityKindNames.Of(a.Identity.Kind)}, {a.Identity.Id})");
        host.Console.MarkupLineInterpolated($"granted: [bold]{a.GrantedCount:N0}[/] permissions{(a.IsAdministrator ? " — administrative" : "")}");
        if (!a.Indeterminate.IsEmpty) { host.Console.MarkupLineInterpolated($"[yellow]indeterminate: {string.Join(", ", a.Indeterminate)}[/]"); }
        if (perAction)
        {
            var table = new Table().AddColumns("permission", "access", "scope", "condition / limits", "granted by");
            foreach (var g in grants)
            {
                var cond = string.Join("; ", new[] { g.Condition }.Concat(g.LimitedBy).Where(x => x is not null));
                table.AddRow(Markup.Escape(g.Permission), g.AccessLevel, Markup.Escape(Providers.Truncate(g.Scope, 70)), Markup.Escape(Providers.Truncate(cond, 60)), Markup.Escape(string.Join("; ", g.Sources)));
            }
            host.Console.Write(table);
            return;
        }
        var summary = new Table().AddColumns("service", "allowed", "read", "write", "perm. mgmt", "conditional", "scopes", "granted by");
        foreach (var svc in grants.GroupBy(g => serviceOf(g.Permission), StringComparer.OrdinalIgnoreCase).OrderBy(g => g.Key, StringComparer.OrdinalIgnoreCase))
        {
            var distinct = svc.GroupBy(g => g.Permission, StringComparer.OrdinalIgnoreCase).ToList();
            string Level(Func<string, bool> match) => distinct.Count(d => match(d.First().AccessLevel)).ToString(CultureInfo.InvariantCulture);
            summary.AddRow(
                Markup.Escape(svc.Key),
                distinct.Count.ToString(CultureInfo.InvariantCulture),
                Level(l => l.EndsWith("Read", StringComparison.Ordinal) || l.EndsWith("List", StringComparison.Ordinal)),
                Level(l => l.EndsWith("Write", StringComparison.Ordinal) || l.EndsWith("Tagging", StringComparison.Ordinal)),
                Level(l => l.Contains("ermissions", StringComparison.Ordinal)),
                distinct.Count(d => d.All(g => g.IsConditional)).ToString(CultureInfo.InvariantCulture),
                Markup.Escape(Providers.Truncate(string.Join(", ", svc.Select(g => g.Scope).Distinct(StringComparer.OrdinalIgnoreCase)), 60)),
                Markup.Escape(Providers.Truncate(string.Join("; ", svc.SelectMany(g => g.Sources).Distinct(StringComparer.Ordinal)), 70)));
        }
        host.Console.Write(summary);
    }
}
