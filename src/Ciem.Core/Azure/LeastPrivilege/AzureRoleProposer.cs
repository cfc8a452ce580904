using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ciem.Core.LeastPrivilege;
using Ciem.Core.Text;
using Ciem.Core.Azure.Catalog;
using Ciem.Core.Azure.Evaluation;
using Ciem.Core.Azure.Usage;
using Ciem.Core.Model;

namespace Ciem.Core.Azure.LeastPrivilege;

/// <summary>An operation the principal was seen performing on a resource (or scope) id, and how many times.</summary>
public sealed record AzureObservedOperation(string Operation, string ResourceId, long Count, AzurePlane Plane = AzurePlane.Control);

/// <summary>
/// Why an operation is in the proposed role: its calls and the resources it was seen on, and the reason it is kept —
/// used in the window, seasonal (used only in the lookback), an exception, or unknown (not recorded by the logs).
/// </summary>
public sealed record AzureOperationEvidence(string Operation, AzurePlane Plane, long Count, ImmutableArray<string> Resources, KeepReason Reason = KeepReason.Used);

/// <summary>
/// What a proposal takes beyond the window's usage (all optional, so callers of the first API keep working):
/// <see cref="Lookback"/> usage before the window (seasonal operations are kept, marked); <see cref="KeepOperations"/>
/// exceptions kept when granted (`ciem propose --keep`, as for AWS); <see cref="Recording"/> which granted operations
/// the logs cannot show used — kept, marked <see cref="KeepReason.NotRecorded"/>, for the resource providers the
/// principal was seen using, unless <see cref="DropUnknown"/>; and the window and the days with logged usage in it,
/// for the confidence. Calling the proposer without options proposes exactly the observed operations.
/// </summary>
public sealed record AzureProposalOptions
{
    public IReadOnlyList<AzureObservedOperation> Lookback { get; init; } = [];

    public ImmutableHashSet<string> KeepOperations { get; init; } = ImmutableHashSet.Create<string>(StringComparer.OrdinalIgnoreCase);

    public AzureUsageRecording Recording { get; init; } = AzureUsageRecording.ActivityLogOnly;

    public bool DropUnknown { get; init; }

    public int WindowDays { get; init; } = 90;

    /// <summary>Days of the window with logged usage of the provider; null counts the whole window as covered.</summary>
    public int? ObservedDays { get; init; }
}

/// <summary>
/// A custom role holding exactly the used operations, assigned at <see cref="Scope"/>: the role as
/// `az role definition create --role-definition` reads it, Terraform, evidence, and distinct operations granted before → after.
/// </summary>
public sealed record AzureRoleProposal(
    string PrincipalId,
    RoleDefinition Role,
    RoleAssignment Assignment,
    string Scope,
    string RoleDefinitionJson,
    string Terraform,
    ImmutableArray<AzureOperationEvidence> Evidence,
    int GrantedBefore,
    int GrantedAfter,
    ProposalConfidence? Confidence = null)
{
    /// <summary>The operations granted before and not after (what `ciem reductions` follows once delivered), ordinal-ignore-case order.</summary>
    public ImmutableArray<string> Removed { get; init; } = [];
}

/// <summary>
/// The proposal, or null when it was not emitted; <see cref="Failures"/> says why (an observed operation the proposal
/// would not allow when replayed, or no usable scope).
/// </summary>
public sealed record AzureRoleProposalResult(AzureRoleProposal? Proposal, ImmutableArray<string> Failures)
{
    public bool IsEmitted => Proposal is not null;
}

