using System.Collections.Immutable;
using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Model;
using Ciem.Core.Paths;

namespace Ciem.Core.Aws.LeastPrivilege;

/// <summary>Granted versus used for one identity over a window.</summary>
/// <param name="Used">granted actions observed in the window.</param>
/// <param name="Unused">granted actions the log records but that were not observed.</param>
/// <param name="Unknown">granted actions the log cannot record (data events off, never logged): neither used nor unused.</param>
/// <param name="IsAdministrator">the engine-decided category is administrator (<see cref="Category"/>).</param>
/// <param name="AdminActionUsed">the identity is an administrator and performed at least one permissions-management action.</param>
public sealed record IdentityGap(
    Identity Identity,
    int Granted,
    int Used,
    int Unused,
    int Unknown,
    ImmutableArray<string> UsedServices,
    ImmutableArray<string> UnusedServices,
    DateTimeOffset? LastActivity,
    bool IsAdministrator,
    bool AdminActionUsed,
    ImmutableArray<string> UsedOutsideGrants)
{
    public bool Inactive => Used == 0;

    private readonly AdminFlag? _standing;

    /// <summary>The administrator standing decided on the attack graph (docs/attack-paths.md); when not set, that of
    /// <see cref="IsAdministrator"/>.</summary>
    public AdminFlag Standing { get => _standing ?? AdminFlag.Of(IsAdministrator); init => _standing = value; }

    public AdminCategory Category => Standing.Category;

    public bool PrivilegeAdministrator => Standing.PrivilegeAdministrator;

    /// <summary>Share of granted actions never used (unknown ones excluded from both sides).</summary>
    public double UnusedShare => Granted - Unknown <= 0 ? 0 : (double)Unused / (Granted - Unknown);
}

/// <summary>The estate-wide summary of a gap analysis: the seed's "280 admins, 190 unused".</summary>
public sealed record GapSummary(
    int Identities,
    int Humans,
    int ServiceIdentities,
    int Administrators,
    int UnusedAdministrators,
    int Inactive,
    long GrantedTotal,
    long UsedTotal,
    long UnknownTotal,
    DateTimeOffset WindowStart,
    DateTimeOffset AsOf);

/// <summary>
/// Computes granted versus used per identity. An action counts as used when observed in the window and granted by
/// the identity's own policies; an action the audit log cannot record is *unknown*, never unused; an administrator is
/// *unused* as administrator when it performed no permissions-management action in the window.
/// </summary>
public static class GapAnalyzer
{
    /// <param name="effective">the identity's effective permissions.</param>
    /// <param name="window">what it did in the window.</param>
    /// <param name="recordedByAuditLog">whether the audit log records an action at all.</param>
    /// <param name="admin">its standing decided on the attack graph (<see cref="AdminStandings"/>); without it, the identity is
    /// an administrator only when its policies grant every action without condition (never a guess from a list of actions).</param>
    public static IdentityGap Analyze(AwsEffectivePermissions effective, IReadOnlyList<ObservedAction> window,
        Func<AwsAction, bool> recordedByAuditLog, AdminFlag? admin = null)
    {
        ArgumentNullException.ThrowIfNull(effective);
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(recordedByAuditLog);
        var catalog = effective.Allowed.Catalog;
        var used = new ActionSetBuilder(catalog);
        var outside = new SortedSet<string>(StringComparer.Ordinal);
        DateTimeOffset? last = null;
        foreach (var o in window)
        {
            if (last is null || o.LastSeen > last) { last = o.LastSeen; }
            if (catalog.TryGetAction(o.Action, out var action) && effective.Allowed.Contains(action)) { used.Add(action); }
            else { outside.Add(o.Action); }
        }
        var usedSet = used.ToActionSet();
        var unknown = 0;
        var unused = 0;
        var unusedServices = new SortedSet<string>(StringComparer.Ordinal);
        var usedServices = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var a in usedSet) { usedServices.Add(a.Service); }
        foreach (var a in effective.Allowed)
        {
            if (usedSet.Contains(a)) { continue; }
            if (!recordedByAuditLog(a)) { unknown++; continue; }
            unused++;
            if (!usedServices.Contains(a.Service)) { unusedServices.Add(a.Service); }
        }
        var flag = admin ?? AdminFlag.Of(effective.IsFullAdministrator);
        var adminUsed = flag.IsAdministrator && usedSet.Any(a => a.AccessLevel == AwsAccessLevel.PermissionsManagement);
        return new IdentityGap(
            effective.Context.Identity, effective.GrantedCount, usedSet.Count, unused, unknown,
            [.. usedServices], [.. unusedServices], last, flag.IsAdministrator, adminUsed, [.. outside])
        { Standing = flag };
    }

    public static GapSummary Summarize(IReadOnlyList<IdentityGap> gaps, DateTimeOffset windowStart, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(gaps);
        return new GapSummary(
            gaps.Count,
            gaps.Count(g => g.Identity.Kind == IdentityKind.HumanUser || g.Identity.Kind == IdentityKind.SsoRole),
            gaps.Count(g => g.Identity.Kind is IdentityKind.ServiceIdentity or IdentityKind.ServiceLinkedRole),
            gaps.Count(g => g.IsAdministrator),
            gaps.Count(g => g.IsAdministrator && !g.AdminActionUsed),
            gaps.Count(g => g.Inactive),
            gaps.Sum(g => (long)g.Granted),
            gaps.Sum(g => (long)g.Used),
            gaps.Sum(g => (long)g.Unknown),
            windowStart,
            asOf);
    }
}
