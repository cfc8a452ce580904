using System.Collections.Immutable;
using Ciem.Core.Azure;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Gcp.Inventory;
using Ciem.Core.Model;

namespace Ciem.Core.Paths.Clouds;

/// <summary>
/// The scopes whose effective administrators are listed: every Azure subscription and every GCP project of the estate
/// (named in the hierarchy or by an assignment or binding), each with the scopes above it whose administrators
/// administer it too.
/// </summary>
public static class AdminScopes
{
    /// <summary>The subscriptions of the hierarchy and of every role assignment, by id.</summary>
    public static ImmutableArray<AdminScope> Azure(AzureEstate estate)
    {
        ArgumentNullException.ThrowIfNull(estate);
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var s in estate.Hierarchy.Subscriptions) { names.TryAdd(AzureScope.Normalize(s.Scope), s.Name); }
        foreach (var scope in estate.RoleAssignments.Select(a => a.Scope).Concat(estate.EligibleAssignments.Select(e => e.Scope)))
        {
            if (AzureScope.SubscriptionId(scope) is { } id) { names.TryAdd(AzureScope.Normalize($"/subscriptions/{id}"), id); }
        }
        return [.. names.OrderBy(n => n.Key, StringComparer.OrdinalIgnoreCase)
            .Select(n => new AdminScope(Provider.AzureName, n.Key, n.Value, estate.Hierarchy.Ancestry(n.Key)))];
    }

    /// <summary>The projects of the resource inventory and of every allow policy, by full resource name.</summary>
    public static ImmutableArray<AdminScope> Gcp(GcpPolicySet policies)
    {
        ArgumentNullException.ThrowIfNull(policies);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var r in policies.Resources.Where(r => GcpResource.KindOf(r.Name) == GcpResourceKind.Project))
        {
            names.TryAdd(policies.Canonical(r.Name), r.DisplayName ?? r.Name[(r.Name.LastIndexOf('/') + 1)..]);
        }
        foreach (var p in policies.Inventory.Policies)
        {
            var project = policies.Ancestry(p.Resource).FirstOrDefault(a => GcpResource.KindOf(a) == GcpResourceKind.Project);
            if (project is not null) { names.TryAdd(project, project[(project.LastIndexOf('/') + 1)..]); }
        }
        return [.. names.OrderBy(n => n.Key, StringComparer.Ordinal)
            .Select(n => new AdminScope(Provider.GcpName, n.Key, n.Value, policies.Ancestry(n.Key)))];
    }
}
