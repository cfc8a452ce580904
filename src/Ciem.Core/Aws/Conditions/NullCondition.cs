using Ciem.Core.Aws.Evaluation;

namespace Ciem.Core.Aws.Conditions;

/// <summary>
/// `Null`: `true` holds when the key is absent from the request context, `false` when it is present. A
/// multivalued key with no values counts as absent. Several values are ORed like any other operator.
/// `Null` takes neither `IfExists` nor a set operator (IAM User Guide, "Condition operators to check existence").
/// </summary>
internal sealed class NullConditionClause(string key, ConditionOperator op, bool?[] values) : ConditionClause(key, op)
{
    public override ConditionOutcome Evaluate(RequestContext context)
    {
        var absent = !context.TryGet(Key, out var value) || value.Values.IsDefaultOrEmpty;
        if (absent && context.IsUnknown(Key)) { return ConditionOutcome.Indeterminate; }
        var result = ConditionOutcome.False;
        foreach (var p in values)
        {
            if (p is null) { result = ConditionOutcome.Indeterminate; }
            else if (p.Value == absent) { return ConditionOutcome.True; }
        }
        return result;
    }

    protected override ConditionOutcome MatchAny(string contextValue, RequestContext context) => ConditionOutcome.Indeterminate;
}
