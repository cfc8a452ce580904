using Ciem.Core.Matching;

namespace Ciem.Core.Aws.Conditions;

/// <summary>
/// `StringEquals`, `StringNotEquals`, `StringEqualsIgnoreCase`, `StringNotEqualsIgnoreCase` (exact, no wildcards)
/// and `StringLike`, `StringNotLike` (case-sensitive, `*` and `?` anywhere). Policy variables supported.
/// </summary>
internal sealed class StringConditionClause(string key, ConditionOperator op, TextValue[] values)
    : TextConditionClause(key, op, values)
{
    protected override ConditionOutcome Matches(string policyValue, string contextValue) => Kleene.From(Operator.Info.Comparison switch
    {
        Comparison.Like => Wildcard.IsMatch(policyValue, contextValue, ignoreCase: false, escapes: true),
        Comparison.EqualIgnoreCase => string.Equals(policyValue, contextValue, StringComparison.OrdinalIgnoreCase),
        _ => string.Equals(policyValue, contextValue, StringComparison.Ordinal),
    });
}
