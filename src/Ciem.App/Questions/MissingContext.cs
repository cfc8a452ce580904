using System.Collections.Immutable;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Model;

namespace Ciem.App.Questions;

/// <summary>
/// The request context keys an answer depended on but the question did not give: the keys in the conditions of the
/// statements that decided it (a region SCP's `aws:RequestedRegion`), and, for an implicit deny, of the statements
/// for the action whose conditions could not hold without them. An answer that rests on a missing key is an answer
/// to an incomplete question, and says so.
/// </summary>
public static class MissingContext
{
    public static ImmutableArray<string> Keys(AwsPolicySet policies, AwsRequest request, EvaluationResult result)
    {
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(result);
        var deciding = result.Statements.Select(s => (s.Policy, s.Statement)).Concat(result.Conditions.Select(c => (c.Statement.Policy, c.Statement.Statement)))
            .ToHashSet();
        var keys = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var policy in All(policies))
        {
            foreach (var statement in policy.Statements)
            {
                var decided = deciding.Contains((policy.Name, statement.Statement.Index));
                // Under an implicit deny the allows that did not match are the ones that might have, given the key.
                var mightHave = result.Decision == Decision.ImplicitDeny && statement.Effect == Core.Aws.Policies.Effect.Allow && statement.MatchesAction(request.Action);
                if (!decided && !mightHave) { continue; }
                foreach (var condition in statement.Statement.Conditions)
                {
                    if (!request.Context.Contains(condition.Key)) { keys.Add(condition.Key); }
                }
            }
        }
        return [.. keys];
    }

    private static IEnumerable<CompiledPolicy> All(AwsPolicySet set) =>
        set.Identity.Concat(set.Boundaries).Concat(set.Scps.SelectMany(l => l.Policies)).Concat(set.Rcps.SelectMany(l => l.Policies))
            .Concat(set.ResourcePolicy is { } r ? [r] : []).Concat(set.SessionPolicy is { } s ? [s] : []).Concat(set.EndpointPolicies);
}
