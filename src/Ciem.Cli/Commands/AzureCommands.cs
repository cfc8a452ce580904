using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Ciem.App.Identities;
using Ciem.Core.Azure;
using Ciem.Core.Azure.Catalog;
using Ciem.Core.Azure.Evaluation;
using Ciem.Core.Azure.Conditions;
using Ciem.Core.Directories;
using Ciem.Core.Model;
using Ciem.Core.Sweep;
using Spectre.Console;

namespace Ciem.Cli.Commands;

/// <summary>
/// `identities`, `effective`, `can` and `who-can` for Azure: principals are Entra object ids (or the principal names
/// the role assignments carry), permissions are operations (`Microsoft.Compute/virtualMachines/delete`), resources are
/// scopes. Explanations name the deciding role assignments (role, scope, matched `Actions` entry, group) and deny
/// assignments.
/// </summary>
public static class AzureCommands
{
    private static AzureOperationCatalog Catalog => AzureOperationCatalog.Default;

    public static int Identities(CliHost host, string? db, string? kind, bool adminsOnly, string format, List<object> json, string? env = null, bool noOwner = false)
    {
        var inventory = Providers.LoadAzure(host, db);
        if (inventory is null) { return ExitCodes.Failure; }
        var estate = inventory.ToEstate();
        var now = host.Clock.GetUtcNow();
        var owners = ServiceOwners(host, db, now);
        var environmentOf = EnvironmentResolver.ForAzurePrincipals(inventory);
        var resolver = Resolver(host, db, estate);
        var rows = AzureEffectiveAccess.ComputeAll(estate, Catalog)
            .Where(r => kind is null || IdentityKindNames.Of(r.Access.Identity.Kind) == kind)
            .Where(r => !adminsOnly || r.Access.IsAdministrator)
            .Where(r => env is null || environmentOf(r.Access).Name == env)
            .Where(r => !noOwner || (r.Access.Identity.Kind == IdentityKind.ServiceIdentity && !(owners.TryGetValue(r.Access.Identity.Id, out var o) && o.Owner is not null)))
            // Named as every other command names it (the directory first; role assignments may carry only an id).
            .Select(r => r with { Access = r.Access with { Identity = r.Access.Identity with { Name = NameOf(r.Access.Identity, owners, resolver) } } })
            .OrderBy(r => r.Access.Identity.Name, StringComparer.OrdinalIgnoreCase).ToList();
        if (format == "json")
        {
            json.AddRange(rows.Select(r => AccessViews.IdentityRow(r.Access, r.Eligible.Length, owners.GetValueOrDefault(r.Access.Identity.Id), now)));
            return ExitCodes.Ok;
        }
        (string, Func<EffectiveAccess, string>) eligible = ("eligible (PIM)", a => string.Join(", ", rows.First(r => r.Access == a).Eligible.Select(e => $"{e.RoleName} at {e.Scope}")));
        AccessViews.IdentitiesTable(host, Provider.AzureName, [.. rows.Select(r => r.Access)], owners.IsEmpty ? [eligible] : [eligible, .. AccessViews.OwnerColumns(owners, now)]);
        if (owners.IsEmpty && (noOwner || kind == "service"))
        {
            host.Console.WriteLine("no Entra directory in the store: owners and credentials are unknown (`ciem import directory entra PATH`)");
        }
        return ExitCodes.Ok;
    }

    /// <summary>The Entra service principals of the store's directories with their owners and credentials; empty without an Entra import.</summary>
    private static ImmutableDictionary<string, ServiceIdentityOwnership> ServiceOwners(CliHost host, string? db, DateTimeOffset now)
    {
        var (directories, links) = StoreAccess.LoadPeople(host, db);
        return directories.Any(d => d.Source == DirectorySource.Entra)
            ? ServiceOwnership.ForEntra(directories, links, now)
            : ImmutableDictionary<string, ServiceIdentityOwnership>.Empty;
    }

