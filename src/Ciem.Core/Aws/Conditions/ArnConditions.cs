using Ciem.Core.Aws.Matching;

namespace Ciem.Core.Aws.Conditions;

/// <summary>
/// `ArnEquals`, `ArnLike`, `ArnNotEquals`, `ArnNotLike`. The IAM User Guide describes ArnEquals and ArnLike
/// alike: case-sensitive, each of the six colon-delimited ARN components checked separately, each may hold
/// `*` and `?`. Both therefore use <see cref="ArnPattern"/>. Policy variables supported.
/// </summary>
internal sealed class ArnConditionClause(string key, ConditionOperator op, TextValue[] values)
    : TextConditionClause(key, op, values)
{
    protected override ConditionOutcome Matches(string policyValue, string contextValue) =>
        Kleene.From(ArnPattern.IsMatch(policyValue, contextValue, escapes: true));
}
