using System.Collections.Immutable;
using System.Text.Json;
using Ciem.Core.Directories;
using Ciem.Core.Gcp.Conditions;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Gcp.Inventory;
using Ciem.Core.Model;
using Ciem.Core.Sweep;
using Spectre.Console;

namespace Ciem.Cli.Commands;

/// <summary>
/// `identities`, `effective`, `can` and `who-can` for GCP: identities are members (`user:…`, `serviceAccount:…`; a
/// bare email is a user, or a service account when it ends in `gserviceaccount.com`), permissions are v1 names
/// (`storage.objects.get`), resources are full or relative resource names. Explanations name the deciding bindings
/// (resource, role, member, condition) and deny rules. Conditions see the request time of the host's clock.
/// </summary>
public static class GcpCommands
{
    public static int Identities(CliHost host, string? db, string? kind, bool adminsOnly, string format, List<object> json, string? env = null, bool noOwner = false)
    {
        var policies = Load(host, db);
        if (policies is null) { return ExitCodes.Failure; }
        var now = host.Clock.GetUtcNow();
        var owners = ServiceOwners(host, db, policies.Inventory, now);
        var environmentOf = EnvironmentResolver.ForGcpPrincipals(policies);
        var computed = GcpEffectiveAccess.ComputeAll(policies);
        // Service accounts no binding names are still identities to review (and may hold keys).
        var unbound = owners.Keys.Where(m => !computed.Any(a => string.Equals(a.Identity.Id, m, StringComparison.OrdinalIgnoreCase))).Order(StringComparer.Ordinal).Select(m => GcpEffectiveAccess.Compute(policies, m));
        var rows = computed.Concat(unbound)
            .Where(a => kind is null || IdentityKindNames.Of(a.Identity.Kind) == kind)
            .Where(a => !adminsOnly || a.IsAdministrator)
            .Where(a => env is null || environmentOf(a).Name == env)
            .Where(a => !noOwner || (a.Identity.Kind == IdentityKind.ServiceIdentity && !(owners.TryGetValue(a.Identity.Id, out var o) && o.Owner is not null)))
            .OrderBy(a => a.Identity.Scope, StringComparer.Ordinal).ThenBy(a => a.Identity.Id, StringComparer.Ordinal).ToList();
        if (format == "json")
        {
            json.AddRange(rows.Select(a => AccessViews.IdentityRow(a, service: owners.GetValueOrDefault(a.Identity.Id), asOf: now)));
            return ExitCodes.Ok;
        }
        AccessViews.IdentitiesTable(host, Provider.GcpName, rows, owners.IsEmpty && !noOwner ? [] : AccessViews.OwnerColumns(owners, now));
        return ExitCodes.Ok;
    }

    /// <summary>The imported service accounts with their owners (description, name, directory people and groups) and user-managed keys.</summary>
    private static ImmutableDictionary<string, ServiceIdentityOwnership> ServiceOwners(CliHost host, string? db, GcpInventory inventory, DateTimeOffset now)
    {
        if (inventory.ServiceAccounts.IsEmpty) { return ImmutableDictionary<string, ServiceIdentityOwnership>.Empty; }
        var (directories, links) = StoreAccess.LoadPeople(host, db);
        return ServiceOwnership.ForGcp(inventory.ServiceAccounts, inventory.ServiceAccountKeys, directories, links, now);
    }

    public static int Effective(CliHost host, string query, bool perAction, string? service, string? db, string format)
    {
        var policies = Load(host, db);
        if (policies is null) { return ExitCodes.Failure; }
        var access = GcpEffectiveAccess.Compute(policies, Member(query));
        var grants = access.Grants.Where(g => service is null || g.Permission.StartsWith(service + ".", StringComparison.Ordinal)).ToList();
        if (format == "json")
        {
            CliJson.Write(host, "effective-gcp", AccessViews.EffectiveJson(access, grants));
            return ExitCodes.Ok;
        }
        AccessViews.Effective(host, access, grants, perAction, p => p.IndexOf('.', StringComparison.Ordinal) is var dot and > 0 ? p[..dot] : p);
        return ExitCodes.Ok;
    }

    public static int Can(CliHost host, string query, string permission, string resource, string[] context, string? db, string format, bool exitCode = false)
    {
        if (!TryParseTime(host, context, out var at)) { return ExitCodes.InvalidInput; }
        var policies = Load(host, db);
        if (policies is null) { return ExitCodes.Failure; }
        var member = Member(query);
        var result = GcpAuthorizer.Evaluate(Request(at, member, permission, resource), policies);
        if (format == "json")
        {
            CliJson.Write(host, "can-gcp", new
            {
                provider = Provider.GcpName,
                identity = member,
                action = permission,
                resource = GcpResource.FullName(resource),
                decision = result.Decision.ToString(),
                isPublic = result.IsPublic,
                bindings = result.Bindings.Select(Binding),
                denyRules = result.DenyRules.Select(DenyRule),
                diagnostics = result.Diagnostics.Select(d => d.ToString()),
            });
            return CanCommand.Exit(result.Decision, exitCode);
        }
        var colour = result.Decision switch { Decision.Allow => "green", Decision.Indeterminate => "yellow", _ => "red" };
        host.Console.MarkupLineInterpolated($"[{colour} bold]{result.Decision}[/]: {member} → {permission} on {GcpResource.FullName(resource)}{(result.IsPublic ? " (public)" : "")}");
        if (result.Decision == Decision.ImplicitDeny) { host.Console.WriteLine("  no binding on the resource or its ancestors grants a role with this permission to the member or its groups"); }
        foreach (var r in result.DenyRules) { host.Console.MarkupLine($"  [red]denies[/] {Markup.Escape(Describe(r))}"); }
        foreach (var b in result.Bindings) { host.Console.MarkupLine($"  {(result.Decision == Decision.Allow ? "[green]allows[/]" : "[yellow]grants[/]")} {Markup.Escape(Describe(b))}"); }
        foreach (var d in result.Diagnostics) { host.Console.MarkupLineInterpolated($"  [yellow]{d.ToString()}[/]"); }
        return CanCommand.Exit(result.Decision, exitCode);
    }

