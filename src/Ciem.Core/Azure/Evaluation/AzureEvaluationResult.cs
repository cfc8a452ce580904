using System.Collections.Immutable;
using Ciem.Core.Azure.Conditions;
using Ciem.Core.Diagnostics;
using Ciem.Core.Model;

namespace Ciem.Core.Azure.Evaluation;

/// <summary>Whether a deciding entry is a role assignment or a deny assignment.</summary>
public enum AzureAssignmentKind : byte
{
    RoleAssignment,
    DenyAssignment,
}

/// <summary>
/// An assignment that took part in a decision: its id, the role (or deny assignment) name, its scope, the
/// `Actions`/`DataActions` entry that matched, the group through which it reached the principal (null when direct), and
/// the outcome of its condition (<see cref="ConditionResult.True"/> when it has none).
/// </summary>
public sealed record AzureDecidingAssignment(
    AzureAssignmentKind Kind,
    string AssignmentId,
    string Name,
    string Scope,
    string MatchedPattern,
    string? ViaGroup,
    ConditionResult Condition);

/// <summary>
/// The decision and why: for <see cref="Decision.ExplicitDeny"/> the matching deny assignments, for
/// <see cref="Decision.Allow"/> the role assignments that grant, for <see cref="Decision.Indeterminate"/> the
/// assignments whose condition or definition could not be evaluated, for <see cref="Decision.ImplicitDeny"/> none.
/// </summary>
public sealed record AzureEvaluationResult(
    Decision Decision,
    ImmutableArray<AzureDecidingAssignment> Deciding,
    ImmutableArray<Diagnostic> Diagnostics)
{
    public bool IsAllowed => Decision == Decision.Allow;
}
