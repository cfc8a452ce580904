using System.Collections.Immutable;
using Ciem.Core.Azure.Catalog;
using Ciem.Core.Diagnostics;
using Ciem.Core.Model;

namespace Ciem.Core.Azure.Evaluation;

/// <summary>A PIM eligible role of a principal: not active, so it grants nothing until activated.</summary>
public sealed record EligibleRole(
    string AssignmentId,
    string RoleName,
    string Scope,
    string? ViaGroup,
    DateTimeOffset? StartDateTime,
    DateTimeOffset? EndDateTime,
    int OperationCount,
    bool IsAdministrator,
    string? Condition);

/// <summary>
/// A principal's Azure effective access: <see cref="Access"/> from active role assignments (the neutral model), and
/// <see cref="Eligible"/> the PIM eligible roles, listed apart, with what each would grant once activated.
/// </summary>
public sealed record AzureEffectiveAccessResult(EffectiveAccess Access, ImmutableArray<EligibleRole> Eligible);

/// <summary>
/// Expands every role assignment of a principal (direct or through its groups) against the operation catalog into
/// <see cref="PermissionGrant"/>s: permission = operation name, scope = assignment scope, sources = role, scope and group,
/// condition = the assignment's (and role entry's) ABAC condition, limited by = deny assignments that deny the operation
/// to the principal below or at the assignment scope. A grant fully covered by an unconditional deny assignment (at or
/// above the assignment scope, applying to child scopes) is dropped.
/// <para>Administrator: an active, unconditional role assignment at `/`, a management group or a subscription whose
/// role grants `Microsoft.Authorization/roleAssignments/write` (Owner, User Access Administrator, `*`, or a custom
/// equivalent), not removed by a deny assignment at that scope.</para>
/// </summary>
public static class AzureEffectiveAccess
{
    public const string RoleAssignmentsWrite = "Microsoft.Authorization/roleAssignments/write";

