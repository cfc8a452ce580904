using System.Collections.Immutable;
using Ciem.Core.Diagnostics;

namespace Ciem.Core.Azure.Gate;

/// <summary>
/// A role definition as a change states it (`azurerm_role_definition`). <see cref="Unknown"/> says why its permissions
/// are not known before apply (an interpolated action list); such a role grants indeterminate access, never nothing.
/// </summary>
public sealed record GateRoleDefinition(RoleDefinition Definition, SourceLocation Location, string? Unknown = null);

/// <summary>
/// A role assignment as a change states it (`azurerm_role_assignment`). Symbolic values (a principal or scope known
/// only after apply) are kept as `{reference}` text; <see cref="ScopeUnknown"/> is true when not even the kind of scope
/// is known. <see cref="DelegatedIdentity"/> is the managed identity of another tenant the assignment is delegated to.
/// </summary>
public sealed record GateRoleAssignment(RoleAssignment Assignment, SourceLocation Location, bool ScopeUnknown = false, string? DelegatedIdentity = null)
{
    /// <summary>What makes two assignments the same grant: principal, role and scope.</summary>
    public string Key => $"{Assignment.PrincipalId}|{Assignment.RoleDefinitionName ?? Assignment.RoleDefinitionGuid}|{AzureScope.Normalize(Assignment.Scope)}|{Assignment.Condition}".ToUpperInvariant();
}

/// <summary>One side of an Azure change: the role definitions and assignments it states.</summary>
public sealed record AzureGateSide(ImmutableArray<GateRoleDefinition> Definitions, ImmutableArray<GateRoleAssignment> Assignments)
{
    public static readonly AzureGateSide Empty = new([], []);
}

/// <summary>The Azure RBAC resources of a change, before and after.</summary>
public sealed record AzureGateChange(AzureGateSide Before, AzureGateSide After)
{
    public static readonly AzureGateChange Empty = new(AzureGateSide.Empty, AzureGateSide.Empty);

    public bool IsEmpty => Before.Definitions.IsEmpty && Before.Assignments.IsEmpty && After.Definitions.IsEmpty && After.Assignments.IsEmpty;
}
