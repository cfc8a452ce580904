using System.Collections.Immutable;

namespace Ciem.Core.Azure;

/// <summary>
/// Everything imported about an Azure estate, as plain records (what the store keeps): RBAC content, the hierarchy,
/// resource groups and group memberships (principal object id → transitive group ids). <see cref="ToEstate"/> builds
/// what the engine reads.
/// </summary>
public sealed record AzureInventory(
    ImmutableArray<RoleDefinition> RoleDefinitions,
    ImmutableArray<RoleAssignment> RoleAssignments,
    ImmutableArray<DenyAssignment> DenyAssignments,
    ImmutableArray<EligibleAssignment> EligibleAssignments,
    ImmutableArray<ManagementGroup> ManagementGroups,
    ImmutableArray<Subscription> Subscriptions,
    ImmutableArray<ResourceGroup> ResourceGroups,
    ImmutableArray<KeyValuePair<string, ImmutableArray<string>>> GroupMemberships)
{
    public static readonly AzureInventory Empty = new([], [], [], [], [], [], [], []);

    public bool IsEmpty => RoleDefinitions.IsEmpty && RoleAssignments.IsEmpty && DenyAssignments.IsEmpty && EligibleAssignments.IsEmpty
        && ManagementGroups.IsEmpty && Subscriptions.IsEmpty && ResourceGroups.IsEmpty && GroupMemberships.IsEmpty;

    public AzureInventory Merge(AzureInventory other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new([.. RoleDefinitions, .. other.RoleDefinitions], [.. RoleAssignments, .. other.RoleAssignments],
            [.. DenyAssignments, .. other.DenyAssignments], [.. EligibleAssignments, .. other.EligibleAssignments],
            [.. ManagementGroups, .. other.ManagementGroups], [.. Subscriptions, .. other.Subscriptions],
            [.. ResourceGroups, .. other.ResourceGroups], [.. GroupMemberships, .. other.GroupMemberships]);
    }

    /// <summary>
    /// The engine's view. A subscription listed twice (by `az account list` without its management group and by the
    /// management-group tree with it) keeps the entry that knows its management group.
    /// </summary>
    public AzureEstate ToEstate()
    {
        var subscriptions = Subscriptions
            .GroupBy(s => s.SubscriptionId, StringComparer.OrdinalIgnoreCase)
            .Select(g => g.FirstOrDefault(s => s.ManagementGroupId is not null) is { } placed
                ? placed with
                {
                    State = placed.State ?? g.Select(s => s.State).FirstOrDefault(x => x is not null),
                    TenantId = placed.TenantId ?? g.Select(s => s.TenantId).FirstOrDefault(x => x is not null),
                    Tags = placed.Tags ?? g.Select(s => s.Tags).FirstOrDefault(x => x is not null),
                }
                : g.First());
        return new AzureEstate(RoleDefinitions, RoleAssignments, DenyAssignments, EligibleAssignments,
            new AzureHierarchy(ManagementGroups, subscriptions), new GroupMemberships(GroupMemberships));
    }
}