    public static int Effective(CliHost host, string query, bool perAction, string? service, string? db, string format)
    {
        var inventory = Providers.LoadAzure(host, db);
        if (inventory is null) { return ExitCodes.Failure; }
        var estate = inventory.ToEstate();
        var principal = Resolve(host, db, estate, query);
        if (principal is null) { return ExitCodes.InvalidInput; }
        var result = AzureEffectiveAccess.Compute(AzureEffectiveAccess.IdentityOf(principal.Value.Id, principal.Value.Type, estate), estate, Catalog);
        var grants = result.Access.Grants.Where(g => service is null || g.Permission.StartsWith(service + "/", StringComparison.OrdinalIgnoreCase)).ToList();
        if (format == "json")
        {
            CliJson.Write(host, "effective-azure", AccessViews.EffectiveJson(result.Access, grants, new
            {
                eligible = result.Eligible.Select(e => new { assignment = e.AssignmentId, role = e.RoleName, scope = e.Scope, viaGroup = e.ViaGroup, start = e.StartDateTime, end = e.EndDateTime, operations = e.OperationCount, admin = e.IsAdministrator, condition = e.Condition }),
            }));
            return ExitCodes.Ok;
        }
        AccessViews.Effective(host, result.Access, grants, perAction, p => p.IndexOf('/', StringComparison.Ordinal) is var slash and > 0 ? p[..slash] : p);
        foreach (var e in result.Eligible)
        {
            host.Console.WriteLine($"eligible (PIM, not active): role `{e.RoleName}` at `{e.Scope}`{(e.ViaGroup is null ? "" : $" via group `{e.ViaGroup}`")}"
                + $"{(e.EndDateTime is { } end ? $" until {end.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}" : "")}: would grant {e.OperationCount:N0} operations{(e.IsAdministrator ? ", administrative" : "")}");
        }
        return ExitCodes.Ok;
    }

    public static int Can(CliHost host, string query, string operation, string scope, string[] context, string? db, string format, bool exitCode = false)
    {
        var attributes = Providers.ParsePairs(host, context);
        if (attributes is null) { return ExitCodes.InvalidInput; }
        var inventory = Providers.LoadAzure(host, db);
        if (inventory is null) { return ExitCodes.Failure; }
        var estate = inventory.ToEstate();
        var principal = Resolve(host, db, estate, query);
        if (principal is null) { return ExitCodes.InvalidInput; }
        var result = new AzureAuthorizer(estate, Catalog).Evaluate(Request(principal.Value.Id, operation, scope, attributes));
        if (format == "json")
        {
            CliJson.Write(host, "can-azure", new
            {
                provider = Provider.AzureName,
                identity = principal.Value.Id,
                name = principal.Value.Name,
                action = operation,
                resource = scope,
                decision = result.Decision.ToString(),
                deciding = result.Deciding.Select(Deciding),
                diagnostics = result.Diagnostics.Select(d => d.ToString()),
            });
            return CanCommand.Exit(result.Decision, exitCode);
        }
        var colour = result.Decision switch { Decision.Allow => "green", Decision.Indeterminate => "yellow", _ => "red" };
        host.Console.MarkupLineInterpolated($"[{colour} bold]{result.Decision}[/]: {principal.Value.Name} ({principal.Value.Id}) → {operation} on {scope}");
        if (result.Decision == Decision.ImplicitDeny) { host.Console.WriteLine("  no role assignment of the principal or its groups at this scope or above grants it"); }
        foreach (var d in result.Deciding)
        {
            var verb = d.Kind == AzureAssignmentKind.DenyAssignment ? "[red]denies[/]" : d.Condition == ConditionResult.True ? "[green]allows[/]" : "[yellow]may allow[/]";
            host.Console.MarkupLine($"  {verb} {Markup.Escape(Describe(d))}");
        }
        foreach (var d in result.Diagnostics) { host.Console.MarkupLineInterpolated($"  [yellow]{d.ToString()}[/]"); }
        return CanCommand.Exit(result.Decision, exitCode);
    }

