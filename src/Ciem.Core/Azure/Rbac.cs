using System.Collections.Immutable;

namespace Ciem.Core.Azure;

/// <summary>
/// One entry of a role definition's `permissions` (or a deny assignment's): `Actions`/`NotActions` for the control
/// plane, `DataActions`/`NotDataActions` for the data plane. `NotActions` subtract from `Actions` of this entry only.
/// </summary>
public sealed record RolePermission(
    ImmutableArray<string> Actions,
    ImmutableArray<string> NotActions,
    ImmutableArray<string> DataActions,
    ImmutableArray<string> NotDataActions,
    string? Condition = null,
    string? ConditionVersion = null)
{
    public static readonly RolePermission None = new([], [], [], []);
}

/// <summary>
/// A role definition as `az role definition list` prints it. <see cref="Id"/> is the full resource id
/// (`/subscriptions/…/providers/Microsoft.Authorization/roleDefinitions/{guid}` or `/providers/…`), <see cref="Name"/>
/// the GUID, <see cref="RoleName"/> the display name (`Owner`), <see cref="RoleType"/> `BuiltInRole` or `CustomRole`.
/// </summary>
public sealed record RoleDefinition(
    string Id,
    string Name,
    string RoleName,
    string RoleType,
    string? Description,
    ImmutableArray<RolePermission> Permissions,
    ImmutableArray<string> AssignableScopes)
{
    public bool IsBuiltIn => string.Equals(RoleType, "BuiltInRole", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// A role assignment as `az role assignment list --all` prints it: who (<see cref="PrincipalId"/>, an Entra object id,
/// with <see cref="PrincipalType"/> `User`, `Group`, `ServicePrincipal`, `ForeignGroup`…), what
/// (<see cref="RoleDefinitionId"/>, whose last segment is the role's GUID), where (<see cref="Scope"/>), and the ABAC
/// <see cref="Condition"/> that narrows it, if any.
/// </summary>
public sealed record RoleAssignment(
    string Id,
    string Scope,
    string RoleDefinitionId,
    string PrincipalId,
    string? PrincipalType,
    string? PrincipalName = null,
    string? RoleDefinitionName = null,
    string? Condition = null,
    string? ConditionVersion = null)
{
    /// <summary>The role definition's GUID, the last segment of <see cref="RoleDefinitionId"/>.</summary>
    public string RoleDefinitionGuid => AzureScope.LastSegment(RoleDefinitionId);
}

/// <summary>A principal named by a deny assignment: an object id and its type (`User`, `Group`, `ServicePrincipal`, `SystemDefined`).</summary>
public sealed record DenyPrincipal(string Id, string? Type)
{
    /// <summary>The all-zero object id with type `SystemDefined` stands for every principal.</summary>
    public const string EveryoneId = "00000000-0000-0000-0000-000000000000";

    public bool IsEveryone => string.Equals(Id, EveryoneId, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// A deny assignment (`Microsoft.Authorization/denyAssignments`): the <see cref="Permissions"/> it denies to
/// <see cref="Principals"/> except <see cref="ExcludePrincipals"/> at <see cref="Scope"/>, and below it unless
/// <see cref="DoNotApplyToChildScopes"/>.
/// </summary>
public sealed record DenyAssignment(
    string Id,
    string Name,
    string Scope,
    ImmutableArray<RolePermission> Permissions,
    ImmutableArray<DenyPrincipal> Principals,
    ImmutableArray<DenyPrincipal> ExcludePrincipals,
    bool DoNotApplyToChildScopes,
    string? Description = null,
    bool IsSystemProtected = false,
    string? Condition = null,
    string? ConditionVersion = null);

/// <summary>
/// A PIM eligible assignment (a `roleEligibilityScheduleInstances` item): the principal may activate the role at the
/// scope between <see cref="StartDateTime"/> and <see cref="EndDateTime"/>; until it does, the role grants nothing.
/// </summary>
public sealed record EligibleAssignment(
    string Id,
    string Scope,
    string RoleDefinitionId,
    string PrincipalId,
    string? PrincipalType,
    string? MemberType,
    string? Status,
    DateTimeOffset? StartDateTime,
    DateTimeOffset? EndDateTime,
    string? Condition = null,
    string? ConditionVersion = null)
{
    public string RoleDefinitionGuid => AzureScope.LastSegment(RoleDefinitionId);
}
