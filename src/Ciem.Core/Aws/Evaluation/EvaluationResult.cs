using System.Collections.Immutable;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Diagnostics;
using Ciem.Core.Model;

namespace Ciem.Core.Aws.Evaluation;

/// <summary>A statement that took part in a decision: the policy, the 0-based statement index, its Sid and effect.</summary>
public sealed record StatementRef(string Policy, AwsLayer Layer, int Statement, string? Sid, Effect Effect);

/// <summary>
/// The decision for one request, the layer that decided a deny (<see cref="BlockedBy"/>, null for Allow), and the
/// deciding statements: every matching Deny for an explicit deny, the matching Allows of each layer that had to
/// allow for an Allow, none for an implicit deny.
/// </summary>
public sealed record EvaluationResult(
    Decision Decision,
    AwsLayer? BlockedBy,
    ImmutableArray<StatementRef> Statements,
    ImmutableArray<Diagnostic> Diagnostics)
{
    public bool IsAllowed => Decision == Decision.Allow;
}