    public static int WhoCan(CliHost host, string operation, string scope, string[] context, string? db, string format)
    {
        var attributes = Providers.ParsePairs(host, context);
        if (attributes is null) { return ExitCodes.InvalidInput; }
        var inventory = Providers.LoadAzure(host, db);
        if (inventory is null) { return ExitCodes.Failure; }
        var estate = inventory.ToEstate();
        var authorizer = new AzureAuthorizer(estate, Catalog);
        var principals = Principals(host, db, estate);
        var hits = principals
            .Select(p => (Principal: p, Result: authorizer.Evaluate(Request(p.Id, operation, scope, attributes))))
            .Where(h => h.Result.Decision is Decision.Allow or Decision.Indeterminate)
            .OrderBy(h => h.Result.Decision).ThenBy(h => h.Principal.Name, StringComparer.OrdinalIgnoreCase).ToList();
        if (format == "json")
        {
            CliJson.Write(host, "who-can-azure", hits.Select(h => new
            {
                provider = Provider.AzureName,
                identity = h.Principal.Id,
                name = h.Principal.Name,
                kind = h.Principal.Type,
                decision = h.Result.Decision.ToString(),
                deciding = h.Result.Deciding.Select(Deciding),
            }));
            return ExitCodes.Ok;
        }
        var table = new Table().AddColumns("identity", "object id", "type", "decision", "allowed by");
        foreach (var (p, result) in hits)
        {
            table.AddRow(Markup.Escape(p.Name), p.Id, Markup.Escape(p.Type ?? ""), result.Decision == Decision.Allow ? "[green]Allow[/]" : "[yellow]Indeterminate[/]",
                Markup.Escape(string.Join("; ", result.Deciding.Select(Describe))));
        }
        host.Console.Write(table);
        host.Console.WriteLine($"{hits.Count(h => h.Result.Decision == Decision.Allow)} of {principals.Count} principals can {operation} on {scope}; {hits.Count(h => h.Result.Decision == Decision.Indeterminate)} indeterminate");
        return ExitCodes.Ok;
    }

    /// <summary>``role assignment `Owner` at `/…` (matched `*`) via group `…` [condition …]`` or ``deny assignment `…` at `/…` (matched `*/delete`)``.</summary>
    public static string Describe(AzureDecidingAssignment d)
    {
        var what = d.Kind == AzureAssignmentKind.DenyAssignment ? "deny assignment" : "role assignment";
        var via = d.ViaGroup is null ? "" : $" via group `{d.ViaGroup}`";
        var condition = d.Condition switch
        {
            ConditionResult.True => "",
            ConditionResult.False => " (condition false)",
            _ => " (condition undecided)",
        };
        return $"{what} `{d.Name}` at `{d.Scope}` (matched `{d.MatchedPattern}`){via}{condition}";
    }

    private static object Deciding(AzureDecidingAssignment d) => new
    {
        kind = d.Kind == AzureAssignmentKind.DenyAssignment ? "denyAssignment" : "roleAssignment",
        assignment = d.AssignmentId,
        name = d.Name,
        scope = d.Scope,
        matched = d.MatchedPattern,
        viaGroup = d.ViaGroup,
        condition = d.Condition.ToString(),
    };

    private static AzureRequest Request(string principal, string operation, string scope, Dictionary<string, ImmutableArray<string>> attributes)
    {
        // An operation only the data plane has is a data action; names both planes have are asked of the control plane.
        var plane = !Catalog.TryGetOperation(operation, AzurePlane.Control, out _) && Catalog.TryGetOperation(operation, AzurePlane.Data, out _)
            ? AzurePlane.Data : AzurePlane.Control;
        return new AzureRequest(principal, operation, scope, plane, Attributes: attributes);
    }

    private readonly record struct Principal(string Id, string Name, string? Type);

    private static string NameOf(Identity identity, IReadOnlyDictionary<string, ServiceIdentityOwnership> owners, IdentityResolver resolver) =>
        owners.TryGetValue(identity.Id, out var o) ? o.Name : resolver.NameOf(identity.Id) is var name && name != identity.Id ? name : identity.Name;

    /// <summary>Every principal the inputs name (not groups), named by the imported Entra directory first.</summary>
    private static List<Principal> Principals(CliHost host, string? db, AzureEstate estate) =>
        [.. Resolver(host, db, estate).Principals.Select(p => new Principal(p.Id, p.Name, p.Type))];

    /// <summary>The one Azure name resolver (object id, name, user principal name, app id) over the store's estate and directories.</summary>
    public static IdentityResolver Resolver(CliHost host, string? db, AzureEstate estate) =>
        IdentityResolver.ForAzure(estate, StoreAccess.LoadPeople(host, db).Directories);

    private static Principal? Resolve(CliHost host, string? db, AzureEstate estate, string query)
    {
        var resolution = Resolver(host, db, estate).Resolve(query);
        if (resolution.Found is { } p) { return new Principal(p.Id, p.Name, p.Type); }
        host.Error.WriteLine($"error {Core.Diagnostics.DiagnosticCodes.CliUnknownIdentity}: {resolution.Problem(Provider.AzureName, query)}");
        return null;
    }
}
