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

    /// <summary>The built-in rule that decided (a protected resource or an always-allowed action), or null when policies decided.</summary>
    public AwsBuiltInRule? Rule { get; init; }

    /// <summary>
    /// For an Indeterminate decision: the conditions on keys that were not given (keys AWS sends with every request,
    /// <see cref="AlwaysSentKeys"/>) that the answer depends on, each with its statement.
    /// </summary>
    public ImmutableArray<DecidingCondition> Conditions { get; init; } = [];

    /// <summary>
    /// Indeterminate only because keys AWS always sends were not given: the answer is "allowed when" the
    /// <see cref="Conditions"/> of the Allow statements hold and those of the Deny statements do not.
    /// </summary>
    public bool IsConditional => Decision == Decision.Indeterminate && DependsOnlyOnContext && !Conditions.IsEmpty;

    /// <summary>Every unknown statement was unknown only because of keys that were not given (no defect).</summary>
    public bool DependsOnlyOnContext { get; init; }
}

/// <summary>A condition an answer depends on: an Allow statement's condition must hold, a Deny statement's must not.</summary>
public sealed record DecidingCondition(StatementRef Statement, ConditionEntry Condition)
{
    public string Text => $"{Condition.Operator} {Condition.Key} [{string.Join(", ", Condition.Values)}]";

    /// <summary>`allowed when …` wording: the condition holds (Allow) or does not hold (Deny).</summary>
    public string Describe() => Statement.Effect == Effect.Allow ? $"`{Text}` holds" : $"`{Text}` does not hold";
}
