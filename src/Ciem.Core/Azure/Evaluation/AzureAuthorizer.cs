using System.Collections.Immutable;
using Ciem.Core.Azure.Catalog;
using Ciem.Core.Azure.Conditions;
using Ciem.Core.Diagnostics;
using Ciem.Core.Model;

namespace Ciem.Core.Azure.Evaluation;

/// <summary>
/// Decides one Azure RBAC request the way Azure Resource Manager does (docs: "How Azure RBAC determines if a user has
/// access to a resource"):
/// <list type="number">
/// <item>Deny assignments first: one that names the principal (directly, through a group, or everyone), does not
/// exclude it (directly or through a group), reaches the scope (at it, or above it unless
/// `doNotApplyToChildScopes`), and whose permissions match the operation gives <see cref="Decision.ExplicitDeny"/>.</item>
/// <item>Then role assignments of the principal and its groups at the scope or above it (resource → resource group →
/// subscription → management groups → `/`): one whose role has a permission entry matching the operation grants.
/// `NotActions` subtract from `Actions` of the same entry only: another entry or another role can still grant what one
/// entry's `NotActions` leaves out. `Actions` match control-plane operations, `DataActions` data operations, never
/// crossed.</item>
/// <item>ABAC conditions (on the assignment, and on the role's permission entry) must hold for the grant. A condition
/// that cannot be evaluated makes the grant (or the deny) conditional: the decision becomes
/// <see cref="Decision.Indeterminate"/> unless something unconditional decides.</item>
/// </list>
/// Never throws on RBAC content: unknown roles and unparsable conditions become diagnostics.
/// </summary>
public sealed class AzureAuthorizer
{
    private readonly AzureEstate _estate;
    private readonly Dictionary<string, AbacParseResult> _parsed = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<int>> _assignmentsByPrincipal = new(StringComparer.OrdinalIgnoreCase);
    private readonly string[] _assignmentScopes;
    private readonly RoleDefinition?[] _assignmentRoles;
    private readonly bool[] _assignmentRolesFromCatalog;
    private readonly string[] _denyScopes;
    private readonly AzureOperationCatalog _catalog;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(RolePermission, AzurePlane), AzureOperationSet> _granted = new();

    /// <summary>
    /// An authorizer over <paramref name="estate"/>. The <paramref name="catalog"/> (default: the shipped one) only
    /// speeds matching up: operations it lists are tested against each permission entry's precomputed operation set;
    /// others are matched pattern by pattern, with the same result.
    /// </summary>
    public AzureAuthorizer(AzureEstate estate, AzureOperationCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(estate);
        _estate = estate;
        _catalog = catalog ?? AzureOperationCatalog.Default;
        var resolved = estate.RoleAssignments.Select(a => estate.ResolveRole(a.RoleDefinitionId)).ToList();
        _assignmentRoles = [.. resolved.Select(r => r.Role)];
        _assignmentRolesFromCatalog = [.. resolved.Select(r => r.FromCatalog)];
        _assignmentScopes = [.. estate.RoleAssignments.Select(a => AzureScope.Normalize(a.Scope))];
        _denyScopes = [.. estate.DenyAssignments.Select(d => AzureScope.Normalize(d.Scope))];
        for (var i = 0; i < estate.RoleAssignments.Length; i++)
        {
            var principal = estate.RoleAssignments[i].PrincipalId;
            if (!_assignmentsByPrincipal.TryGetValue(principal, out var list)) { _assignmentsByPrincipal[principal] = list = []; }
            list.Add(i);
        }
    }

    public AzureEstate Estate => _estate;

