using System.Collections.Immutable;

namespace Ciem.Core.Azure;

/// <summary>A management group: full id (`/providers/Microsoft.Management/managementGroups/{name}`), name, parent id.</summary>
public sealed record ManagementGroup(string Id, string Name, string? DisplayName, string? ParentId);

/// <summary>A subscription: its GUID, display name, state, the management group that holds it, if known, and its tags.</summary>
public sealed record Subscription(string SubscriptionId, string Name, string? State, string? TenantId, string? ManagementGroupId, IReadOnlyDictionary<string, string>? Tags = null)
{
    public string Scope => $"/subscriptions/{SubscriptionId}";
}

/// <summary>A resource group: full id (`/subscriptions/{sub}/resourceGroups/{name}`), name, subscription, location and tags.</summary>
public sealed record ResourceGroup(string Id, string Name, string SubscriptionId, string? Location, IReadOnlyDictionary<string, string>? Tags = null);

/// <summary>
/// The resource hierarchy the engine needs beyond scope paths: which management group holds each subscription and
/// each management group's parent. Built once from the imported management groups and subscriptions.
/// </summary>
public sealed class AzureHierarchy
{
    private readonly Dictionary<string, string> _parentOf = new(StringComparer.OrdinalIgnoreCase);

    public AzureHierarchy(IEnumerable<ManagementGroup> managementGroups, IEnumerable<Subscription> subscriptions)
    {
        ArgumentNullException.ThrowIfNull(managementGroups);
        ArgumentNullException.ThrowIfNull(subscriptions);
        var groups = managementGroups.ToImmutableArray();
        var subs = subscriptions.ToImmutableArray();
        ManagementGroups = groups;
        Subscriptions = subs;
        foreach (var group in groups)
        {
            if (group.ParentId is { Length: > 0 } parent) { _parentOf[AzureScope.Normalize(group.Id)] = AzureScope.Normalize(parent); }
        }
        foreach (var sub in subs)
        {
            if (sub.ManagementGroupId is { Length: > 0 } parent) { _parentOf[sub.Scope] = AzureScope.Normalize(parent); }
        }
    }

    public static AzureHierarchy Empty { get; } = new([], []);

    public ImmutableArray<ManagementGroup> ManagementGroups { get; }

    public ImmutableArray<Subscription> Subscriptions { get; }

    /// <summary>
    /// Every scope whose assignments reach <paramref name="scope"/>, nearest first: the scope itself, its path
    /// ancestors (resource → resource group → subscription), then the management groups above the subscription (or
    /// above a management-group scope), then the root `/`. Cycles in the imported tree stop the walk.
    /// </summary>
    public ImmutableArray<string> Ancestry(string scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var result = ImmutableArray.CreateBuilder<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var current = AzureScope.Normalize(scope);
        foreach (var path in AzureScope.PathAncestry(current))
        {
            if (path != "/" && seen.Add(path)) { result.Add(path); }
        }
        var top = result.Count > 0 ? result[^1] : "/";
        while (_parentOf.TryGetValue(top, out var parent) && seen.Add(parent))
        {
            result.Add(parent);
            top = parent;
        }
        result.Add("/");
        return result.ToImmutable();
    }

    /// <summary>True when an assignment at <paramref name="ancestor"/> reaches <paramref name="scope"/>.</summary>
    public bool Covers(string ancestor, string scope) =>
        AzureScope.Contains(ancestor, scope) || Ancestry(scope).Contains(AzureScope.Normalize(ancestor), StringComparer.OrdinalIgnoreCase);
}
