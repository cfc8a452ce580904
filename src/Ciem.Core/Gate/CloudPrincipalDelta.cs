using System.Collections.Immutable;
using Ciem.Core.Diagnostics;
using Ciem.Core.Model;

namespace Ciem.Core.Gate;

/// <summary>
/// An Azure or GCP principal before and after a change, provider-neutral: its effective access on each side (from the
/// provider's engine) and the permissions added and removed, each as `permission @ scope`.
/// </summary>
public sealed record CloudPrincipalDelta(
    string Provider,
    string Id,
    EffectiveAccess Before,
    EffectiveAccess After,
    ImmutableArray<string> Added,
    ImmutableArray<string> Removed,
    bool InInventory)
{
    public bool BecameAdministrator => After.IsAdministrator && !Before.IsAdministrator;

    /// <summary>Distinct permissions (whatever the scope) granted after and not before.</summary>
    public ImmutableHashSet<string> NewPermissions { get; } = NewOf(Before, After);

    /// <summary>Compares two sides grant by grant (`permission @ scope`, with `if CONDITION` when conditional).</summary>
    public static CloudPrincipalDelta Create(string provider, string id, EffectiveAccess before, EffectiveAccess after, bool inInventory)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var b = before.Grants.Select(Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var a = after.Grants.Select(Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return new CloudPrincipalDelta(provider, id, before, after,
            [.. a.Except(b, StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase)],
            [.. b.Except(a, StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase)], inInventory);
    }

    private static string Key(PermissionGrant g) => g.Condition is null ? $"{g.Permission} @ {g.Scope}" : $"{g.Permission} @ {g.Scope} if {g.Condition}";

    private static ImmutableHashSet<string> NewOf(EffectiveAccess before, EffectiveAccess after)
    {
        var had = before.Grants.Select(g => g.Permission).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return after.Grants.Select(g => g.Permission).Where(p => !had.Contains(p)).ToImmutableHashSet(StringComparer.OrdinalIgnoreCase);
    }
}

/// <summary>What the Azure or GCP part of the gate found: a delta per touched principal, findings and diagnostics.</summary>
public sealed record CloudGateResult(ImmutableArray<CloudPrincipalDelta> Deltas, ImmutableArray<GateFinding> Findings, ImmutableArray<Diagnostic> Diagnostics)
{
    public static readonly CloudGateResult Empty = new([], [], []);

    public CloudGateResult Merge(CloudGateResult other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new([.. Deltas, .. other.Deltas], [.. Findings, .. other.Findings], [.. Diagnostics, .. other.Diagnostics]);
    }
}

/// <summary>The usage rules for Azure and GCP principals: what a change removes that was used, and grants that were not.</summary>
public static class CloudUsageRules
{
    /// <param name="used">permissions the principal used in the usage window; null when the store has no usage for it.</param>
    public static ImmutableArray<GateFinding> Evaluate(CloudPrincipalDelta delta, IReadOnlySet<string>? used, SourceLocation? location)
    {
        ArgumentNullException.ThrowIfNull(delta);
        if (used is null) { return []; }
        var findings = ImmutableArray.CreateBuilder<GateFinding>();
        var after = delta.After.Grants.Select(g => g.Permission).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var removed = delta.Before.Grants.Select(g => g.Permission).Where(p => !after.Contains(p) && used.Contains(p)).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase).ToList();
        if (removed.Count > 0)
        {
            findings.Add(new GateFinding(GateRules.RemovedUsedPermission, GateRules.Find(GateRules.RemovedUsedPermission).DefaultSeverity, delta.Id,
                $"the change removes {removed.Count} permission(s) `{delta.Id}` used in the usage window", [.. removed], location));
        }
        var unused = delta.NewPermissions.Where(p => !used.Contains(p)).Order(StringComparer.OrdinalIgnoreCase).ToList();
        if (unused.Count > 0)
        {
            findings.Add(new GateFinding(GateRules.UnusedGrant, GateRules.Find(GateRules.UnusedGrant).DefaultSeverity, delta.Id,
                $"the change grants {unused.Count} permission(s) `{delta.Id}` did not use in the usage window", [.. unused.Take(20)], location));
        }
        return findings.ToImmutable();
    }
}
