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

    public AzureAuthorizer(AzureEstate estate)
    {
        ArgumentNullException.ThrowIfNull(estate);
        _estate = estate;
    }

    public AzureEstate Estate => _estate;

    public AzureEvaluationResult Evaluate(AzureRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var diagnostics = new List<Diagnostic>();
        var groups = (request.GroupIds.IsDefault ? [] : request.GroupIds)
            .Concat(_estate.Groups.GroupsOf(request.PrincipalId))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var ancestry = _estate.Hierarchy.Ancestry(request.Scope).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var context = new AbacContext(request.Operation, request.SubOperation, Attributes(request));

        var denies = new List<AzureDecidingAssignment>();
        foreach (var deny in _estate.DenyAssignments)
        {
            if (!Reaches(deny.Scope, request.Scope, ancestry, deny.DoNotApplyToChildScopes)) { continue; }
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
        foreach (var assignment in _estate.RoleAssignments)
        {
            string? via;
            if (string.Equals(assignment.PrincipalId, request.PrincipalId, StringComparison.OrdinalIgnoreCase)) { via = null; }
            else if (groups.Contains(assignment.PrincipalId)) { via = assignment.PrincipalId; }
            else { continue; }
            if (!Reaches(assignment.Scope, request.Scope, ancestry, childScopesExcluded: false)) { continue; }
            var role = _estate.FindRole(assignment.RoleDefinitionId);
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

    private static bool Reaches(string assignmentScope, string requestScope, HashSet<string> ancestry, bool childScopesExcluded)
    {
        if (childScopesExcluded) { return AzureScope.AreEqual(assignmentScope, requestScope); }
        return ancestry.Contains(AzureScope.Normalize(assignmentScope)) || AzureScope.Contains(assignmentScope, requestScope);
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