    public AzureEvaluationResult Evaluate(AzureRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var diagnostics = new List<Diagnostic>();
        var groups = (request.GroupIds.IsDefault ? [] : request.GroupIds)
            .Concat(_estate.Groups.GroupsOf(request.PrincipalId))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var requestScope = AzureScope.Normalize(request.Scope);
        var ancestry = _estate.Hierarchy.Ancestry(requestScope).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var context = new AbacContext(request.Operation, request.SubOperation, Attributes(request));
        var known = _catalog.TryGetOperation(request.Operation, request.Plane, out var operation) ? operation : null;

        var denies = new List<AzureDecidingAssignment>();
        for (var d = 0; d < _estate.DenyAssignments.Length; d++)
        {
            var deny = _estate.DenyAssignments[d];
            if (!Reaches(_denyScopes[d], requestScope, ancestry, deny.DoNotApplyToChildScopes)) { continue; }
            if (!TryTarget(deny, request.PrincipalId, groups, out var denyVia)) { continue; }
            foreach (var permission in deny.Permissions)
            {
                if (Match(permission, request.Operation, request.Plane) is not { } pattern) { continue; }
                var condition = Condition(deny.Condition, deny.ConditionVersion, context, $"deny assignment `{deny.Name}`", diagnostics);
                if (condition == ConditionResult.False) { continue; }
                denies.Add(new(AzureAssignmentKind.DenyAssignment, deny.Id, deny.Name, deny.Scope, pattern, denyVia, condition));
                break;
            }
        }
        var certainDenies = denies.Where(d => d.Condition == ConditionResult.True).ToImmutableArray();
        if (!certainDenies.IsEmpty) { return new(Decision.ExplicitDeny, certainDenies, [.. diagnostics]); }

        var grants = new List<AzureDecidingAssignment>();
        foreach (var index in Candidates(request.PrincipalId, groups))
        {
            var assignment = _estate.RoleAssignments[index];
            var via = string.Equals(assignment.PrincipalId, request.PrincipalId, StringComparison.OrdinalIgnoreCase) ? null : assignment.PrincipalId;
            if (!Reaches(_assignmentScopes[index], requestScope, ancestry, childScopesExcluded: false)) { continue; }
            var role = _assignmentRoles[index];
            if (_assignmentRolesFromCatalog[index])
            {
                diagnostics.Add(Diagnostic.Info(DiagnosticCodes.AzureBuiltInRoleFromCatalog, AzureEffectiveAccess.FromCatalogMessage(role!, assignment)));
            }
            if (role is null)
            {
                diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.AzureUnknownRoleDefinition,
                    $"role definition `{assignment.RoleDefinitionId}` of role assignment `{assignment.Id}` was not imported, so what it grants is unknown"));
                grants.Add(new(AzureAssignmentKind.RoleAssignment, assignment.Id, assignment.RoleDefinitionName ?? assignment.RoleDefinitionGuid,
                    assignment.Scope, "", via, ConditionResult.Unknown));
                continue;
            }
            foreach (var permission in role.Permissions)
            {
                if (known is not null && !Granted(permission, request.Plane).Contains(known.Id)) { continue; }
                if (Match(permission, request.Operation, request.Plane) is not { } pattern) { continue; }
                var roleCondition = Condition(permission.Condition, permission.ConditionVersion, context, $"role `{role.RoleName}`", diagnostics);
                var assignmentCondition = Condition(assignment.Condition, assignment.ConditionVersion, context, $"role assignment `{assignment.Id}`", diagnostics);
                var condition = And(roleCondition, assignmentCondition);
                if (condition == ConditionResult.False) { continue; }
                grants.Add(new(AzureAssignmentKind.RoleAssignment, assignment.Id, role.RoleName, assignment.Scope, pattern, via, condition));
                if (condition == ConditionResult.True) { break; }
            }
        }
        var certainGrants = grants.Where(g => g.Condition == ConditionResult.True).ToImmutableArray();
        var uncertainDenies = denies.Where(d => d.Condition == ConditionResult.Unknown).ToImmutableArray();
        if (!certainGrants.IsEmpty)
        {
            return uncertainDenies.IsEmpty
                ? new(Decision.Allow, certainGrants, [.. diagnostics])
                : new(Decision.Indeterminate, [.. uncertainDenies, .. certainGrants], [.. diagnostics]);
        }
        var uncertainGrants = grants.Where(g => g.Condition == ConditionResult.Unknown).ToImmutableArray();
        return uncertainGrants.IsEmpty
            ? new(Decision.ImplicitDeny, [], [.. diagnostics])
            : new(Decision.Indeterminate, uncertainGrants, [.. diagnostics]);
    }

    private AzureOperationSet Granted(RolePermission permission, AzurePlane plane) =>
        _granted.GetOrAdd((permission, plane), key => key.Item2 == AzurePlane.Data
            ? _catalog.Expand(key.Item1.DataActions, key.Item1.NotDataActions, AzurePlane.Data)
            : _catalog.Expand(key.Item1.Actions, key.Item1.NotActions, AzurePlane.Control));

    /// <summary>Indexes of the role assignments of the principal and its groups, in estate order.</summary>
    private List<int> Candidates(string principalId, HashSet<string> groups)
    {
        var result = new List<int>();
        if (_assignmentsByPrincipal.TryGetValue(principalId, out var direct)) { result.AddRange(direct); }
        foreach (var group in groups)
        {
            if (_assignmentsByPrincipal.TryGetValue(group, out var viaGroup)) { result.AddRange(viaGroup); }
        }
        result.Sort();
        return result;
    }

    /// <summary>
    /// The first `Actions` (or `DataActions`) pattern of <paramref name="permission"/> that matches the operation, or
    /// null when none does or a `NotActions` (`NotDataActions`) pattern of the same entry excludes it.
    /// </summary>
    public static string? Match(RolePermission permission, string operation, AzurePlane plane)
    {
        ArgumentNullException.ThrowIfNull(permission);
        var (allowed, excluded) = plane == AzurePlane.Data
            ? (permission.DataActions, permission.NotDataActions)
            : (permission.Actions, permission.NotActions);
        string? matched = null;
        foreach (var pattern in allowed)
        {
            if (OperationPattern.IsMatch(pattern, operation)) { matched = pattern; break; }
        }
        if (matched is null) { return null; }
        foreach (var pattern in excluded)
        {
            if (OperationPattern.IsMatch(pattern, operation)) { return null; }
        }
        return matched;
    }

    /// <summary>Both scopes are normalized: equal, or the ancestry (path and management groups) holds the assignment scope.</summary>
    private static bool Reaches(string assignmentScope, string requestScope, HashSet<string> ancestry, bool childScopesExcluded)
    {
        if (childScopesExcluded) { return string.Equals(assignmentScope, requestScope, StringComparison.OrdinalIgnoreCase); }
        return ancestry.Contains(assignmentScope)
            || (requestScope.StartsWith(assignmentScope, StringComparison.OrdinalIgnoreCase)
                && (requestScope.Length == assignmentScope.Length || requestScope[assignmentScope.Length] == '/'));
    }

    /// <summary>True when the deny assignment names the principal (directly, through a group, or everyone) and does not exclude it.</summary>
    internal static bool TryTarget(DenyAssignment deny, string principalId, IReadOnlySet<string> groups, out string? via)
    {
        via = null;
        bool Is(DenyPrincipal p) => string.Equals(p.Id, principalId, StringComparison.OrdinalIgnoreCase) || groups.Contains(p.Id);
        if (deny.ExcludePrincipals.Any(Is)) { return false; }
        foreach (var principal in deny.Principals)
        {
            if (!principal.IsEveryone && !Is(principal)) { continue; }
            via = principal.IsEveryone || string.Equals(principal.Id, principalId, StringComparison.OrdinalIgnoreCase) ? null : principal.Id;
            return true;
        }
        return false;
    }

    private ConditionResult Condition(string? condition, string? version, AbacContext context, string owner, List<Diagnostic> diagnostics)
    {
        if (string.IsNullOrWhiteSpace(condition)) { return ConditionResult.True; }
        if (version is not null && version != "2.0" && version != "1.0")
        {
            diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.AzureConditionUnsupportedVersion,
                $"condition version `{version}` of {owner} is not supported; the grant is conditional"));
            return ConditionResult.Unknown;
        }
        AbacParseResult parsed;
        lock (_gate)
        {
            if (!_parsed.TryGetValue(condition, out parsed!))
            {
                parsed = AbacParser.Parse(condition);
                _parsed[condition] = parsed;
            }
        }
        if (parsed.Expression is null)
        {
            diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.AzureConditionSyntax,
                $"condition of {owner} does not parse at offset {parsed.ErrorOffset}: {parsed.Error}"));
            return ConditionResult.Unknown;
        }
        var outcome = AbacEvaluator.Evaluate(parsed.Expression, context);
        foreach (var reason in outcome.Reasons)
        {
            var code = reason.StartsWith("unsupported", StringComparison.Ordinal)
                ? DiagnosticCodes.AzureConditionUnsupportedOperator
                : DiagnosticCodes.AzureConditionMissingAttribute;
            diagnostics.Add(Diagnostic.Info(code, $"condition of {owner} is unknown: {reason}"));
        }
        return outcome.Result;
    }

    private static ConditionResult And(ConditionResult a, ConditionResult b) =>
        a == ConditionResult.False || b == ConditionResult.False ? ConditionResult.False
        : a == ConditionResult.Unknown || b == ConditionResult.Unknown ? ConditionResult.Unknown
        : ConditionResult.True;

    /// <summary>The request's attributes, plus `@Resource[{namespace}/{type}[/{type}…]:name]` derived from the scope path.</summary>
    private static Dictionary<string, ImmutableArray<string>> Attributes(AzureRequest request)
    {
        var result = new Dictionary<string, ImmutableArray<string>>(StringComparer.OrdinalIgnoreCase);
        var parts = AzureScope.Normalize(request.Scope).Split('/', StringSplitOptions.RemoveEmptyEntries);
        var providers = Array.FindLastIndex(parts, p => p.Equals("providers", StringComparison.OrdinalIgnoreCase));
        if (providers >= 0 && providers + 1 < parts.Length)
        {
            var type = parts[providers + 1];
            for (var i = providers + 2; i + 1 < parts.Length; i += 2)
            {
                type += "/" + parts[i];
                result[$"@Resource[{type}:name]"] = [parts[i + 1]];
            }
        }
        if (request.Attributes is not null)
        {
            foreach (var (key, values) in request.Attributes) { result[key] = values; }
        }
        return result;
    }
}
