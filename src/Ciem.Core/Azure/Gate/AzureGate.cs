using System.Collections.Immutable;
using Ciem.Core.Azure.Catalog;
using Ciem.Core.Azure.Evaluation;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gate;
using Ciem.Core.Model;

namespace Ciem.Core.Azure.Gate;

/// <summary>
/// The gate for Azure RBAC changes: builds the estate on each side of an <see cref="AzureGateChange"/> (the imported
/// estate when there is one, with the change's definitions and assignments applied; the assignments the change removes
/// are taken out of the after side), computes every touched principal's effective access on both sides with
/// <see cref="AzureEffectiveAccess"/>, and applies the gate's provider-neutral rules to what the change adds.
/// </summary>
public static class AzureGate
{
    public const string RoleDefinitionsWrite = "Microsoft.Authorization/roleDefinitions/write";
    public const string AssignIdentity = "Microsoft.ManagedIdentity/userAssignedIdentities/assign/action";

    /// <summary>Operations that run code as a managed identity assigned to them: with assign/action, a path to that identity's access.</summary>
    public static readonly ImmutableArray<string> ComputeWrites =
    [
        "Microsoft.Compute/virtualMachines/write", "Microsoft.Compute/virtualMachineScaleSets/write", "Microsoft.Web/sites/write",
        "Microsoft.ContainerInstance/containerGroups/write", "Microsoft.App/containerApps/write", "Microsoft.Logic/workflows/write",
        "Microsoft.Automation/automationAccounts/write", "Microsoft.Batch/batchAccounts/pools/write",
    ];

    public static readonly ImmutableHashSet<string> SensitiveProviders = ImmutableHashSet.Create(StringComparer.OrdinalIgnoreCase,
        "Microsoft.Authorization", "Microsoft.KeyVault", "Microsoft.ManagedIdentity", "Microsoft.Storage");