/// <summary>
/// Proposes, for one principal, a custom role with the operations observed in the window and, with
/// <see cref="AzureProposalOptions"/>, the seasonal ones (seen only in the lookback), the configured exceptions and the
/// granted operations the logs cannot show used (unknown) for the resource providers it used — each marked — assigned
/// at the narrowest common scope of the observed resource ids (a resource, its resource group, or the subscription).
/// Verification replays every observed operation (window and lookback) on its resource through
/// <see cref="AzureAuthorizer"/> with the principal's own and group role assignments replaced by the proposed one (deny
/// assignments kept): any operation not allowed means no proposal. Kept operations are always granted already, so the
/// proposal never grants more than before.
/// </summary>
public static class AzureRoleProposer
{
    public static AzureRoleProposalResult Propose(AzureEstate estate, string principalId, IEnumerable<AzureObservedOperation> used, DateTimeOffset asOf, AzureOperationCatalog? catalog = null,
        AzureProposalOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(estate);
        ArgumentNullException.ThrowIfNull(principalId);
        ArgumentNullException.ThrowIfNull(used);
        catalog ??= AzureOperationCatalog.Default;
        // Without options, exactly the operations observed, as before options existed.
        options ??= new AzureProposalOptions { DropUnknown = true };
        var window = used.Where(u => u.Count > 0).ToList();
        var windowKeys = window.Select(o => (o.Operation.ToUpperInvariant(), o.Plane)).ToHashSet();
        var seasonal = options.Lookback.Where(u => u.Count > 0 && !windowKeys.Contains((u.Operation.ToUpperInvariant(), u.Plane))).ToList();
        var observed = window.Concat(seasonal).ToList();
        if (observed.Count == 0) { return new(null, [$"no observed operation for principal `{principalId}`"]); }

        var kept = Evidence(window, KeepReason.Used).Concat(Evidence(seasonal, KeepReason.Seasonal)).ToList();
        var keys = kept.Select(e => (e.Operation.ToUpperInvariant(), e.Plane)).ToHashSet();
        var usedProviders = observed.Select(o => AzureUsageRecording.ProviderOf(o.Operation)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var grants = AzureEffectiveAccess.Compute(AzureEffectiveAccess.IdentityOf(principalId, null, estate), estate, catalog).Access.Grants
            .Select(g => (Operation: g.Permission, Plane: g.AccessLevel.StartsWith("Data", StringComparison.Ordinal) ? AzurePlane.Data : AzurePlane.Control))
            .Distinct().OrderBy(g => g.Plane).ThenBy(g => g.Operation, StringComparer.OrdinalIgnoreCase).ToList();
        foreach (var (operation, plane) in grants)
        {
            if (keys.Contains((operation.ToUpperInvariant(), plane))) { continue; }
            KeepReason? reason = options.KeepOperations.Contains(operation) ? KeepReason.Exception
                : !options.DropUnknown && usedProviders.Contains(AzureUsageRecording.ProviderOf(operation)) && !options.Recording.Recording(operation, plane == AzurePlane.Data).Recorded ? KeepReason.NotRecorded
                : null;
            if (reason is { } r && keys.Add((operation.ToUpperInvariant(), plane))) { kept.Add(new AzureOperationEvidence(operation, plane, 0, [], r)); }
        }
        var evidence = kept.OrderBy(e => e.Plane).ThenBy(e => e.Operation, StringComparer.OrdinalIgnoreCase).ToImmutableArray();
        if (NarrowestScope(observed.Select(o => o.ResourceId)) is not { } scope)
        {
            return new(null, [$"observed resources of principal `{principalId}` share no subscription, so no single assignable scope covers them"]);
        }

        var actions = evidence.Where(e => e.Plane == AzurePlane.Control).Select(e => e.Operation).ToImmutableArray();
        var dataActions = evidence.Where(e => e.Plane == AzurePlane.Data).Select(e => e.Operation).ToImmutableArray();
        var guid = StableGuid(principalId + "|" + scope + "|" + string.Join(",", evidence.Select(e => e.Operation)));
        var roleName = $"ciem-least-privilege-{principalId}";
        var description = string.Create(CultureInfo.InvariantCulture,
            $"operations used by {principalId} up to {asOf:yyyy-MM-dd}, proposed by OpenCIEM");
        var roleId = $"{scope}/providers/Microsoft.Authorization/roleDefinitions/{guid}";
        var role = new RoleDefinition(roleId, guid, roleName, "CustomRole", description,
            [new RolePermission(actions, [], dataActions, [])], [scope]);
        var assignment = new RoleAssignment($"{scope}/providers/Microsoft.Authorization/roleAssignments/{StableGuid("assignment|" + guid)}",
            scope, roleId, principalId, null, RoleDefinitionName: roleName);

        var replaced = Replace(estate, principalId, role, assignment);
        var authorizer = new AzureAuthorizer(replaced, catalog);
        var failures = new List<string>();
        foreach (var o in observed)
        {
            var result = authorizer.Evaluate(new AzureRequest(principalId, o.Operation, o.ResourceId, o.Plane));
            if (!result.IsAllowed)
            {
                failures.Add($"observed operation `{o.Operation}` on `{o.ResourceId}` is {result.Decision} with the proposed role in place");
            }
        }
        if (failures.Count > 0) { return new(null, [.. failures]); }

        var before = Granted(estate, principalId, catalog);
        var after = Granted(replaced, principalId, catalog);
        var removed = before.Except(after, StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase).ToImmutableArray();
        var calls = window.Sum(o => o.Count);
        var days = options.ObservedDays ?? options.WindowDays;
        var confidence = ProposalConfidence.Compute(options.WindowDays, days, calls, evidence.Count(e => e.Reason == KeepReason.NotRecorded), evidence.Length);
        return new(new AzureRoleProposal(principalId, role, assignment, scope, RoleDefinitionJson(role), Terraform(role, assignment), evidence, before.Count, after.Count, confidence)
        {
            Removed = removed,
        }, []);
    }

    private static IEnumerable<AzureOperationEvidence> Evidence(IEnumerable<AzureObservedOperation> observed, KeepReason reason) => observed
        .GroupBy(o => (Operation: o.Operation.ToUpperInvariant(), o.Plane))
        .Select(g => new AzureOperationEvidence(g.First().Operation, g.Key.Plane, g.Sum(o => o.Count),
            [.. g.Select(o => AzureScope.Normalize(o.ResourceId)).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase)], reason));

