using System.Collections.Frozen;
using System.Collections.Immutable;
using Ciem.Core.Azure.Catalog;

namespace Ciem.Core.Azure;

/// <summary>
/// Group membership as input: principal object id → the object ids of the groups it belongs to, transitively (what
/// Microsoft Graph `transitiveMemberOf` returns). Entra itself is imported elsewhere; this is all the engine needs.
/// </summary>
public sealed class GroupMemberships
{
    private readonly FrozenDictionary<string, ImmutableArray<string>> _groups;

    public GroupMemberships(IEnumerable<KeyValuePair<string, ImmutableArray<string>>> memberships)
    {
        ArgumentNullException.ThrowIfNull(memberships);
        var merged = new Dictionary<string, ImmutableArray<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (principal, groups) in memberships)
        {
            merged[principal] = merged.TryGetValue(principal, out var existing)
                ? [.. existing.Concat(groups).Distinct(StringComparer.OrdinalIgnoreCase)]
                : [.. groups.Distinct(StringComparer.OrdinalIgnoreCase)];
        }
        _groups = merged.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    public static GroupMemberships Empty { get; } = new([]);

    public IEnumerable<string> Principals => _groups.Keys;

    public ImmutableArray<string> GroupsOf(string principalId) =>
        _groups.TryGetValue(principalId, out var groups) ? groups : [];
}

/// <summary>Everything the Azure engine reads, in memory: RBAC content, the hierarchy and group memberships.</summary>
public sealed class AzureEstate
{
    private readonly Dictionary<string, RoleDefinition> _rolesByGuid = new(StringComparer.OrdinalIgnoreCase);
    private AzureBuiltInRoles? _builtInRoles;

    public AzureEstate(
        IEnumerable<RoleDefinition> roleDefinitions,
        IEnumerable<RoleAssignment> roleAssignments,
        IEnumerable<DenyAssignment>? denyAssignments = null,
        IEnumerable<EligibleAssignment>? eligibleAssignments = null,
        AzureHierarchy? hierarchy = null,
        GroupMemberships? groups = null,
        AzureBuiltInRoles? builtInRoles = null)
    {
        ArgumentNullException.ThrowIfNull(roleDefinitions);
        ArgumentNullException.ThrowIfNull(roleAssignments);
        RoleDefinitions = [.. roleDefinitions];
        RoleAssignments = [.. roleAssignments];
        DenyAssignments = [.. denyAssignments ?? []];
        EligibleAssignments = [.. eligibleAssignments ?? []];
        Hierarchy = hierarchy ?? AzureHierarchy.Empty;
        Groups = groups ?? GroupMemberships.Empty;
        _builtInRoles = builtInRoles;
        foreach (var role in RoleDefinitions) { _rolesByGuid.TryAdd(role.Name, role); }
    }

    public ImmutableArray<RoleDefinition> RoleDefinitions { get; }

    public ImmutableArray<RoleAssignment> RoleAssignments { get; }

    public ImmutableArray<DenyAssignment> DenyAssignments { get; }

    public ImmutableArray<EligibleAssignment> EligibleAssignments { get; }

    public AzureHierarchy Hierarchy { get; }

    public GroupMemberships Groups { get; }

    /// <summary>
    /// Finds a role by its GUID or by any id ending in it (role ids differ by the scope they are read at): an imported
    /// definition first, else the shipped built-in role with that GUID (<see cref="AzureBuiltInRoles"/>; built-in GUIDs are
    /// the same in every tenant), else null — an unknown custom role.
    /// </summary>
    public RoleDefinition? FindRole(string roleDefinitionIdOrGuid) => ResolveRole(roleDefinitionIdOrGuid).Role;

    /// <summary>Like <see cref="FindRole"/>, and says whether the role came from the shipped built-in catalog rather than the estate.</summary>
    public (RoleDefinition? Role, bool FromCatalog) ResolveRole(string roleDefinitionIdOrGuid)
    {
        ArgumentNullException.ThrowIfNull(roleDefinitionIdOrGuid);
        var guid = AzureScope.LastSegment(roleDefinitionIdOrGuid);
        if (_rolesByGuid.TryGetValue(guid, out var imported)) { return (imported, false); }
        return BuiltInRoles.Find(guid) is { } builtIn ? (builtIn, true) : (null, false);
    }

    /// <summary>The built-in roles that fill gaps in <see cref="RoleDefinitions"/> (default: the shipped catalog).</summary>
    public AzureBuiltInRoles BuiltInRoles => _builtInRoles ??= AzureBuiltInRoles.Default;
}
