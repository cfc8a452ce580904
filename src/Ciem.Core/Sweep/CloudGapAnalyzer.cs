using System.Collections.Immutable;
using Ciem.Core.Model;
using Ciem.Core.Paths;

namespace Ciem.Core.Sweep;

/// <summary>Usage of a permission on a resource by an identity (an Azure object id or UPN, a GCP member) over a period.</summary>
public sealed record ObservedUse(string Identity, string Action, string Resource, long Count, DateTimeOffset LastSeen);

/// <summary>A permission an identity used in the window: calls and the last call.</summary>
public sealed record UsedPermission(string Permission, long Count, DateTimeOffset LastUsed);

/// <summary>
/// Granted versus used for one Azure or GCP principal: distinct permissions granted, how many were used, how many were
/// used without a grant in the inventory (a grant not imported, or beyond the catalog), calls, the last activity of any
/// kind (a sign-in counts) and, for an administrator, whether it used a permissions-management permission.
/// <see cref="Unknown"/> counts granted permissions not seen whose use no log of the window would have recorded (Azure
/// reads and data actions, GCP Data Access permissions): they are never counted in <see cref="Unused"/>.
/// </summary>
public sealed record PrincipalGap(
    Identity Identity,
    int Granted,
    int Used,
    int Unused,
    int UsedNotGranted,
    long Calls,
    DateTimeOffset? LastActivity,
    bool IsAdministrator,
    bool AdminActionUsed,
    ImmutableArray<UsedPermission> UsedActions,
    int Unknown = 0,
    ImmutableArray<string> UnknownPermissions = default)
{
    /// <summary>Used none of its granted permissions in the window (as for AWS; a sign-in alone does not make it active).</summary>
    public bool Inactive => Used == 0;

    private readonly AdminFlag? _standing;

    /// <summary>The administrator standing decided on the multi-cloud attack graph (docs/attack-paths.md); when not set, that of
    /// <see cref="IsAdministrator"/>.</summary>
    public AdminFlag Standing { get => _standing ?? AdminFlag.Of(IsAdministrator); init => _standing = value; }

    public AdminCategory Category => Standing.Category;

    public bool PrivilegeAdministrator => Standing.PrivilegeAdministrator;

    /// <summary>Share of granted permissions never used (0 when nothing is granted).</summary>
    public double UnusedShare => Granted == 0 ? 0 : (double)Unused / Granted;
}

/// <summary>
/// The gap for Azure and GCP principals, shared by `ciem gap --provider` and the sweep. Usage rows match a principal by
/// its id or, for Azure callers recorded by user principal name, by its name; permissions match without regard to case.
/// </summary>
public static class CloudGapAnalyzer
{
    /// <param name="accesses">effective access per principal.</param>
    /// <param name="usage">the window's usage rows.</param>
    /// <param name="activityOnly">actions that show activity but are no permission (the Entra sign-in), never counted as used.</param>
    /// <param name="recording">whether the window's logs would record a grant's use; granted permissions not seen are unused
    /// when recorded and unknown when not (without it, every permission not seen is unused).</param>
    /// <param name="admin">each principal's standing decided on the attack graph (<see cref="AdminStandings"/>); without it, the
    /// grant-based flag of its effective access.</param>
    public static IReadOnlyList<PrincipalGap> Analyze(IEnumerable<EffectiveAccess> accesses, IReadOnlyList<ObservedUse> usage, IReadOnlySet<string>? activityOnly = null,
        Func<PermissionGrant, UsageRecording>? recording = null, Func<Identity, AdminFlag>? admin = null)
    {
        ArgumentNullException.ThrowIfNull(accesses);
        ArgumentNullException.ThrowIfNull(usage);
        var byIdentity = usage.ToLookup(u => u.Identity, StringComparer.OrdinalIgnoreCase);
        var gaps = new List<PrincipalGap>();
        foreach (var access in accesses)
        {
            var rows = RowsOf(access.Identity, byIdentity);
            var granted = access.Grants.Select(g => g.Permission).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var actions = rows.Where(r => activityOnly is null || !activityOnly.Contains(r.Action))
                .GroupBy(r => r.Action, StringComparer.OrdinalIgnoreCase)
                .Select(g => new UsedPermission(g.Key, g.Sum(r => r.Count), g.Max(r => r.LastSeen)))
                .OrderByDescending(a => a.Count).ThenBy(a => a.Permission, StringComparer.Ordinal).ToImmutableArray();
            var used = actions.Count(a => granted.Contains(a.Permission));
            var seen = actions.Select(a => a.Permission).ToHashSet(StringComparer.OrdinalIgnoreCase);
            ImmutableArray<string> unknown = recording is null ? [] : [.. access.Grants
                .Where(g => !seen.Contains(g.Permission) && !recording(g).Recorded)
                .Select(g => g.Permission).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal)];
            var flag = admin?.Invoke(access.Identity)
                ?? AdminFlag.Of(access.IsAdministrator);
            gaps.Add(new PrincipalGap(access.Identity, granted.Count, used, granted.Count - used - unknown.Length, actions.Length - used,
                actions.Sum(a => a.Count), rows.Count == 0 ? null : rows.Max(r => r.LastSeen), flag.IsAdministrator,
                flag.IsAdministrator && actions.Any(a => granted.Contains(a.Permission) && IsPermissionsManagement(a.Permission)), actions,
                unknown.Length, unknown)
            { Standing = flag });
        }
        return gaps;
    }

    /// <summary>The usage rows of one identity: by id, and by name when the name differs (Azure UPNs).</summary>
    public static List<ObservedUse> RowsOf(Identity identity, ILookup<string, ObservedUse> byIdentity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(byIdentity);
        return [.. byIdentity[identity.Id].Concat(string.Equals(identity.Name, identity.Id, StringComparison.OrdinalIgnoreCase) ? [] : byIdentity[identity.Name])];
    }

    /// <summary>
    /// Permissions that change who may do what: Azure `Microsoft.Authorization/…/write|delete` (role assignments and
    /// definitions, policy, locks), GCP `*.setIamPolicy`, `iam.roles.create|update|delete|undelete` and
    /// `iam.serviceAccountKeys.create`.
    /// </summary>
    public static bool IsPermissionsManagement(string permission)
    {
        ArgumentNullException.ThrowIfNull(permission);
        if (permission.StartsWith("Microsoft.Authorization/", StringComparison.OrdinalIgnoreCase))
        {
            return permission.EndsWith("/write", StringComparison.OrdinalIgnoreCase) || permission.EndsWith("/delete", StringComparison.OrdinalIgnoreCase);
        }
        return permission.EndsWith(".setIamPolicy", StringComparison.Ordinal)
            || permission is "iam.roles.create" or "iam.roles.update" or "iam.roles.delete" or "iam.roles.undelete" or "iam.serviceAccountKeys.create";
    }
}