    public static AzureEffectiveAccessResult Compute(Identity identity, AzureEstate estate, AzureOperationCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(estate);
        ArgumentNullException.ThrowIfNull(catalog);
        var diagnostics = new DiagnosticBag();
        var groups = estate.Groups.GroupsOf(identity.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var grants = new Dictionary<(int Op, string Scope, string? Condition), (List<string> Sources, List<string> Limits)>();
        var isAdmin = false;
        var indeterminate = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        var deniedSets = new Dictionary<(DenyAssignment, AzurePlane), AzureOperationSet>();
        var adminOperation = catalog.TryGetOperation(RoleAssignmentsWrite, AzurePlane.Control, out var write) ? write.Id : -1;
        var denies = estate.DenyAssignments
            .Select(d => (Deny: d, Applies: AzureAuthorizer.TryTarget(d, identity.Id, groups, out _)))
            .Where(d => d.Applies).Select(d => d.Deny).ToList();

        foreach (var assignment in estate.RoleAssignments)
        {
            if (!Reaches(assignment.PrincipalId, identity.Id, groups, out var viaGroup)) { continue; }
            var (role, fromCatalog) = estate.ResolveRole(assignment.RoleDefinitionId);
            if (fromCatalog) { diagnostics.Add(Diagnostic.Info(DiagnosticCodes.AzureBuiltInRoleFromCatalog, FromCatalogMessage(role!, assignment))); }
            if (role is null)
            {
                diagnostics.Warning(DiagnosticCodes.AzureUnknownRoleDefinition,
                    $"role definition `{assignment.RoleDefinitionId}` of role assignment `{assignment.Id}` was not imported, so what it grants is unknown");
                indeterminate.Add($"{assignment.RoleDefinitionName ?? assignment.RoleDefinitionGuid} at {assignment.Scope}");
                continue;
            }
            var source = Source(role.RoleName, assignment.Scope, viaGroup);
            foreach (var permission in role.Permissions)
            {
                var condition = Combine(permission.Condition, assignment.Condition);
                foreach (var (set, plane) in Expand(permission, catalog))
                {
                    if (set.IsEmpty) { continue; }
                    // Each deny assignment's operations and its relation to this assignment's scope, computed once per set.
                    var removing = catalog.Empty;
                    var limiting = new List<(string Label, AzureOperationSet Denied)>();
                    foreach (var deny in denies)
                    {
                        var denied = DeniedSet(deny, plane, catalog, deniedSets).Intersect(set);
                        if (denied.IsEmpty) { continue; }
                        var label = $"deny assignment `{deny.Name}` at `{deny.Scope}`";
                        var above = estate.Hierarchy.Covers(deny.Scope, assignment.Scope);
                        var atScope = AzureScope.AreEqual(deny.Scope, assignment.Scope);
                        if (above && deny.Condition is null && !deny.DoNotApplyToChildScopes) { removing = removing.Union(denied); }
                        else if (above && (atScope || !deny.DoNotApplyToChildScopes)) { limiting.Add((label, denied)); }
                        else if (AzureScope.Contains(assignment.Scope, deny.Scope)) { limiting.Add((label, denied)); }
                    }
                    foreach (var id in set.Except(removing).Ids)
                    {
                        var key = (id, assignment.Scope, condition);
                        if (!grants.TryGetValue(key, out var entry)) { grants[key] = entry = ([], []); }
                        if (!entry.Sources.Contains(source)) { entry.Sources.Add(source); }
                        var limited = false;
                        foreach (var (label, denied) in limiting)
                        {
                            if (!denied.Contains(id)) { continue; }
                            limited = true;
                            if (!entry.Limits.Contains(label)) { entry.Limits.Add(label); }
                        }
                        if (!isAdmin && condition is null && !limited && plane == AzurePlane.Control && id == adminOperation && IsAdminScope(assignment.Scope))
                        {
                            isAdmin = true;
                        }
                    }
                }
            }
        }

        var result = grants
            .Select(g => new PermissionGrant(
                catalog.Operations[g.Key.Op].Name,
                AccessLevel(catalog.Operations[g.Key.Op]),
                g.Key.Scope,
                g.Key.Condition,
                [.. g.Value.Sources],
                [.. g.Value.Limits]))
            .OrderBy(g => g.Permission, StringComparer.OrdinalIgnoreCase).ThenBy(g => g.Scope, StringComparer.OrdinalIgnoreCase)
            .ToImmutableArray();
        var grantedCount = grants.Keys.Select(k => k.Op).Distinct().Count();
        var access = new EffectiveAccess(identity, result, grantedCount, isAdmin, [.. indeterminate], diagnostics.ToImmutable());
        return new AzureEffectiveAccessResult(access, Eligible(identity.Id, groups, estate, catalog));
    }

    private static AzureOperationSet DeniedSet(DenyAssignment deny, AzurePlane plane, AzureOperationCatalog catalog,
        Dictionary<(DenyAssignment, AzurePlane), AzureOperationSet> cache)
    {
        if (cache.TryGetValue((deny, plane), out var set)) { return set; }
        var builder = new AzureOperationSetBuilder(catalog);
        foreach (var permission in deny.Permissions)
        {
            builder.UnionWith(plane == AzurePlane.Data
                ? catalog.Expand(permission.DataActions, permission.NotDataActions, plane)
                : catalog.Expand(permission.Actions, permission.NotActions, plane));
        }
        return cache[(deny, plane)] = builder.ToSet();
    }

    /// <summary>One result per principal that has an active or eligible assignment, or a group membership (groups themselves excluded).</summary>
    public static ImmutableArray<AzureEffectiveAccessResult> ComputeAll(AzureEstate estate, AzureOperationCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(estate);
        var principals = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var a in estate.RoleAssignments) { principals.TryAdd(a.PrincipalId, a.PrincipalType); }
        foreach (var e in estate.EligibleAssignments) { principals.TryAdd(e.PrincipalId, e.PrincipalType); }
        foreach (var p in estate.Groups.Principals) { principals.TryAdd(p, null); }
        return [.. principals
            .Where(p => !string.Equals(p.Value, "Group", StringComparison.OrdinalIgnoreCase))
            .OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase)
            .Select(p => Compute(IdentityOf(p.Key, p.Value, estate), estate, catalog))];
    }

    /// <summary>A neutral identity for an Azure principal: `User` is human, `ServicePrincipal`/`MSI` are service identities.</summary>
    public static Identity IdentityOf(string principalId, string? principalType, AzureEstate estate)
    {
        ArgumentNullException.ThrowIfNull(estate);
        var name = estate.RoleAssignments.FirstOrDefault(a => string.Equals(a.PrincipalId, principalId, StringComparison.OrdinalIgnoreCase)
            && a.PrincipalName is not null)?.PrincipalName ?? principalId;
        var kind = string.Equals(principalType, "User", StringComparison.OrdinalIgnoreCase) ? IdentityKind.HumanUser
            : principalType is null ? IdentityKind.HumanUser : IdentityKind.ServiceIdentity;
        return new Identity("azure", principalId, name, kind, "", [], null, null);
    }

    /// <summary>Control and data operations one permission entry grants (its `NotActions` subtracted).</summary>
    public static IEnumerable<(AzureOperationSet Set, AzurePlane Plane)> Expand(RolePermission permission, AzureOperationCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(permission);
        ArgumentNullException.ThrowIfNull(catalog);
        yield return (catalog.Expand(permission.Actions, permission.NotActions, AzurePlane.Control), AzurePlane.Control);
        yield return (catalog.Expand(permission.DataActions, permission.NotDataActions, AzurePlane.Data), AzurePlane.Data);
    }

    /// <summary>`Read` for `…/read`, `PermissionsManagement` for writes under `Microsoft.Authorization`, else `Write`; data actions get a `Data` prefix.</summary>
    public static string AccessLevel(AzureOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var level = operation.Name.EndsWith("/read", StringComparison.OrdinalIgnoreCase) ? "Read"
            : operation.Name.StartsWith("Microsoft.Authorization/", StringComparison.OrdinalIgnoreCase) ? "PermissionsManagement"
            : "Write";
        return operation.IsDataAction ? "Data" + level : level;
    }

    /// <summary>The info diagnostic of an assignment whose built-in role definition was resolved from the shipped catalog.</summary>
    internal static string FromCatalogMessage(RoleDefinition role, RoleAssignment assignment) =>
        $"role definition `{assignment.RoleDefinitionId}` of role assignment `{assignment.Id}` was not imported; it is the built-in role `{role.RoleName}` and was resolved from the shipped catalog";

    private static ImmutableArray<EligibleRole> Eligible(string principalId, HashSet<string> groups, AzureEstate estate, AzureOperationCatalog catalog)
    {
        var result = ImmutableArray.CreateBuilder<EligibleRole>();
        foreach (var eligible in estate.EligibleAssignments)
        {
            if (!Reaches(eligible.PrincipalId, principalId, groups, out var viaGroup)) { continue; }
            var role = estate.FindRole(eligible.RoleDefinitionId);
            var count = 0;
            var admin = false;
            foreach (var permission in role?.Permissions ?? [])
            {
                foreach (var (set, plane) in Expand(permission, catalog))
                {
                    count += set.Count;
                    admin |= plane == AzurePlane.Control && IsAdminScope(eligible.Scope) && eligible.Condition is null && permission.Condition is null
                        && catalog.TryGetOperation(RoleAssignmentsWrite, AzurePlane.Control, out var write) && set.Contains(write);
                }
            }
            result.Add(new EligibleRole(eligible.Id, role?.RoleName ?? eligible.RoleDefinitionGuid, eligible.Scope, viaGroup,
                eligible.StartDateTime, eligible.EndDateTime, count, admin, eligible.Condition));
        }
        return result.ToImmutable();
    }

    /// <summary>True when an assignment to <paramref name="assignee"/> reaches the principal: directly, or through a group it names.</summary>
    private static bool Reaches(string assignee, string principalId, HashSet<string> groups, out string? viaGroup)
    {
        viaGroup = null;
        if (string.Equals(assignee, principalId, StringComparison.OrdinalIgnoreCase)) { return true; }
        if (!groups.Contains(assignee)) { return false; }
        viaGroup = assignee;
        return true;
    }

    /// <summary>The root, a management group or a subscription: where `roleAssignments/write` makes an administrator.</summary>
    public static bool IsAdminScope(string scope) =>
        AzureScope.Normalize(scope) == AzureScope.Root || AzureScope.IsManagementGroup(scope) || AzureScope.IsSubscription(scope);

    private static string? Combine(string? roleCondition, string? assignmentCondition) =>
        (string.IsNullOrWhiteSpace(roleCondition), string.IsNullOrWhiteSpace(assignmentCondition)) switch
        {
            (true, true) => null,
            (false, true) => roleCondition,
            (true, false) => assignmentCondition,
            _ => $"({roleCondition}) AND ({assignmentCondition})",
        };

    /// <summary>The provenance text of a grant: ``role `Reader` at `/subscriptions/…` `` with ``via group `ID` `` when through a group.</summary>
    public static string Source(string roleName, string scope, string? group) =>
        group is null ? $"role `{roleName}` at `{scope}`" : $"role `{roleName}` at `{scope}` via group `{group}`";
}
