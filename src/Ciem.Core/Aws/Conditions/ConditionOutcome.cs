namespace Ciem.Core.Aws.Conditions;

/// <summary>
/// The result of evaluating a condition: <see cref="Indeterminate"/> when the policy uses something this
/// engine cannot decide (unknown operator, unparsable value, unresolvable variable in a negated operator).
/// </summary>
public enum ConditionOutcome
{
    False,
    True,
    Indeterminate,
}

/// <summary>Three-valued (Kleene) logic over <see cref="ConditionOutcome"/>.</summary>
internal static class Kleene
{
    public static ConditionOutcome Not(ConditionOutcome value) => value switch
    {
        ConditionOutcome.True => ConditionOutcome.False,
        ConditionOutcome.False => ConditionOutcome.True,
        _ => ConditionOutcome.Indeterminate,
    };

    public static ConditionOutcome From(bool value) => value ? ConditionOutcome.True : ConditionOutcome.False;
}