    /// <summary>
    /// The longest scope every id lies at or below, among a subscription, a resource group and a resource; null when the
    /// ids do not share a subscription.
    /// </summary>
    public static string? NarrowestScope(IEnumerable<string> resourceIds)
    {
        ArgumentNullException.ThrowIfNull(resourceIds);
        HashSet<string>? common = null;
        foreach (var id in resourceIds)
        {
            var ancestry = AzureScope.PathAncestry(id).Where(s => AzureScope.SubscriptionId(s) is not null);
            if (common is null) { common = new(ancestry, StringComparer.OrdinalIgnoreCase); }
            else { common.IntersectWith(ancestry); }
        }
        return common is null || common.Count == 0 ? null : common.MaxBy(s => s.Length);
    }

    /// <summary>The role in the shape `az role definition create --role-definition` accepts.</summary>
    public static string RoleDefinitionJson(RoleDefinition role)
    {
        ArgumentNullException.ThrowIfNull(role);
        var permission = role.Permissions.IsEmpty ? RolePermission.None : role.Permissions[0];
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("Name", role.RoleName);
            json.WriteBoolean("IsCustom", true);
            json.WriteString("Description", role.Description);
            Array(json, "Actions", permission.Actions);
            Array(json, "NotActions", permission.NotActions);
            Array(json, "DataActions", permission.DataActions);
            Array(json, "NotDataActions", permission.NotDataActions);
            Array(json, "AssignableScopes", role.AssignableScopes);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>`azurerm_role_definition` and `azurerm_role_assignment` for the proposal.</summary>
    public static string Terraform(RoleDefinition role, RoleAssignment assignment)
    {
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(assignment);
        var permission = role.Permissions.IsEmpty ? RolePermission.None : role.Permissions[0];
        var label = "ciem_" + HclText.Identifier(assignment.PrincipalId, 'p');
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"resource \"azurerm_role_definition\" \"{label}\" {{\n");
        text.Append(CultureInfo.InvariantCulture, $"  role_definition_id = {Quote(role.Name)}\n");
        text.Append(CultureInfo.InvariantCulture, $"  name               = {Quote(role.RoleName)}\n");
        text.Append(CultureInfo.InvariantCulture, $"  scope              = {Quote(assignment.Scope)}\n");
        text.Append(CultureInfo.InvariantCulture, $"  description        = {Quote(role.Description ?? "")}\n\n");
        text.Append("  permissions {\n");
        text.Append(CultureInfo.InvariantCulture, $"    actions          = {List(permission.Actions)}\n");
        text.Append(CultureInfo.InvariantCulture, $"    not_actions      = {List(permission.NotActions)}\n");
        text.Append(CultureInfo.InvariantCulture, $"    data_actions     = {List(permission.DataActions)}\n");
        text.Append(CultureInfo.InvariantCulture, $"    not_data_actions = {List(permission.NotDataActions)}\n");
        text.Append("  }\n\n");
        text.Append(CultureInfo.InvariantCulture, $"  assignable_scopes = {List(role.AssignableScopes)}\n}}\n\n");
        text.Append(CultureInfo.InvariantCulture, $"resource \"azurerm_role_assignment\" \"{label}\" {{\n");
        text.Append(CultureInfo.InvariantCulture, $"  scope              = {Quote(assignment.Scope)}\n");
        text.Append(CultureInfo.InvariantCulture, $"  role_definition_id = azurerm_role_definition.{label}.role_definition_resource_id\n");
        text.Append(CultureInfo.InvariantCulture, $"  principal_id       = {Quote(assignment.PrincipalId)}\n}}\n");
        return text.ToString();
    }

