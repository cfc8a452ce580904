using System.Collections.Immutable;

namespace Ciem.Core.Aws.Inventory;

public enum OrgPolicyKind
{
    /// <summary>Service control policy: caps what principals in member accounts may do.</summary>
    Scp,

    /// <summary>Resource control policy: caps what may be done to resources in member accounts.</summary>
    Rcp,
}

/// <summary>The root (<see cref="IsRoot"/>, no parent) or an organizational unit, with its tags (`list-tags-for-resource`) when imported.</summary>
public sealed record OrgUnit(string Id, string Name, string? ParentId, bool IsRoot, ImmutableArray<KeyValuePair<string, string>> Tags = default)
{
    public ImmutableArray<KeyValuePair<string, string>> Tags { get; init; } = Tags.IsDefault ? [] : Tags;
}

/// <summary>A member account and the root or OU it sits in (null when unknown), with its tags (`list-tags-for-resource`) when imported.</summary>
public sealed record OrgAccount(string Id, string Name, string? Email, string? Status, string? ParentId, ImmutableArray<KeyValuePair<string, string>> Tags = default)
{
    public ImmutableArray<KeyValuePair<string, string>> Tags { get; init; } = Tags.IsDefault ? [] : Tags;
}

/// <summary>An SCP or RCP, its content as raw JSON text and the roots, OUs and accounts it is attached to.</summary>
public sealed record OrgPolicy(
    string Id,
    string Name,
    OrgPolicyKind Kind,
    string Document,
    bool AwsManaged,
    ImmutableArray<string> TargetIds);

public sealed record AwsOrganization(
    string Id,
    string ManagementAccountId,
    DateTimeOffset TakenAt,
    string RootId,
    ImmutableArray<OrgUnit> Units,
    ImmutableArray<OrgAccount> Accounts,
    ImmutableArray<OrgPolicy> Policies)
{
    /// <summary>
    /// The targets whose policies apply to <paramref name="accountId"/>, in evaluation order: root, each OU
    /// from the top down, then the account itself. Empty when the account is not in the organization or its
    /// chain is broken (a parent that is not in <see cref="Units"/>), and never loops on cyclic input.
    /// </summary>
    public ImmutableArray<string> ChainFor(string accountId)
    {
        var account = Accounts.FirstOrDefault(a => a.Id == accountId);
        if (account?.ParentId is null) { return []; }
        var units = Units.ToDictionary(u => u.Id, StringComparer.Ordinal);
        var chain = new List<string> { accountId };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var current = account.ParentId;
        while (current is not null)
        {
            if (!units.TryGetValue(current, out var unit) || !seen.Add(current)) { return []; }
            chain.Add(unit.Id);
            current = unit.ParentId;
        }
        chain.Reverse();
        return [.. chain];
    }

    /// <summary>The policies of one kind attached to a target (root, OU or account id).</summary>
    public IEnumerable<OrgPolicy> PoliciesFor(string targetId, OrgPolicyKind kind) =>
        Policies.Where(p => p.Kind == kind && p.TargetIds.Contains(targetId));
}