    public static int WhoCan(CliHost host, string permission, string resource, string[] context, string? db, string format)
    {
        if (!TryParseTime(host, context, out var at)) { return ExitCodes.InvalidInput; }
        var policies = Load(host, db);
        if (policies is null) { return ExitCodes.Failure; }
        var members = GcpEffectiveAccess.Members(policies).AddRange(GcpEffectiveAccess.FindPublic(policies).Select(p => GcpMembers.Canonical(p.Member)).Distinct(StringComparer.Ordinal));
        var hits = members
            .Select(m => (Member: m, Result: GcpAuthorizer.Evaluate(Request(at, m, permission, resource), policies)))
            .Where(h => h.Result.Decision is Decision.Allow or Decision.Indeterminate)
            .OrderBy(h => h.Result.Decision).ThenBy(h => h.Member, StringComparer.Ordinal).ToList();
        if (format == "json")
        {
            CliJson.Write(host, "who-can-gcp", hits.Select(h => new
            {
                provider = Provider.GcpName,
                identity = h.Member,
                decision = h.Result.Decision.ToString(),
                isPublic = h.Result.IsPublic,
                bindings = h.Result.Bindings.Select(Binding),
            }));
            return ExitCodes.Ok;
        }
        var table = new Table().AddColumns("member", "decision", "allowed by");
        foreach (var (member, result) in hits)
        {
            table.AddRow(Markup.Escape(member), result.Decision == Decision.Allow ? "[green]Allow[/]" : "[yellow]Indeterminate[/]",
                Markup.Escape(string.Join("; ", result.Bindings.Select(Describe))));
        }
        host.Console.Write(table);
        host.Console.WriteLine($"{hits.Count(h => h.Result.Decision == Decision.Allow)} of {members.Length} members can {permission} on {GcpResource.FullName(resource)}; {hits.Count(h => h.Result.Decision == Decision.Indeterminate)} indeterminate");
        return ExitCodes.Ok;
    }

    /// <summary>A member as IAM writes it: `user:` for a bare email, `serviceAccount:` for one ending in `gserviceaccount.com`.</summary>
    public static string Member(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Contains(':', StringComparison.Ordinal) || !query.Contains('@', StringComparison.Ordinal)) { return GcpMembers.Canonical(query); }
        return query.EndsWith(".gserviceaccount.com", StringComparison.OrdinalIgnoreCase) ? "serviceAccount:" + query : "user:" + query;
    }

    /// <summary>``binding 0 on `//…/projects/1`: `roles/editor` to `group:devs@…` when `title: expr` ``.</summary>
    public static string Describe(BindingRef b) =>
        $"binding {b.Binding} on `{b.Resource}`: `{b.Role}` to `{b.Member}`{(b.Condition is null ? "" : $" when `{b.Condition}`")}";

    public static string Describe(DenyRuleRef r) =>
        $"deny rule {r.Rule} of `{r.Policy}` on `{r.AttachmentPoint}`{(r.Condition is null ? "" : $" when `{r.Condition}`")}";

    private static object Binding(BindingRef b) => new { resource = b.Resource, binding = b.Binding, role = b.Role, member = b.Member, condition = b.Condition?.Expression, conditionTitle = b.Condition?.Title };

    private static object DenyRule(DenyRuleRef r) => new { policy = r.Policy, attachmentPoint = r.AttachmentPoint, rule = r.Rule, condition = r.Condition?.Expression };

    private static GcpRequest Request(DateTimeOffset at, string member, string permission, string resource) =>
        new(new GcpPrincipal(member), permission, GcpResource.FullName(resource), new ConditionAttributes(RequestTime: at));

    /// <summary>`-c request.time=2026-12-01T00:00:00Z` sets the time conditions see (default: the clock); no other key is used.</summary>
    private static bool TryParseTime(CliHost host, string[] context, out DateTimeOffset at)
    {
        at = host.Clock.GetUtcNow();
        var pairs = Providers.ParsePairs(host, context);
        if (pairs is null) { return false; }
        foreach (var (key, values) in pairs)
        {
            if (key != "request.time" || values.Length != 1
                || !DateTimeOffset.TryParse(values[0], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out at))
            {
                host.Error.WriteLine($"error: context `{key}` is not used for gcp: give `request.time=` with one ISO 8601 time");
                return false;
            }
        }
        return true;
    }

    private static GcpPolicySet? Load(CliHost host, string? db)
    {
        var inventory = Providers.LoadGcp(host, db);
        if (inventory is null) { return null; }
        var policies = GcpPolicySet.Create(inventory);
        return policies;
    }
}