    private static AzureEstate Replace(AzureEstate estate, string principalId, RoleDefinition role, RoleAssignment assignment)
    {
        var groups = estate.Groups.GroupsOf(principalId).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var memberships = estate.Groups.Principals
            .Where(p => !string.Equals(p, principalId, StringComparison.OrdinalIgnoreCase))
            .Select(p => KeyValuePair.Create(p, estate.Groups.GroupsOf(p)));
        // Group assignments stay for the other members; the principal simply stops being a member for the replay.
        return new AzureEstate([.. estate.RoleDefinitions, role],
            [.. estate.RoleAssignments.Where(a => !string.Equals(a.PrincipalId, principalId, StringComparison.OrdinalIgnoreCase)), assignment],
            estate.DenyAssignments, estate.EligibleAssignments, estate.Hierarchy, groups.Count == 0 ? estate.Groups : new GroupMemberships(memberships));
    }

    private static HashSet<string> Granted(AzureEstate estate, string principalId, AzureOperationCatalog catalog) =>
        AzureEffectiveAccess.Compute(AzureEffectiveAccess.IdentityOf(principalId, null, estate), estate, catalog).Access.Grants
            .Select(g => g.Permission).ToHashSet(StringComparer.OrdinalIgnoreCase);

    private static string StableGuid(string seed) => new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(seed.ToUpperInvariant()))[..16]).ToString();

    private static void Array(Utf8JsonWriter json, string name, ImmutableArray<string> values)
    {
        json.WriteStartArray(name);
        foreach (var v in values.IsDefault ? [] : values) { json.WriteStringValue(v); }
        json.WriteEndArray();
    }

    private static string Quote(string value) => HclText.Quoted(value);

    private static string List(ImmutableArray<string> values) => "[" + string.Join(", ", (values.IsDefault ? [] : values).Select(Quote)) + "]";
}