    public static CloudGateResult Evaluate(AzureGateChange change, AzureInventory? inventory, AzureOperationCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(catalog);
        if (change.IsEmpty) { return CloudGateResult.Empty; }
        var inv = inventory ?? AzureInventory.Empty;
        var imported = inv.ToEstate();
        var diags = new DiagnosticBag();
        var (beforeEstate, beforeAssignments) = Side(change.Before, change.Before, imported, removeStated: false);
        var (afterEstate, afterAssignments) = Side(change.After, change.Before, imported, removeStated: true);
        foreach (var d in change.After.Definitions.Where(d => d.Unknown is not null))
        {
            diags.Warning(DiagnosticCodes.GateUnknownPolicy, $"the permissions of role definition `{d.Definition.RoleName}` are unknown ({d.Unknown}): what it grants is indeterminate", d.Location);
        }

        var changedRoles = ChangedRoles(change);
        var principals = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        // An assignment stated the same on both sides (an unchanged resource, a no-op in a plan) touches nobody.
        var beforeAll = beforeAssignments.Select(a => a.Key).ToHashSet(StringComparer.Ordinal);
        var afterAll = afterAssignments.Select(a => a.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var a in beforeAssignments.Where(a => !afterAll.Contains(a.Key)).Concat(afterAssignments.Where(a => !beforeAll.Contains(a.Key))))
        {
            principals.TryAdd(a.Assignment.PrincipalId, a.Assignment.PrincipalType);
        }
        foreach (var a in beforeEstate.RoleAssignments.Concat(afterEstate.RoleAssignments).Where(a => changedRoles.Contains(a.RoleDefinitionGuid)))
        {
            principals.TryAdd(a.PrincipalId, a.PrincipalType);
        }

        var deltas = ImmutableArray.CreateBuilder<CloudPrincipalDelta>();
        var findings = ImmutableArray.CreateBuilder<GateFinding>();
        foreach (var (principalId, type) in principals.OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase))
        {
            var identity = AzureEffectiveAccess.IdentityOf(principalId, type, afterEstate);
            var before = AzureEffectiveAccess.Compute(identity, beforeEstate, catalog).Access;
            var after = AzureEffectiveAccess.Compute(identity, afterEstate, catalog).Access;
            diags.AddRange(after.Diagnostics);
            var delta = CloudPrincipalDelta.Create(Provider.AzureName, $"azure:{principalId}", before, after,
                inv.RoleAssignments.Any(a => string.Equals(a.PrincipalId, principalId, StringComparison.OrdinalIgnoreCase)));
            deltas.Add(delta);
            var beforeKeys = beforeAssignments.Where(a => Is(a, principalId)).Select(a => a.Key).ToHashSet(StringComparer.Ordinal);
            var added = afterAssignments.Where(a => Is(a, principalId) && !beforeKeys.Contains(a.Key)).ToList();
            findings.AddRange(Findings(delta, added, afterEstate, change, catalog));
        }
        findings.AddRange(WildcardFindings(change));
        return new CloudGateResult(deltas.ToImmutable(), findings.ToImmutable(), [.. diags.Distinct()]);
    }

    private static bool Is(GateRoleAssignment a, string principalId) => string.Equals(a.Assignment.PrincipalId, principalId, StringComparison.OrdinalIgnoreCase);

    /// <summary>Roles whose assignment is administrative access by itself.</summary>
    public static readonly ImmutableHashSet<string> AdministrativeRoleNames =
        ImmutableHashSet.Create(StringComparer.OrdinalIgnoreCase, "Owner", "Contributor", "User Access Administrator", "Role Based Access Control Administrator");

    /// <summary>
    /// The estate of one side: definitions stated by the change replace imported ones with the same GUID; the built-in
    /// roles the change's assignments name (by GUID, by any id ending in it, or by role name) fill gaps from the shipped
    /// catalog, so that a gate without an imported estate knows every built-in role.
    /// </summary>
    private static (AzureEstate Estate, ImmutableArray<GateRoleAssignment> Assignments) Side(AzureGateSide side, AzureGateSide before, AzureEstate imported, bool removeStated)
    {
        var replaced = side.Definitions.Select(d => d.Definition.Name).Concat(removeStated ? before.Definitions.Select(d => d.Definition.Name) : [])
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        // A definition whose permissions are unknown is left out: assignments of it are then indeterminate in the engine.
        var definitions = side.Definitions.Where(d => d.Unknown is null).Select(d => d.Definition)
            .Concat(imported.RoleDefinitions.Where(d => !replaced.Contains(d.Name)))
            .ToList();
        var known = definitions.Select(d => d.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var knownNames = definitions.Select(d => d.RoleName).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var a in side.Assignments.Concat(removeStated ? before.Assignments : []).Select(a => a.Assignment))
        {
            var builtIn = a.RoleDefinitionId.Length > 0 ? imported.BuiltInRoles.Find(a.RoleDefinitionId)
                : a.RoleDefinitionName is { } name && !knownNames.Contains(name) ? imported.BuiltInRoles.FindByName(name) : null;
            if (builtIn is not null && known.Add(builtIn.Name)) { definitions.Add(builtIn); }
        }
        var resolved = side.Assignments.Select(a => Resolve(a, definitions, side)).ToImmutableArray();
        var removed = removeStated ? before.Assignments.Select(a => Resolve(a, definitions, before).Key).ToHashSet(StringComparer.Ordinal) : [];
        var kept = imported.RoleAssignments.Where(a => !removed.Contains(new GateRoleAssignment(a with { RoleDefinitionName = null }, new SourceLocation()).Key));
        var estate = new AzureEstate(definitions, kept.Concat(resolved.Select(a => a.Assignment)), imported.DenyAssignments, imported.EligibleAssignments, imported.Hierarchy, imported.Groups);
        return (estate, resolved);
    }

    /// <summary>An assignment by role name gets the role's id; one whose role is nowhere stays as named (the engine reports it indeterminate).</summary>
    private static GateRoleAssignment Resolve(GateRoleAssignment a, List<RoleDefinition> definitions, AzureGateSide side)
    {
        var assignment = a.Assignment;
        if (assignment.RoleDefinitionId.Length == 0 && assignment.RoleDefinitionName is { } name)
        {
            var role = definitions.FirstOrDefault(d => string.Equals(d.RoleName, name, StringComparison.OrdinalIgnoreCase))
                ?? side.Definitions.Select(d => d.Definition).FirstOrDefault(d => string.Equals(d.RoleName, name, StringComparison.OrdinalIgnoreCase));
            assignment = assignment with { RoleDefinitionId = role?.Id ?? name.Replace('/', '_') };
        }
        return a with { Assignment = assignment with { RoleDefinitionName = null } };
    }

    /// <summary>GUIDs of the role definitions whose content the change alters (added, removed or edited).</summary>
    private static HashSet<string> ChangedRoles(AzureGateChange change)
    {
        static string Content(GateRoleDefinition d) => d.Unknown ?? string.Join(';', d.Definition.Permissions.Select(p =>
            $"{string.Join(',', p.Actions)}|{string.Join(',', p.NotActions)}|{string.Join(',', p.DataActions)}|{string.Join(',', p.NotDataActions)}"));
        var before = change.Before.Definitions.ToDictionary(d => d.Definition.Name, Content, StringComparer.OrdinalIgnoreCase);
        var after = change.After.Definitions.ToDictionary(d => d.Definition.Name, Content, StringComparer.OrdinalIgnoreCase);
        return [.. before.Keys.Union(after.Keys, StringComparer.OrdinalIgnoreCase)
            .Where(k => !before.TryGetValue(k, out var b) || !after.TryGetValue(k, out var a) || b != a)];
    }

    private static IEnumerable<GateFinding> Findings(CloudPrincipalDelta delta, List<GateRoleAssignment> added, AzureEstate estate, AzureGateChange change, AzureOperationCatalog catalog)
    {
        var id = delta.Id;
        var at = added.FirstOrDefault()?.Location ?? change.After.Definitions.Concat(change.Before.Definitions).FirstOrDefault()?.Location;
        var indeterminate = !delta.After.Indeterminate.IsEmpty;
        GateFinding Finding(string rule, string message, IEnumerable<string> evidence, SourceLocation? location, bool onPermissions = true) =>
            new(rule, GateRules.Find(rule).DefaultSeverity, id, message, [.. evidence], location ?? at, onPermissions && indeterminate);

        var adminGrants = added.Select(a => (Assignment: a, Role: estate.FindRole(a.Assignment.RoleDefinitionId)))
            .Where(x => x.Role is { } r && (AdministrativeRoleNames.Contains(r.RoleName) || r.Permissions.Any(p => p.Actions.Any(IsFullWildcard))))
            .ToList();
        if (delta.BecameAdministrator || adminGrants.Count > 0)
        {
            var evidence = adminGrants.Select(x => $"role `{x.Role!.RoleName}` at `{x.Assignment.Assignment.Scope}`{(x.Assignment.Assignment.Condition is { } c ? $" if {c}" : "")}")
                .Concat(delta.BecameAdministrator ? delta.After.Grants.Where(g => g.Permission.Equals(AzureEffectiveAccess.RoleAssignmentsWrite, StringComparison.OrdinalIgnoreCase) && g.Condition is null).SelectMany(g => g.Sources) : [])
                .Distinct(StringComparer.Ordinal).ToList();
            var conditional = !delta.BecameAdministrator && adminGrants.All(x => x.Assignment.Assignment.Condition is not null);
            var f = Finding(GateRules.NewAdmin, $"`{id}` becomes administrative{(conditional ? " under a condition" : "")}: {string.Join(", ", evidence.Take(3))}", evidence, adminGrants.FirstOrDefault().Assignment?.Location);
            yield return conditional ? f with { Severity = FindingSeverity.High } : f;
        }
        var paths = new List<string>();
        foreach (var op in new[] { AzureEffectiveAccess.RoleAssignmentsWrite, RoleDefinitionsWrite })
        {
            if (delta.NewPermissions.Contains(op)) { paths.Add(op); }
        }
        var computeAfter = ComputeWrites.Where(c => Has(delta.After, c)).ToList();
        if (Has(delta.After, AssignIdentity) && computeAfter.Count > 0 && !(Has(delta.Before, AssignIdentity) && ComputeWrites.Any(c => Has(delta.Before, c))))
        {
            paths.Add($"{AssignIdentity} with {computeAfter[0]}");
        }
        if (paths.Count > 0)
        {
            yield return Finding(GateRules.NewEscalation, $"`{id}` gains {paths.Count} privilege-escalation path(s): {string.Join(", ", paths)}",
                paths.Select(p => $"{p} via {Sources(delta.After, p)}"), null);
        }
        foreach (var a in added.Where(a => IsBroad(a.Assignment.Scope)))
        {
            var role = estate.FindRole(a.Assignment.RoleDefinitionId)?.RoleName ?? a.Assignment.RoleDefinitionGuid;
            yield return Finding(GateRules.BroadScope, $"`{id}` is assigned `{role}` at {ScopeKind(a.Assignment.Scope)} `{a.Assignment.Scope}`", [$"{a.Assignment.Id}"], a.Location, onPermissions: false);
        }
        foreach (var a in added.Where(a => a.DelegatedIdentity is not null))
        {
            yield return Finding(GateRules.NewCrossAccountTrust, $"the assignment `{a.Assignment.Id}` to `{id}` is delegated to a managed identity of another tenant (`{a.DelegatedIdentity}`)", [$"{a.Assignment.Id}"], a.Location, onPermissions: false);
        }
        var unknownScopes = added.Where(a => a.ScopeUnknown).ToList();
        var newIndeterminate = delta.After.Indeterminate.Except(delta.Before.Indeterminate, StringComparer.OrdinalIgnoreCase).ToList();
        if (newIndeterminate.Count > 0 || unknownScopes.Count > 0)
        {
            var evidence = newIndeterminate.Select(i => $"unknown role: {i}").Concat(unknownScopes.Select(a => $"scope `{a.Assignment.Scope}` of `{a.Assignment.Id}` is known only after apply")).ToList();
            yield return Finding(GateRules.IndeterminateChange, $"{evidence.Count} grant(s) of `{id}` depend on content known only after apply", evidence, unknownScopes.FirstOrDefault()?.Location) with { Indeterminate = true };
        }
    }

    /// <summary>Role definitions whose actions newly include `*` or a wildcard on a sensitive provider.</summary>
    private static IEnumerable<GateFinding> WildcardFindings(AzureGateChange change)
    {
        foreach (var d in change.After.Definitions)
        {
            var before = change.Before.Definitions.FirstOrDefault(b => string.Equals(b.Definition.Name, d.Definition.Name, StringComparison.OrdinalIgnoreCase));
            var had = before?.Definition.Permissions.SelectMany(p => p.Actions.Concat(p.DataActions)).ToHashSet(StringComparer.OrdinalIgnoreCase) ?? [];
            var wild = d.Definition.Permissions.SelectMany(p => p.Actions.Concat(p.DataActions)).Where(IsSensitiveWildcard).Where(p => !had.Contains(p)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (wild.Count == 0) { continue; }
            yield return new GateFinding(GateRules.SensitiveWildcard, GateRules.Find(GateRules.SensitiveWildcard).DefaultSeverity, $"azure:role-definition/{d.Definition.RoleName}",
                $"role definition `{d.Definition.RoleName}` allows {string.Join(", ", wild.Select(w => $"`{w}`"))}", [.. wild.Select(w => $"{d.Definition.RoleName}: {w}")], d.Location);
        }
    }

    public static bool IsSensitiveWildcard(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var p = pattern.Trim();
        // Reading is not what makes a wildcard dangerous (`*/read`, `Microsoft.Authorization/*/read`).
        if (!p.Contains('*', StringComparison.Ordinal) || p.EndsWith("/read", StringComparison.OrdinalIgnoreCase)) { return false; }
        var provider = p.Split('/')[0];
        return provider.Contains('*', StringComparison.Ordinal) || SensitiveProviders.Contains(provider);
    }

    private static bool IsFullWildcard(string pattern) => pattern.Trim() == "*";

    private static bool Has(EffectiveAccess access, string permission) =>
        access.Grants.Any(g => g.Condition is null && g.Permission.Equals(permission, StringComparison.OrdinalIgnoreCase));

    private static string Sources(EffectiveAccess access, string path)
    {
        var op = path.Split(' ')[0];
        return string.Join(", ", access.Grants.Where(g => g.Permission.Equals(op, StringComparison.OrdinalIgnoreCase)).SelectMany(g => g.Sources).Distinct(StringComparer.Ordinal).Take(3));
    }

    public static bool IsBroad(string scope) =>
        AzureScope.Normalize(scope) == AzureScope.Root || AzureScope.IsManagementGroup(scope) || AzureScope.IsSubscription(scope);

    private static string ScopeKind(string scope) =>
        AzureScope.Normalize(scope) == AzureScope.Root ? "the root scope" : AzureScope.IsManagementGroup(scope) ? "management group" : "subscription";
}
