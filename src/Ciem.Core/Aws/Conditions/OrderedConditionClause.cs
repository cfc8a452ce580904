using Ciem.Core.Aws.Evaluation;

namespace Ciem.Core.Aws.Conditions;

/// <summary>
/// Base for families compared by order (Numeric, Date): policy values parsed once (null = rejected at compile
/// time → Indeterminate for that value), the context value parsed per request (unparsable → Indeterminate).
/// </summary>
internal abstract class OrderedConditionClause<T>(string key, ConditionOperator op, T?[] values) : ConditionClause(key, op)
    where T : struct, IComparable<T>
{
    protected abstract bool TryParseContext(string text, out T value);

    protected sealed override ConditionOutcome MatchAny(string contextValue, RequestContext context)
    {
        if (!TryParseContext(contextValue, out var c)) { return ConditionOutcome.Indeterminate; }
        var result = ConditionOutcome.False;
        foreach (var p in values)
        {
            if (p is null)
            {
                result = ConditionOutcome.Indeterminate;
                continue;
            }
            // cmp > 0: the context value is less than the policy value.
            var cmp = p.Value.CompareTo(c);
            var holds = Operator.Info.Comparison switch
            {
                Comparison.LessThan => cmp > 0,
                Comparison.LessThanEquals => cmp >= 0,
                Comparison.GreaterThan => cmp < 0,
                Comparison.GreaterThanEquals => cmp <= 0,
                _ => cmp == 0,
            };
            if (holds) { return ConditionOutcome.True; }
        }
        return result;
    }
}
